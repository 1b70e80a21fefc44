# Sourced by bench/realtime/run.sh and bench/sfu/run.sh (bash).

# served_port PID OUT: the port of the egovbox serve (process PID, its standard
# output in the file OUT) once it says "is serving https://…:PORT", waiting up to
# 15 s; prints nothing if it exits or says nothing in that time.
served_port() {
  local pid=$1 out=$2 found=
  for _ in $(seq 150); do
    found=$(sed -nE 's#.*is serving https://[^ ]*:([0-9]+).*#\1#p' "$out" 2>/dev/null | head -n 1)
    [ -n "$found" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$found"
}

# stop_server PID TENTHS: asks the server (PID, a child of this shell) to stop
# (SIGTERM), gives it TENTHS tenths of a second, then kills it and reaps it.
# Nothing if PID is empty or gone.
stop_server() {
  local pid=$1 tenths=$2
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
