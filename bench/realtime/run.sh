#!/usr/bin/env bash
# make bench-realtime: the WebSocket at scale. Starts egovbox on loopback with a
# connection cap above BENCH_CONNECTIONS, creates BENCH_EMPLOYEES employees and
# signs them in, then (bench.mjs, with clients.mjs in BENCH_CLIENT_PROCESSES
# processes) opens BENCH_CONNECTIONS authenticated sockets spread over them and
# prints the server's resident memory per idle connection and the p50/p99 time for
# one notification to reach every invited tab, against a baseline of
# BENCH_BASELINE_CONNECTIONS sockets measured in the same run.
# Targets: < 20 KiB per connection, p99 < 200 ms at 10 000 connections.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/common.sh
binary=${1:-build/release/egovbox}
export BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-10000}
export BENCH_BASELINE_CONNECTIONS=${BENCH_BASELINE_CONNECTIONS:-100}

native_client=$(dirname "$binary")/egovbox_ws_load_client
if [ ! -x "$binary" ] || [ ! -x "$native_client" ]; then
  echo "bench-realtime: $binary or its load client is missing; building them"
  make --no-print-directory native
fi
export BENCH_NATIVE_CLIENT=$(realpath "$native_client")
[ -d tests/node_modules/ws ] || scripts/setup-deps.sh
binary=$(realpath "$binary")

# One descriptor per connection on the server, and in the client processes; both
# inherit this shell's limit. Raising the hard limit needs CAP_SYS_RESOURCE: without
# it, go as far as the hard limit allows.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
files=$(ulimit -n)
needed=$((BENCH_CONNECTIONS + BENCH_BASELINE_CONNECTIONS + 1024))
if [ "$files" != unlimited ] && [ "$files" -lt "$needed" ]; then
  echo "bench-realtime: open files limit is $files (hard limit $(ulimit -Hn)); $needed needed." >&2
  echo "Raise it (ulimit -Hn, /etc/security/limits.conf, LimitNOFILE=) or lower BENCH_CONNECTIONS." >&2
  exit 1
fi
read -r port_low port_high < /proc/sys/net/ipv4/ip_local_port_range
if [ $((port_high - port_low)) -lt "$needed" ]; then
  echo "bench-realtime: only $((port_high - port_low)) local ports (net.ipv4.ip_local_port_range) for $needed connections" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  stop_server "$server_pid" 150
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Started in the temporary directory, so that no ./egovbox.toml of the checkout
# applies; the cap leaves room for the baseline sockets and the REST requests.
max_connections=$((BENCH_CONNECTIONS + BENCH_BASELINE_CONNECTIONS + 1000))
(
  cd "$work"
  exec env EGOVBOX_ACCESS_LOG=off EGOVBOX_LOG_LEVEL=warn EGOVBOX_MAX_CONNECTIONS="$max_connections" \
    "$binary" serve --data-dir "$work/data" --listen 127.0.0.1:0 --no-demo > "$work/egovbox.out" 2> "$work/egovbox.err"
) &
server_pid=$!
port=$(served_port "$server_pid" "$work/egovbox.out")
if [ -z "$port" ]; then
  echo "bench-realtime: egovbox did not start:" >&2
  cat "$work/egovbox.err" >&2
  exit 1
fi
echo "bench-realtime: egovbox (pid $server_pid) on https://127.0.0.1:$port, max_connections $max_connections, open files limit $files"

status=0
BENCH_BINARY="$binary" BENCH_DATA_DIR="$work/data" BENCH_WORK_DIR="$work" BENCH_PORT="$port" \
  BENCH_SERVER_PID="$server_pid" node bench/realtime/bench.mjs || status=$?
if [ "$status" -ne 0 ] && [ -s "$work/egovbox.err" ]; then
  echo "--- tail of egovbox's standard error ---" >&2
  tail -n 30 "$work/egovbox.err" >&2
fi
exit "$status"
