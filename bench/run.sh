#!/usr/bin/env bash
# Pulse benchmark harness (issue #8, first slice).
#
#   bash bench/run.sh --quick      # 100 and 1000 targets, 30 s windows, pooled vs fresh-connection
#   bash bench/run.sh              # same scales, 120 s windows
#
# Environment overrides: PULSE_JAR (use this jar instead of building one from a clone),
# SCALES ("100 1000"), WINDOW (seconds), WARMUP (seconds), BASE_PORT (first nginx port).
#
# All traffic stays on loopback (127.0.0.1..127.0.0.$HOSTS). Every process started here is
# stopped on exit. Results go to bench/results/<timestamp>.md and to stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CMDLINE="bash bench/run.sh $*"

QUICK=false
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=true ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if $QUICK; then
  WINDOW="${WINDOW:-30}"; WARMUP="${WARMUP:-3}"
else
  WINDOW="${WINDOW:-120}"; WARMUP="${WARMUP:-10}"
fi
SCALES="${SCALES:-100 1000}"
MODES="pooled fresh-connection"
HOSTS=10            # 127.0.0.1 .. 127.0.0.10
PORTS_PER_RUN=3     # each run gets its own ports, so TIME_WAIT counts do not mix between runs
BASE_PORT="${BASE_PORT:-18100}"
READY_TIMEOUT=120   # seconds

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- 1. packages
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in python3 ss java getconf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool" >&2; exit 1; }
done

# ---------------------------------------------------------------- temp dir and clean-up
TMP="$(mktemp -d /tmp/pulse-bench.XXXXXX)"
NGINX_PID=""
JAVA_PID=""
stop_pid() { # pid, seconds to wait before SIGKILL
  local pid="$1" wait_s="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pid "$JAVA_PID" 20
  stop_pid "$NGINX_PID" 10
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); last lines of the logs:"
    tail -n 30 "$TMP"/pulse-*.log 2>/dev/null >&2 || true
    tail -n 10 "$TMP/nginx/error.log" 2>/dev/null >&2 || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the jar
if [ -n "${PULSE_JAR:-}" ]; then
  JAR="$PULSE_JAR"
else
  log "building the jar from a clone of $REPO (in $TMP/src)"
  git clone -q "$REPO" "$TMP/src"
  (cd "$TMP/src" && ./mvnw -q -B -DskipTests package)
  JAR="$TMP/src/target/pulse-0.1.0-SNAPSHOT.jar"
fi
[ -f "$JAR" ] || { echo "jar not found: $JAR" >&2; exit 1; }
log "jar: $JAR"

# ---------------------------------------------------------------- 2. nginx on loopback
n_scales=$(wc -w <<<"$SCALES")
n_runs=$((n_scales * 2))
LAST_PORT=$((BASE_PORT + n_runs * PORTS_PER_RUN - 1))
if ss -Hltn "( sport >= :$BASE_PORT and sport <= :$LAST_PORT )" | grep -q .; then
  echo "ports $BASE_PORT-$LAST_PORT are partly in use; set BASE_PORT" >&2; exit 1
fi
mkdir -p "$TMP/nginx"
{
  echo "worker_processes 1;"
  echo "daemon off;"
  echo "pid $TMP/nginx/nginx.pid;"
  echo "error_log $TMP/nginx/error.log warn;"
  echo "events { worker_connections 8192; }"
  echo "http {"
  echo "  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;"
  echo "  fastcgi_temp_path $TMP/nginx/fastcgi; uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi;"
  echo "  log_format bench '\$server_port \$connection \$connection_requests';"
  echo "  access_log $TMP/nginx/access.log bench;"
  echo "  keepalive_timeout 75s;"
  echo "  keepalive_requests 100000;"
  echo "  server {"
  for ((p = BASE_PORT; p <= LAST_PORT; p++)); do
    for ((h = 1; h <= HOSTS; h++)); do echo "    listen 127.0.0.$h:$p;"; done
  done
  echo "    location = /health { default_type application/json; return 200 '{\"status\":\"UP\"}'; }"
  echo "    location / { return 404; }"
  echo "  }"
  echo "}"
} >"$TMP/nginx/nginx.conf"
"$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "user $(id -un);" 2>"$TMP/nginx/test.log" \
  || { cat "$TMP/nginx/test.log" >&2; exit 1; }
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "user $(id -un);" &
NGINX_PID=$!
for ((i = 0; i < 50; i++)); do
  curl -fsS -o /dev/null "http://127.0.0.$HOSTS:$LAST_PORT/health" 2>/dev/null && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$BASE_PORT/health" >/dev/null
log "nginx up: 127.0.0.1-$HOSTS x ports $BASE_PORT-$LAST_PORT (pid $NGINX_PID)"

# ---------------------------------------------------------------- 3. one run
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
fd_count() { ls "/proc/$1/fd" | wc -l; }
tw_bench() { # TIME_WAIT sockets to or from the given port range
  ss -Htan state time-wait "( dport >= :$1 and dport <= :$2 ) or ( sport >= :$1 and sport <= :$2 )" | wc -l
}
now() { date +%s.%N; }
CLK_TCK="$(getconf CLK_TCK)"

