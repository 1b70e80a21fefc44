#!/usr/bin/env bash
# make bench-http: wrk against the authenticated GET /api/v1/me of egovbox and,
# in the same run, against nginx serving a static file of the same size over TLS
# (same ECDSA P-256 certificate, keep-alive, no access log on either side), both
# on loopback. Prints both rates, p99 latencies and the ratio egovbox / nginx.
# Target: ratio >= 0.5.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-build/release/egovbox}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
egovbox_port=${BENCH_EGOVBOX_PORT:-18443}
nginx_port=${BENCH_NGINX_PORT:-18444}

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- egovbox, with one employee signed in ---
EGOVBOX_ACCESS_LOG=off "$binary" serve --data-dir "$work/data" --listen "127.0.0.1:$egovbox_port" --no-demo \
  > "$work/egovbox.out" 2> "$work/egovbox.err" &
pids+=($!)
for _ in $(seq 100); do grep -q "is serving" "$work/egovbox.out" 2>/dev/null && break; sleep 0.1; done
created=$("$binary" admin employee add --data-dir "$work/data" --name "Бенчмарк Тестов" \
  --email bench@example.org --role employee --json)
code=$(echo "$created" | sed -E 's/.*"code":"([^"]+)".*/\1/')
password=$(echo "$created" | sed -E 's/.*"one_time_password":"([^"]+)".*/\1/')
base="https://127.0.0.1:$egovbox_port"
curl -sk -c "$work/jar" -H 'Content-Type: application/json' \
  -d "{\"code\":\"$code\",\"password\":\"$password\"}" "$base/api/v1/session" > /dev/null
cookie=$(awk '$6 == "__Host-egov-session" {print $7}' "$work/jar")
[ -n "$cookie" ] || { echo "bench: sign-in failed" >&2; exit 1; }
curl -sk -H "Cookie: __Host-egov-session=$cookie" "$base/api/v1/me" > "$work/me.json"
size=$(stat -c %s "$work/me.json")

# --- nginx, serving a file of the same size with the same certificate ---
mkdir -p "$work/nginx/root" "$work/nginx/tmp"
head -c "$size" /dev/zero | tr '\0' 'x' > "$work/nginx/root/me.json"
# nginx's workers run as www-data: let them reach the file (mktemp -d makes 0700).
chmod 0755 "$work" "$work/nginx" "$work/nginx/root"
chmod 0644 "$work/nginx/root/me.json"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $work/data/tls/certificate.pem;
    ssl_certificate_key $work/data/tls/key.pem;
    root $work/nginx/root;
    default_type application/json;
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do curl -sk "https://127.0.0.1:$nginx_port/me.json" -o /dev/null && break; sleep 0.1; done

run_wrk() {  # url [header] -> "rate p99_ms"
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "$duration" --latency ${2:+-H "$2"} "$1")
  local rate p99
  rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  local errors
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  [ -z "$errors" ] || { echo "bench: $1 answered $errors non-2xx responses" >&2; exit 1; }
  echo "$rate $p99"
}

echo "bench-http: $size-byte body, wrk -t$threads -c$connections -d$duration, $(nproc) cores, loopback TLS"
read -r nginx_rate nginx_p99 < <(run_wrk "https://127.0.0.1:$nginx_port/me.json")
read -r egov_rate egov_p99 < <(run_wrk "$base/api/v1/me" "Cookie: __Host-egov-session=$cookie")
printf '%-34s %12s %10s\n' "target" "requests/s" "p99 ms"
printf '%-34s %12.0f %10.2f\n' "nginx static file (baseline)" "$nginx_rate" "$nginx_p99"
printf '%-34s %12.0f %10.2f\n' "egovbox GET /api/v1/me (session)" "$egov_rate" "$egov_p99"
ratio=$(awk -v a="$egov_rate" -v b="$nginx_rate" 'BEGIN {printf "%.2f", a / b}')
echo "ratio egovbox/nginx: $ratio (target >= 0.5)"
