#!/usr/bin/env bash
# Pulse benchmark harness (issue #8): Pulse pooled, Pulse with a fresh connection per probe,
# Prometheus blackbox_exporter and wrk, on the same loopback nginx targets at the same rates.
#
#   bash bench/run.sh --quick   # 100 and 1,000 targets, 8 s windows (about 3 minutes with a built jar)
#   bash bench/run.sh           # 100, 1,000, 2,000 and 10,000 targets, 30 s windows (about 13 minutes)
#
# Environment overrides: PULSE_JAR (use this jar instead of building one from a clone),
# SCALES ("100 1000 2000 10000"), WINDOW and WARMUP (seconds), JVM_WARMUP (Pulse's warm-up, 60 s,
# quick: WARMUP), CLIENTS ("pulse fresh blackbox wrk"), BASE_PORT (first nginx port),
# PEER_MAX (highest rate at which the peers run, 2000), PULSE_HEAP (-Xmx, 512m), REPS (1: runs of
# each client at each scale; with 3, each cell shows min / median / max and ratios use medians).
#
# Each scale N means N targets probed every second, so N probes/s. At each scale up to PEER_MAX:
# Pulse pooled, Pulse fresh-connection, blackbox_exporter driven at N probes/s by wrk, and wrk
# itself paced to N requests/s. Above PEER_MAX: Pulse pooled and wrk paced. Once per run: wrk
# unpaced, the machine's rough limit. All traffic stays on loopback; every process started here
# is stopped on exit. Results: bench/results/<timestamp>.md (+ .png plot, + raw .tsv) and stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CMDLINE="bash bench/run.sh $*"

QUICK=false
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=true ;;
    -h|--help) sed -n 2,19p "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if $QUICK; then
  WINDOW="${WINDOW:-8}"; WARMUP="${WARMUP:-3}"; SCALES="${SCALES:-100 1000}"
else
  WINDOW="${WINDOW:-30}"; WARMUP="${WARMUP:-10}"; SCALES="${SCALES:-100 1000 2000 10000}"
fi
# The JVM's warm-up: at 100 probes/s the C2 compiler alone was half of Pulse's CPU 20 s after
# start and done after about a minute, so a 10 s warm-up measured the JIT, not the steady state.
if $QUICK; then
  JVM_WARMUP="${JVM_WARMUP:-$WARMUP}"
else
  JVM_WARMUP="${JVM_WARMUP:-60}"
fi
PEER_MAX="${PEER_MAX:-2000}"
REPS="${REPS:-1}"
CLIENTS="${CLIENTS:-pulse fresh blackbox wrk}"
PULSE_HEAP="${PULSE_HEAP:-512m}"
HOSTS=10            # 127.0.0.1 .. 127.0.0.10
PORTS_PER_RUN=3     # each run gets its own ports, so connection and TIME_WAIT counts never mix
BASE_PORT="${BASE_PORT:-18100}"
READY_TIMEOUT=180   # seconds
WRK_CONNS=16        # wrk's connections to its one host:port (Pulse caps itself at 8 per host:port)
DRIVER_CONNS=64     # connections from the wrk driver to blackbox_exporter

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- 1. packages
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || need+=(prometheus-blackbox-exporter)
command -v gnuplot >/dev/null 2>&1 || need+=(gnuplot-nox)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} from Debian's packages"
  apt-get update -qq
  # The package starts its own exporter on :9115 where an init system runs; the harness starts
  # its own on a free port and never uses that one.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
BLACKBOX="$(command -v prometheus-blackbox-exporter)"
for tool in python3 ss java jcmd getconf curl git; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool" >&2; exit 1; }
done

