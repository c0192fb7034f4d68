#!/usr/bin/env bash
# Pulse soak test (issue #9): does anything grow while Pulse probes healthy and faulty servers?
#
#   bash bench/soak.sh                                  # 200 targets, 30 minutes
#   bash bench/soak.sh --duration 600 --targets 200     # 10 minutes
#   bash bench/soak.sh --duration 120 -- --pulse.results.history=10   # what SoakTest runs in CI
#
# Options (environment variables in brackets):
#   --duration S  [SOAK_DURATION]  seconds of probing, default 1800
#   --targets N   [SOAK_TARGETS]   targets, default 200: half healthy, half spread over nine faults
#   --sample S    [SOAK_SAMPLE]    seconds between samples, default 5
#   --warmup S    [SOAK_WARMUP]    samples before this are not fitted; default duration/4, within 60-300
#   --out FILE    [SOAK_OUT]       also write the report (Markdown) to FILE
#   -- ARGS...                     further arguments for Pulse (--key=value)
#   [SOAK_JAVA_OPTS]               further JVM options for Pulse (e.g. -Dio.netty.allocator.type=pooled)
# Pulse comes from PULSE_JAR (java -jar), or PULSE_CLASSPATH (java -cp, as SoakTest does), or a jar
# built from a clone of this repository's HEAD.
#
# Pulse runs with -Dio.netty.leakDetection.level=paranoid. Every sample forces a full GC and
# records heap after GC, direct memory, FDs, pool connections, TIME_WAIT sockets, threads and RSS
# (bench/soak_sample.py). At the end bench/soak_fit.py fits a least-squares line to each series
# after the warm-up. Exit 1 if one grows faster than its limit or a LEAK: line is in Pulse's log,
# 2 if the run itself failed (a server did not start, Pulse died), 0 otherwise.
# All traffic stays on loopback (127.0.0.1..127.0.0.10); every process started here is stopped on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CMDLINE="bash bench/soak.sh $*"

DURATION="${SOAK_DURATION:-1800}"
TARGETS="${SOAK_TARGETS:-200}"
SAMPLE="${SOAK_SAMPLE:-5}"
WARMUP="${SOAK_WARMUP:-}"
OUT="${SOAK_OUT:-}"
PULSE_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --sample) SAMPLE="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --) shift; PULSE_ARGS=("$@"); break ;;
    -h|--help) sed -n 2,25p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$WARMUP" ]; then
  WARMUP=$((DURATION / 4)); ((WARMUP < 60)) && WARMUP=60; ((WARMUP > 300)) && WARMUP=300
fi
HOSTS=10
BASE_PORT="${SOAK_BASE_PORT:-19300}"
N_BEHAVIOURS=10
LAST_PORT=$((BASE_PORT + N_BEHAVIOURS - 1))
READY_TIMEOUT=120

log() { printf '[soak %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- packages (only if missing)
need=()
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} from Debian's packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
for tool in java jcmd; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool (a JDK 17)" >&2; exit 2; }
done

# ---------------------------------------------------------------- temp dir and clean-up
TMP="$(mktemp -d /tmp/pulse-soak.XXXXXX)"
FAULTS_PID=""
JAVA_PID=""
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"   # stop_pid
cleanup() {
  local rc=$?
  stop_pid "$JAVA_PID" 30
  stop_pid "$FAULTS_PID" 10
  if [ "$rc" -ge 2 ]; then
    log "failed (exit $rc); last lines of the logs:"
    tail -n 30 "$TMP/pulse.log" 2>/dev/null >&2 || true
    tail -n 10 "$TMP/faults.log" 2>/dev/null >&2 || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "soak: $*" >&2; exit 2; }

# ---------------------------------------------------------------- Pulse's command
if [ -n "${PULSE_JAR:-}" ]; then
  PULSE_CMD=(-jar "$PULSE_JAR")
elif [ -n "${PULSE_CLASSPATH:-}" ]; then
  PULSE_CMD=(-cp "$PULSE_CLASSPATH" dev.pulse.PulseApplication)
else
  log "building the jar from a clone of $REPO (in $TMP/src)"
  git clone -q "$REPO" "$TMP/src"
  (cd "$TMP/src" && ./mvnw -q -B -DskipTests package)
  PULSE_CMD=(-jar "$TMP/src/target/pulse-0.1.0-SNAPSHOT.jar")
fi

# ---------------------------------------------------------------- 1. the servers
if ss -Hltn "( sport >= :$BASE_PORT and sport <= :$LAST_PORT )" | grep -q .; then
  fail "ports $BASE_PORT-$LAST_PORT are partly in use; set SOAK_BASE_PORT"
fi
python3 -u "$HERE/faults.py" "$HOSTS" "$BASE_PORT" >"$TMP/faults.log" 2>&1 &
FAULTS_PID=$!
for ((i = 0; i < 100; i++)); do
  grep -q '^ready' "$TMP/faults.log" 2>/dev/null && break
  kill -0 "$FAULTS_PID" 2>/dev/null || fail "faults.py exited: $(cat "$TMP/faults.log")"
  sleep 0.1
done
grep -q '^ready' "$TMP/faults.log" || fail "faults.py not ready after 10 s"
log "servers: $(head -n 1 "$TMP/faults.log") on 127.0.0.1-$HOSTS"

