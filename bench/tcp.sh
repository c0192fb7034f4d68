#!/usr/bin/env bash
# tcp:// targets at scale (issue #16): the article's ping/pong, one connection per probe, at
# 1,000 and 10,000 targets, against bench/heartbeat_server.py on 127.0.0.1-10 x 3 ports.
#
#   bash bench/tcp.sh                        # 1,000 then 10,000 targets, every 10 s, per-probe
#                                            # connections, then persistent heartbeats
#   SCALES=1000 MODES=persistent INTERVAL=1s bash bench/tcp.sh
#
# Environment: PULSE_JAR (default: the jar in target/, built if missing), SCALES
# ("1000 10000"), MODES ("per-probe persistent"), INTERVAL (10s), FILL (40 s before measuring), PULSE_HEAP (512m), PULSE_ARGS,
# BASE_PORT (18600). Results go to stdout; copy the SUMMARY lines into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib.sh"
SCALES="${SCALES:-1000 10000}"
MODES="${MODES:-per-probe persistent}"
BASE_PORT="${BASE_PORT:-18600}"
JAR="$(pulse_jar "$REPO")"
ulimit -n 65536 2>/dev/null || true
ADDRESSES=()
for ((p = BASE_PORT; p < BASE_PORT + 3; p++)); do
  for ((h = 1; h <= 10; h++)); do ADDRESSES+=("127.0.0.$h:$p"); done
done
python3 "$HERE/heartbeat_server.py" "${ADDRESSES[@]}" >"$(mktemp)" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
PORTS="$(IFS=,; echo "${ADDRESSES[*]}")"
for mode in $MODES; do
  for n in $SCALES; do
    echo "== $n tcp:// targets ($mode) every ${INTERVAL:-10s}, -Xmx${PULSE_HEAP:-512m}, $JAR"
    HEARTBEAT="$mode" PYTHONPATH="$HERE" python3 "$HERE/tcp.py" "$JAR" "$n" "$PORTS"
  done
done