# ---------------------------------------------------------------- temp dir and clean-up
TMP="$(mktemp -d /tmp/pulse-bench.XXXXXX)"
NGINX_PID=""
CHILD_PID=""   # the Pulse JVM, blackbox_exporter or wrk of the current run
DRIVER_PID=""
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"   # stop_pid
cleanup() {
  local rc=$?
  stop_pid "$DRIVER_PID" 5
  stop_pid "$CHILD_PID" 20
  stop_pid "$NGINX_PID" 10
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); last lines of the logs:"
    tail -n 30 "$TMP"/run-*.log 2>/dev/null >&2 || true
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

# ---------------------------------------------------------------- the plan: one line per run
# REPS repetitions are interleaved (every scale and client once, then again), so a slow minute
# of the machine lands on every client rather than on one.
PLAN=()
for ((rep = 1; rep <= REPS; rep++)); do
  for scale in $SCALES; do
    for client in $CLIENTS; do
      if ((scale <= PEER_MAX)) || [ "$client" = pulse ] || [ "$client" = wrk ]; then
        PLAN+=("$scale $client")
      fi
    done
  done
done
PLAN+=("0 wrk-unpaced")
n_runs=${#PLAN[@]}

# ---------------------------------------------------------------- 2. nginx on loopback
LAST_PORT=$((BASE_PORT + n_runs * PORTS_PER_RUN - 1))
if ss -Hltn "( sport >= :$BASE_PORT and sport <= :$LAST_PORT )" | grep -q .; then
  echo "ports $BASE_PORT-$LAST_PORT are partly in use; set BASE_PORT" >&2; exit 1
fi
mkdir -p "$TMP/nginx/html"
{
  echo "worker_processes 1;"
  echo "daemon off;"
  echo "pid $TMP/nginx/nginx.pid;"
  echo "error_log $TMP/nginx/error.log warn;"
  echo "worker_rlimit_nofile 65536;"
  echo "events { worker_connections 16384; }"
  echo "http {"
  echo "  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;"
  echo "  fastcgi_temp_path $TMP/nginx/fastcgi; uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi;"
  echo "  log_format bench '\$server_port \$connection \$connection_requests';"
  # One unbuffered log per port: a run counts its requests with wc -l at the window's edges.
  echo "  access_log $TMP/nginx/access-\$server_port.log bench;"
  echo "  open_log_file_cache max=256;"
  echo "  root $TMP/nginx/html;   # a log path with variables needs an existing root"
  echo "  keepalive_timeout 75s;"
  echo "  keepalive_requests 1000000;"
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

# ---------------------------------------------------------------- 3. helpers
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
fd_count() { ls "/proc/$1/fd" | wc -l; }
ticks() { python3 "$HERE/cpu_ticks.py" "$1"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
requests_on() { # requests nginx has logged on the port range so far
  local p n=0
  for ((p = $1; p <= $2; p++)); do
    [ -f "$TMP/nginx/access-$p.log" ] && n=$((n + $(wc -l <"$TMP/nginx/access-$p.log")))
  done
  echo "$n"
}
tw_ports() { # TIME_WAIT sockets to or from the given port range
  ss -Htan state time-wait "( dport >= :$1 and dport <= :$2 ) or ( sport >= :$1 and sport <= :$2 )" | wc -l
}
now() { date +%s.%N; }
CLK_TCK="$(getconf CLK_TCK)"
# Only the families the window needs (Prometheus client names: counters without _total), so the
# two scrapes that bound the window stay small at 10,000 targets.
WINDOW_METRICS="includedNames=pulse_probes,pulse_connections_opened,pulse_probes_skipped,pulse_schedule_lag_seconds,pulse_schedule_lag_seconds_max"

# Appends the common figures of a run to its result file: name=value lines.
# usage: figures OUT KIND SCALE PORT_LO PORT_HI PID TICKS0 TICKS1 T0 T1 FDS0 FDS1 PROBES FAILURES
figures() {
  local out="$1" kind="$2" scale="$3" plo="$4" phi="$5" pid="$6"
  local tk0="$7" tk1="$8" t0="$9" t1="${10}" fds0="${11}" fds1="${12}" probes="${13}" failures="${14}"
  local requests connections
  eval "$(python3 "$HERE/nginx_conns.py" "$TMP/nginx" "$plo" "$phi")"
  python3 - >>"$out" <<PY
probes, ticks, win, tck = $probes, $tk1 - $tk0, $t1 - $t0, $CLK_TCK
reqs, nconns = $requests, $connections
print("kind=$kind")
print("scale=$scale")
print(f"window_s={win:.1f}")
print(f"probes={probes:.0f}")
print(f"probes_per_s={probes / win:.1f}")
cpu_s = ticks / tck
print("cpu_us_per_probe=" + (f"{cpu_s / probes * 1e6:.1f}" if probes else "n/a"))
print(f"cpu_pct={cpu_s / win * 100:.1f}")
print(f"failures=$failures")
print("nginx_conns_per_1k=" + (f"{nconns / reqs * 1000:.2f}" if reqs else "n/a"))
print(f"nginx_requests={reqs}")
print(f"nginx_connections={nconns}")
print(f"tw_ports=$(tw_ports "$plo" "$phi")")
print(f"fds=$fds0 → $fds1")
PY
}

# ---------------------------------------------------------------- 4. the runs
run_pulse() { # scale kind(pulse|fresh) idx plo phi
  local scale="$1" kind="$2" idx="$3" plo="$4" phi="$5" out="$TMP/run-$3.txt" port cfg_args=()
  if ((scale > 2000)); then
    python3 "$HERE/gen_config.py" "$scale" "$HOSTS" "$plo" "$phi" gatus "$TMP/targets-$idx.yaml"
    cfg_args=(--pulse.import.gatus-config="$TMP/targets-$idx.yaml")
  else
    python3 "$HERE/gen_config.py" "$scale" "$HOSTS" "$plo" "$phi" "$kind" "$TMP/targets-$idx.yaml"
    cfg_args=(--spring.config.additional-location="$TMP/targets-$idx.yaml")
  fi
  # Above 2,000 targets, the settings README's sizing section recommends: per-service histograms
  # (per-target ones make ~90 series per target, a ~90 MB scrape at 10,000) and 20 results per
  # target in memory (about 140 to 250 bytes each; the default 100 holds ~1 million at 10,000).
  if ((scale > 2000)); then
    cfg_args+=(--pulse.metrics.target-histograms=false --pulse.results.history=20)
  fi
  port="$(free_port)"
  local t_start; t_start=$(now)
  # A full scrape of 10,000 targets builds ~25 MB of text in memory: more heap above 2,000.
  local heap_opt="$PULSE_HEAP"
  ((scale > 2000)) && heap_opt="${PULSE_HEAP_LARGE:-1g}"
  java "-Xmx$heap_opt" -jar "$JAR" "${cfg_args[@]}" \
    --spring.profiles.active=bench \
    --server.port="$port" \
    --spring.datasource.url="jdbc:sqlite:$TMP/bench-$idx.db" \
    --pulse.api.write-token=bench \
    --logging.level.dev.pulse.target.GatusConfigImporter=warn \
    >"$TMP/run-$idx.log" 2>&1 &
  CHILD_PID=$!
  local base="http://127.0.0.1:$port" ready=false
  while python3 -c "import sys; sys.exit(0 if $(now) - $t_start < $READY_TIMEOUT else 1)"; do
    kill -0 "$CHILD_PID" 2>/dev/null || { echo "Pulse exited during start-up" >&2; return 1; }
    if curl -fsS -o /dev/null "$base/actuator/health/readiness" 2>/dev/null; then ready=true; break; fi
    sleep 0.5
  done
  $ready || { echo "Pulse not ready after ${READY_TIMEOUT}s" >&2; return 1; }
  local startup loaded
  startup=$(python3 -c "print(f'{$(now) - $t_start:.1f}')")
  loaded="$(curl -fsS "$base/api/targets" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["targets"]))')"
  log "  ready after ${startup} s with $loaded targets; warm-up ${JVM_WARMUP} s, window ${WINDOW} s"
  sleep "$JVM_WARMUP"

  local fds0 fds1 tk0 tk1 t0 t1 n0 n1
  curl -fsS "$base/actuator/prometheus?$WINDOW_METRICS" >"$TMP/prom-$idx-a.txt"
  # The window is bounded by nginx's request count and the JVM's CPU ticks, read back to back;
  # the scrapes stay outside it (at 10,000 targets a scrape takes a second or two).
  fds0="$(fd_count "$CHILD_PID")"; t0="$(now)"; n0="$(requests_on "$plo" "$phi")"; tk0="$(ticks "$CHILD_PID")"
  sleep "$WINDOW"
  tk1="$(ticks "$CHILD_PID")"; n1="$(requests_on "$plo" "$phi")"; t1="$(now)"; fds1="$(fd_count "$CHILD_PID")"
  curl -fsS "$base/actuator/prometheus?$WINDOW_METRICS" >"$TMP/prom-$idx-b.txt"
  local rss; rss="$(rss_kib "$CHILD_PID")"
  # One full scrape, as Prometheus would make it: its size and time, outside the window.
  local scrape; scrape="$(curl -sS -o /dev/null -w '%{size_download} %{time_total} %{http_code}' "$base/actuator/prometheus")"
  # Heap after a full GC: what the targets, results and meters really hold.
  jcmd "$CHILD_PID" GC.run >/dev/null
  local heap; heap="$(jcmd "$CHILD_PID" GC.heap_info | awk '/garbage-first heap|def new generation/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}')"
  python3 "$HERE/prom.py" "$TMP/prom-$idx-a.txt" "$TMP/prom-$idx-b.txt" >"$out"
  local probes failures conns_opened skipped lag_count lag_p50_ms lag_p99_ms lag_max_ms
  eval "$(cat "$out")"
  echo "pulse_probes=$probes (between the scrapes)" >>"$out"
  figures "$out" "$([ "$kind" = fresh ] && echo 'Pulse fresh-connection' || echo 'Pulse pooled')" "$scale" \
    "$plo" "$phi" "$CHILD_PID" "$tk0" "$tk1" "$t0" "$t1" "$fds0" "$fds1" "$((n1 - n0))" "$failures"
  python3 - >>"$out" <<PY
probes, conns = $probes, $conns_opened
size, secs, code = "$scrape".split()
print("targets_loaded=$loaded")
print("startup_s=$startup")
print(f"rss_mib={$rss / 1024:.0f}")
print(f"heap_mib={int('${heap%K}') / 1024:.0f}")
print("conns_per_1k=" + (f"{conns / probes * 1000:.2f}" if probes else "n/a"))
print("xmx=$heap_opt")
print(f"scrape=" + (f"{int(size) / 1e6:.1f} MB in {float(secs) * 1000:.0f} ms" if code == "200" else f"HTTP {code} after {float(secs) * 1000:.0f} ms"))
PY
  stop_pid "$CHILD_PID" 20; CHILD_PID=""
}

run_blackbox() { # scale idx plo phi
  local scale="$1" idx="$2" plo="$3" phi="$4" out="$TMP/run-$2.txt" port
  port="$(free_port)"
  cat >"$TMP/blackbox-$idx.yml" <<YAML
modules:
  http_2xx:   # the same checks as Pulse's targets: status 200 and "status":"UP" in the body
    prober: http
    timeout: 500ms
    http:
      valid_status_codes: [200]
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      fail_if_body_not_matches_regexp: ['"status":"UP"']
YAML
  python3 "$HERE/gen_config.py" "$scale" "$HOSTS" "$plo" "$phi" blackbox "$TMP/paths-$idx.txt"
  "$BLACKBOX" --config.file="$TMP/blackbox-$idx.yml" --web.listen-address="127.0.0.1:$port" --log.level=warn \
    >"$TMP/run-$idx.log" 2>&1 &
  CHILD_PID=$!
  for ((i = 0; i < 50; i++)); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" 2>/dev/null && break
    sleep 0.1
  done
  local drive=$((WARMUP + WINDOW + 2))
  PACE_RATE="$scale" PACE_PATHS="$TMP/paths-$idx.txt" wrk -t1 -c"$DRIVER_CONNS" -d"${drive}s" --timeout 2s \
    -s "$HERE/wrk/pace.lua" "http://127.0.0.1:$port/" >"$TMP/driver-$idx.txt" 2>&1 &
  DRIVER_PID=$!
  sleep "$WARMUP"
  local fds0 fds1 tk0 tk1 t0 t1 q0 q1
  local n0 n1
  fds0="$(fd_count "$CHILD_PID")"; t0="$(now)"; n0="$(requests_on "$plo" "$phi")"; tk0="$(ticks "$CHILD_PID")"
  sleep "$WINDOW"
  tk1="$(ticks "$CHILD_PID")"; n1="$(requests_on "$plo" "$phi")"; t1="$(now)"; fds1="$(fd_count "$CHILD_PID")"
  local rss; rss="$(rss_kib "$CHILD_PID")"
  wait "$DRIVER_PID" || true; DRIVER_PID=""
  local driver_ok=0 driver_failed=0
  eval "$(grep -o 'driver_ok=[0-9]* driver_failed=[0-9]*' "$TMP/driver-$idx.txt" | tr ' ' '\n')"
  local probes=$((n1 - n0))
  : >"$out"
  figures "$out" "blackbox_exporter" "$scale" "$plo" "$phi" "$CHILD_PID" "$tk0" "$tk1" "$t0" "$t1" \
    "$fds0" "$fds1" "$probes" "$driver_failed (whole drive, of $((driver_ok + driver_failed)))"
  {
    echo "rss_mib=$((rss / 1024))"
    echo "conns_per_1k=$(sed -n 's/^nginx_conns_per_1k=//p' "$out") (nginx, whole run)"
    echo "driver=$(grep -E 'Requests/sec' "$TMP/driver-$idx.txt" | awk '{print $2}') req/s over ${drive} s, $DRIVER_CONNS conns"
  } >>"$out"
  stop_pid "$CHILD_PID" 10; CHILD_PID=""
}

run_wrk() { # scale(0 = unpaced) idx plo phi
  local scale="$1" idx="$2" plo="$3" phi="$4" out="$TMP/run-$2.txt"
  local rate="$scale" kind="wrk paced" duration=$((WARMUP + WINDOW))
  if [ "$scale" = 0 ]; then rate=0; kind="wrk unpaced"; fi
  # wrk cannot start its measured window late, so the whole run is measured; its warm-up is
  # a few hundred requests at most.
  local url="http://127.0.0.1:$plo/health" fds0 tk0 tk1 t0 t1
  PACE_RATE="$rate" wrk -t1 -c"$WRK_CONNS" -d"${WINDOW}s" --timeout 2s -s "$HERE/wrk/pace.lua" "$url" \
    >"$TMP/wrk-$idx.txt" 2>&1 &
  CHILD_PID=$!
  sleep 0.3
  fds0="$(fd_count "$CHILD_PID")"; tk0=0; t0="$(now)"
  local tk_last=0
  while kill -0 "$CHILD_PID" 2>/dev/null; do tk_last="$(ticks "$CHILD_PID" 2>/dev/null || echo "$tk_last")"; sleep 0.2; done
  t1="$(now)"
  wait "$CHILD_PID" || true; CHILD_PID=""
  local requests
  requests=$(awk '/requests in/ {print $1}' "$TMP/wrk-$idx.txt")
  local errors; errors=$(awk '/Non-2xx|Socket errors/ {print}' "$TMP/wrk-$idx.txt" | tr '\n' ' ')
  local window; window=$(awk '/requests in/ {gsub("s,","",$4); print $4}' "$TMP/wrk-$idx.txt")
  : >"$out"
  # wrk's own window is exact (its summary); its CPU is sampled until it exits (the last sample
  # misses at most 0.2 s of a closing process, which does nothing then).
  figures "$out" "$kind" "$scale" "$plo" "$phi" "0" "$tk0" "$tk_last" "0" "$window" "$fds0" "-" "$requests" \
    "${errors:-0}"
  echo "conns_per_1k=$(sed -n 's/^nginx_conns_per_1k=//p' "$out")" >>"$out"
}

idx=0
RUNFILES=()
for entry in "${PLAN[@]}"; do
  read -r scale kind <<<"$entry"
  plo=$((BASE_PORT + idx * PORTS_PER_RUN)); phi=$((plo + PORTS_PER_RUN - 1))
  log "run $((idx + 1))/$n_runs: $kind at ${scale:-max} probes/s, ports $plo-$phi"
  case "$kind" in
    pulse|fresh) run_pulse "$scale" "$kind" "$idx" "$plo" "$phi" ;;
    blackbox) run_blackbox "$scale" "$idx" "$plo" "$phi" ;;
    wrk) run_wrk "$scale" "$idx" "$plo" "$phi" ;;
    wrk-unpaced) run_wrk 0 "$idx" "$plo" "$phi" ;;
  esac
  log "  $(tr '\n' ' ' <"$TMP/run-$idx.txt")"
  RUNFILES+=("$TMP/run-$idx.txt")
  idx=$((idx + 1))