# ---------------------------------------------------------------- 2. the targets
# Half healthy, the other half spread over the nine faults; each target on one of the 10
# loopback hosts, so each host:port pool serves a few targets. About 10% are registered over
# the API (SSRF-guarded, pooled apart from configured targets), the rest are configured.
python3 - "$TARGETS" "$HOSTS" "$BASE_PORT" "$TMP/targets.yaml" "$TMP/api-targets.tsv" <<'EOF'
import sys
n, hosts, base, config, api = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
kinds = ["healthy", "slow", "status503", "close", "idleclose", "hang", "trickle", "reset", "garbage", "huge"]
lines, registered = ["pulse:", "  targets:"], []
for i in range(n):
    kind = kinds[0] if i % 2 == 0 else kinds[1 + (i // 2) % 9]
    url = f"http://127.0.0.{1 + i % hosts}:{base + kinds.index(kind)}/{kind}"
    name = f"{kind}-{i}"
    if i % 10 == 9:
        registered.append(f"{name}\t{url}")
        continue
    lines += [f"    {name}:", f"      url: {url}", "      interval: 1s", "      timeout: 500ms"]
open(config, "w").write("\n".join(lines) + "\n")
open(api, "w").write("".join(r + "\n" for r in registered))
EOF

# ---------------------------------------------------------------- 3. Pulse
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
# shellcheck disable=SC2086
java -Xmx256m -Dio.netty.leakDetection.level=paranoid ${SOAK_JAVA_OPTS:-} "${PULSE_CMD[@]}" \
  --spring.config.additional-location="$TMP/targets.yaml" \
  --spring.profiles.active=soak \
  --server.port="$PORT" \
  --spring.datasource.url="jdbc:sqlite:$TMP/soak.db?journal_mode=WAL&synchronous=FULL&busy_timeout=5000" \
  --pulse.api.write-token=soak \
  --pulse.security.ssrf.allow=127.0.0.0/8 \
  "${PULSE_ARGS[@]}" >"$TMP/pulse.log" 2>&1 &
JAVA_PID=$!
t0=$(date +%s)
until curl -fsS -o /dev/null "$BASE/actuator/health/readiness" 2>/dev/null; do
  kill -0 "$JAVA_PID" 2>/dev/null || fail "Pulse exited during start-up"
  (($(date +%s) - t0 < READY_TIMEOUT)) || fail "Pulse not ready after ${READY_TIMEOUT}s"
  sleep 0.5
done
registered=0
while IFS=$'\t' read -r name url; do
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$BASE/api/targets/$name" -H 'Authorization: Bearer soak' \
    -H 'Content-Type: application/json' -d "{\"url\": \"$url\", \"interval\": \"1s\", \"timeout\": \"500ms\"}")"
  [ "$code" = 201 ] || fail "registering $name answered $code"
  registered=$((registered + 1))
done <"$TMP/api-targets.tsv"
loaded="$(curl -fsS "$BASE/api/targets" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["targets"]))')"
log "Pulse ready on :$PORT (pid $JAVA_PID) after $(($(date +%s) - t0)) s: $loaded targets ($registered over the API)"

# ---------------------------------------------------------------- 4. sampling
SAMPLES="$TMP/samples.tsv"
python3 "$HERE/soak_sample.py" --header >"$SAMPLES"
start=$(date +%s)
end=$((start + DURATION))
next=$start
while (($(date +%s) < end)); do
  kill -0 "$JAVA_PID" 2>/dev/null || fail "Pulse died during the soak"
  python3 "$HERE/soak_sample.py" "$JAVA_PID" "$PORT" "$BASE_PORT" "$LAST_PORT" "$start" >>"$SAMPLES" \
    || fail "sampling failed"
  if (((next - start) % 60 < SAMPLE)); then log "$(tail -n 1 "$SAMPLES" | tr '\t' ' ')"; fi
  next=$((next + SAMPLE))
  while (($(date +%s) < next)); do sleep 0.2; done
done
curl -fsS "$BASE/api/targets" >"$TMP/targets.json"
curl -fsS "$BASE/actuator/prometheus" >"$TMP/prometheus.txt"
t_stop=$(date +%s%N)
stop_pid "$JAVA_PID" 30
stop_ms=$((($(date +%s%N) - t_stop) / 1000000))
JAVA_PID=""

# ---------------------------------------------------------------- 5. report
probes="$(python3 - "$TMP/prometheus.txt" <<'EOF'
import re, sys
reasons = {}
for line in open(sys.argv[1]):
    m = re.match(r'^pulse_probes_total\{(.*)\} (\S+)', line)
    if m:
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        reasons[labels.get("reason", "?")] = reasons.get(labels.get("reason", "?"), 0) + float(m.group(2))
print(f"{sum(reasons.values()):.0f} probes; by reason: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(reasons.items())))
EOF
)"
set +e
verdict="$(python3 "$HERE/soak_fit.py" "$SAMPLES" --warmup "$WARMUP" --log "$TMP/pulse.log")"
rc=$?
set -e
[ "$rc" -le 1 ] || fail "soak_fit.py failed: $verdict"
REPORT="$TMP/report.md"
{
  echo "### Soak $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- command: \`$CMDLINE\`"
  echo "- $TARGETS targets ($registered over the API), interval 1s, timeout 500ms; half healthy, half over: slow 503 close idleclose hang trickle reset garbage huge"
  echo "- duration ${DURATION} s, a sample every ${SAMPLE} s after a forced full GC, fitted after ${WARMUP} s"
  echo "- machine: $(nproc) CPUs, load average at the end $(cut -d' ' -f1-3 /proc/loadavg); Pulse -Xmx256m -Dio.netty.leakDetection.level=paranoid ${SOAK_JAVA_OPTS:-}"
  echo "- $probes"
  echo "- SIGTERM to exit: ${stop_ms} ms"
  echo
  echo "$verdict"
} >"$REPORT"
cat "$REPORT"
[ -z "$OUT" ] || cp "$REPORT" "$OUT"
[ -z "${SOAK_SAMPLES_OUT:-}" ] || cp "$SAMPLES" "$SOAK_SAMPLES_OUT"
exit "$rc"
