#!/usr/bin/env bash
# Cold starts and run-time batches (issue #13.1): no false failure from Pulse's own start-up
# or its own bursts.
#
#   bash bench/coldstart.sh             # 20 cold starts, then a batch of 10,000 targets
#   STARTS=5 BATCH=1000 bash bench/coldstart.sh
#   STARTS=0 API_BATCH=1000 bash bench/coldstart.sh   # also a batch PUT over the API
#
# Environment: PULSE_JAR (default: the jar in target/, built if missing), STARTS (20), BATCH
# (10000, written into the targets file at once), API_BATCH (0: none), BASE_PORT (18400, nginx's ports for the batch: 127.0.0.1-10 x 3 ports), PULSE_HEAP
# (512m). Results go to stdout; copy the SUMMARY lines into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib.sh"
STARTS="${STARTS:-20}"
BATCH="${BATCH:-10000}"
BASE_PORT="${BASE_PORT:-18400}"
JAR="${PULSE_JAR:-$(ls "$REPO"/target/pulse-*.jar 2>/dev/null | head -n 1 || true)}"
if [ -n "$JAR" ]; then JAR="$(realpath "$JAR")"; fi
if [ -z "$JAR" ]; then
  (cd "$REPO" && ./mvnw -B -q -DskipTests package)
  JAR="$(ls "$REPO"/target/pulse-*.jar | head -n 1)"
fi
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
TMP="$(mktemp -d)"
NGINX_PID=""
trap 'stop_pid "$NGINX_PID" 5; rm -rf "$TMP"' EXIT

if [ "$STARTS" -gt 0 ]; then
  echo "== $STARTS cold starts of $JAR"
  python3 "$HERE/coldstart.py" starts "$JAR" "$STARTS"
fi

mkdir -p "$TMP/nginx/html"
PORTS=()
{
  echo "worker_processes 1; daemon off; pid $TMP/nginx/nginx.pid; error_log $TMP/nginx/error.log warn;"
  echo "worker_rlimit_nofile 65536; events { worker_connections 16384; }"
  echo "http { access_log off; keepalive_timeout 75s; keepalive_requests 1000000;"
  echo "  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy; fastcgi_temp_path $TMP/nginx/fastcgi;"
  echo "  uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi; root $TMP/nginx/html;"
  echo "  server {"
  for ((p = BASE_PORT; p < BASE_PORT + 3; p++)); do
    for ((h = 1; h <= 10; h++)); do echo "    listen 127.0.0.$h:$p;"; PORTS+=("127.0.0.$h:$p"); done
  done
  echo "    location = /health { default_type application/json; return 200 '{\"status\":\"UP\"}'; }"
  echo "  }"
  echo "}"
} >"$TMP/nginx/nginx.conf"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "user $(id -un);" &
NGINX_PID=$!
sleep 1
echo "== a batch of $BATCH targets at once on a warm Pulse: its targets file rewritten"
python3 "$HERE/coldstart.py" reload "$JAR" "$BATCH" "$(IFS=,; echo "${PORTS[*]}")"
if [ "${API_BATCH:-0}" -gt 0 ]; then
  echo "== a batch of $API_BATCH targets registered over the API by 16 clients (about 55 PUTs/s on SQLite)"
  python3 "$HERE/coldstart.py" batch "$JAR" "$API_BATCH" "$(IFS=,; echo "${PORTS[*]}")"
fi