run_one() { # scale mode run_index
  local scale="$1" mode="$2" idx="$3"
  local plo=$((BASE_PORT + idx * PORTS_PER_RUN)) phi=$((BASE_PORT + idx * PORTS_PER_RUN + PORTS_PER_RUN - 1))
  local fresh=false; [ "$mode" = fresh-connection ] && fresh=true
  local tag="$scale-$mode" port cfg out="$TMP/run-$idx.txt"
  cfg="$TMP/pulse-$tag.yaml"
  python3 "$HERE/gen_config.py" "$scale" "$HOSTS" "$plo" "$phi" "$fresh" "$cfg"
  port="$(free_port)"
  rm -f "$TMP/bench.db"
  log "run $((idx + 1))/$n_runs: $scale targets, $mode, ports $plo-$phi, Pulse on :$port"
  java -Xmx512m -jar "$JAR" \
    --spring.config.additional-location="$cfg" \
    --spring.profiles.active=bench \
    --server.port="$port" \
    --spring.datasource.url="jdbc:sqlite:$TMP/bench.db" \
    --pulse.api.write-token=bench \
    >"$TMP/pulse-$tag.log" 2>&1 &
  JAVA_PID=$!
  local base="http://127.0.0.1:$port" t0 ready=false
  t0=$(date +%s)
  while (($(date +%s) - t0 < READY_TIMEOUT)); do
    kill -0 "$JAVA_PID" 2>/dev/null || { echo "Pulse exited during start-up" >&2; return 1; }
    if curl -fsS -o /dev/null "$base/actuator/health/readiness" 2>/dev/null; then ready=true; break; fi
    sleep 0.5
  done
  $ready || { echo "Pulse not ready after ${READY_TIMEOUT}s" >&2; return 1; }
  local loaded
  loaded="$(curl -fsS "$base/api/targets" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["targets"]))')"
  log "  ready after $(($(date +%s) - t0)) s, $loaded targets loaded; warm-up ${WARMUP}s, window ${WINDOW}s"
  sleep "$WARMUP"

  local fds0 ticks0 ticks1 ts0 ts1 fds1 rss tw_b tw_a
  fds0="$(fd_count "$JAVA_PID")"
  curl -fsS "$base/actuator/prometheus" >"$TMP/prom-$idx-a.txt"
  ticks0="$(python3 "$HERE/cpu_ticks.py" "$JAVA_PID")"; ts0="$(now)"
  sleep "$WINDOW"
  curl -fsS "$base/actuator/prometheus" >"$TMP/prom-$idx-b.txt"
  ticks1="$(python3 "$HERE/cpu_ticks.py" "$JAVA_PID")"; ts1="$(now)"
  fds1="$(fd_count "$JAVA_PID")"
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$JAVA_PID/status")"   # kB
  tw_b="$(tw_bench "$plo" "$phi")"
  tw_a="$(ss -Htan state time-wait | wc -l)"

  stop_pid "$JAVA_PID" 20; JAVA_PID=""

  python3 "$HERE/prom.py" "$TMP/prom-$idx-a.txt" "$TMP/prom-$idx-b.txt" >"$out"
  # shellcheck disable=SC1090
  local probes failures conns_opened skipped lag_p50_ms lag_p99_ms lag_count requests connections
  eval "$(cat "$out")"
  eval "$(python3 "$HERE/nginx_conns.py" "$TMP/nginx/access.log" "$plo" "$phi")"
  python3 - >>"$out" <<EOF
probes, ticks, win = $probes, $ticks1 - $ticks0, $ts1 - $ts0
tck, conns, reqs, nconns = $CLK_TCK, $conns_opened, $requests, $connections
print(f"scale=$scale")
print(f"mode=$mode")
print(f"targets_loaded=$loaded")
print(f"window_s={win:.1f}")
print(f"probes_per_s={probes / win:.1f}")
cpu_s = ticks / tck
print("cpu_us_per_probe=" + (f"{cpu_s / probes * 1e6:.0f}" if probes else "n/a"))
print(f"cpu_pct={cpu_s / win * 100:.1f}")
print(f"rss_mib={$rss / 1024:.0f}")
print("conns_per_1k=" + (f"{conns / probes * 1000:.2f}" if probes else "n/a"))
print("nginx_conns_per_1k=" + (f"{nconns / reqs * 1000:.2f} ({nconns} / {reqs})" if reqs else "n/a"))
print(f"tw_bench=$tw_b")
print(f"tw_all=$tw_a")
print(f"fds=$fds0 → $fds1")
EOF
  log "  $(tr '\n' ' ' <"$out")"
}

idx=0
RUNFILES=()
for scale in $SCALES; do
  for mode in $MODES; do
    run_one "$scale" "$mode" "$idx"
    RUNFILES+=("$TMP/run-$idx.txt")
    idx=$((idx + 1))
  done
done

# ---------------------------------------------------------------- 4. report
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$HERE/results"
REPORT="$HERE/results/$STAMP.md"
{
  echo "# Pulse benchmark $STAMP"
  echo
  echo "- command: \`$CMDLINE\` (from \`$REPO\`)"
  echo "- mode: $($QUICK && echo quick || echo full); scales: $SCALES; warm-up ${WARMUP} s; measured window ${WINDOW} s per run"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)"
  echo "- JDK: $(java -version 2>&1 | head -n 2 | tr '\n' ' ' | sed 's/ *$//')"
  echo "- nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //'), 1 worker, keepalive_requests 100000, keepalive_timeout 75s"
  echo "- jar: \`$JAR\` (-Xmx512m, profile bench, SQLite store in a temp dir)"
  echo "- targets: interval 1s, timeout 500ms, conditions \`[STATUS] == 200\` and \`[BODY].status == UP\`, retry max-attempts 1, spread over 127.0.0.1-$HOSTS × $PORTS_PER_RUN ports per run"
  echo
  python3 "$HERE/render.py" "${RUNFILES[@]}"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
