# Shell helpers shared by the scripts in bench/ (sourced, not run).

# stop_pid PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL; reaps the child either way.
stop_pid() {
  local pid="$1" wait_s="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# pulse_jar REPO: the jar to measure, $PULSE_JAR or the packaged one (built if missing).
pulse_jar() {
  local repo="$1" jar="${PULSE_JAR:-$(ls "$1"/target/pulse-*.jar 2>/dev/null | head -n 1 || true)}"
  if [ -z "$jar" ]; then
    (cd "$repo" && ./mvnw -B -q -DskipTests package) >&2
    jar="$(ls "$repo"/target/pulse-*.jar | head -n 1)"
  fi
  realpath "$jar"
}

# start_loopback_nginx BASE_PORT: nginx (one worker) answering {"status":"UP"} on /health at
# 127.0.0.1-10 x 3 ports from BASE_PORT, in a temporary directory, with the FD limit raised for
# thousands of targets. Sets NGINX_PID and PORTS (host:port list, comma-separated), and an EXIT
# trap that stops nginx and removes the directory.
start_loopback_nginx() {
  local base="$1" p h nginx list=() dir
  BENCH_TMP="$(mktemp -d)"
  dir="$BENCH_TMP/nginx"
  NGINX_PID=""
  trap 'stop_pid "$NGINX_PID" 5; rm -rf "$BENCH_TMP"' EXIT
  ulimit -n 65536 2>/dev/null || true
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
  nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$dir/html"
  {
    echo "worker_processes 1; daemon off; pid $dir/nginx.pid; error_log $dir/error.log warn;"
    echo "worker_rlimit_nofile 65536; events { worker_connections 16384; }"
    echo "http { access_log off; keepalive_timeout 75s; keepalive_requests 1000000;"
    echo "  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;"
    echo "  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi; root $dir/html;"
    echo "  server {"
    for ((p = base; p < base + 3; p++)); do
      for ((h = 1; h <= 10; h++)); do echo "    listen 127.0.0.$h:$p;"; list+=("127.0.0.$h:$p"); done
    done
    echo "    location = /health { default_type application/json; return 200 '{\"status\":\"UP\"}'; }"
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
  "$nginx" -p "$dir" -c "$dir/nginx.conf" -g "user $(id -un);" &
  NGINX_PID=$!
  PORTS="$(IFS=,; echo "${list[*]}")"
  sleep 1
}