done

# ---------------------------------------------------------------- 5. report
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$HERE/results"
REPORT="$HERE/results/$STAMP.md"
PLOT="$HERE/results/$STAMP.png"
python3 "$HERE/render.py" --tsv "$HERE/results/$STAMP.tsv" "${RUNFILES[@]}" >"$TMP/tables.md"
gnuplot -e "tsv='$HERE/results/$STAMP.tsv'; png='$PLOT'" "$HERE/plot.gp" 2>"$TMP/gnuplot.log" \
  || { log "gnuplot failed:"; cat "$TMP/gnuplot.log" >&2; }
{
  echo "# Pulse benchmark $STAMP"
  echo
  echo "- command: \`$CMDLINE\` (from \`$REPO\`)"
  echo "- mode: $($QUICK && echo quick || echo full); scales: $SCALES; peers up to $PEER_MAX probes/s; warm-up ${WARMUP} s (Pulse: ${JVM_WARMUP} s); measured window ${WINDOW} s per run; $REPS repetition(s), interleaved"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)"
  echo "- JDK: $(java -version 2>&1 | head -n 2 | tr '\n' ' ' | sed 's/ *$//')"
  echo "- nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //'), 1 worker; blackbox_exporter: $("$BLACKBOX" --version 2>&1 | head -n1 | awk '{print $3}'); wrk: $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
  echo "- Pulse: \`$JAR\`, -Xmx$PULSE_HEAP, SQLite store in a temp dir; targets: interval 1s, timeout 500ms, \`[STATUS] == 200\` and \`[BODY].status == UP\`, spread over 127.0.0.1-$HOSTS × $PORTS_PER_RUN ports per run"
  echo "- blackbox_exporter: module http_2xx (status 200, body matches \`\"status\":\"UP\"\`, timeout 500ms), driven by wrk + bench/wrk/pace.lua with $DRIVER_CONNS connections; wrk: $WRK_CONNS connections to one host:port"
  echo "- plot: \`$(basename "$PLOT")\`"
  echo
  cat "$TMP/tables.md"
} >"$REPORT"
cat "$REPORT"
log "report written to $REPORT"
