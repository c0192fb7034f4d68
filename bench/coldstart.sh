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
JAR="$(pulse_jar "$REPO")"

if [ "$STARTS" -gt 0 ]; then
  echo "== $STARTS cold starts of $JAR"
  python3 "$HERE/coldstart.py" starts "$JAR" "$STARTS"
fi

start_loopback_nginx "$BASE_PORT"
echo "== a batch of $BATCH targets at once on a warm Pulse: its targets file rewritten"
python3 "$HERE/coldstart.py" reload "$JAR" "$BATCH" "$PORTS"
if [ "${API_BATCH:-0}" -gt 0 ]; then
  echo "== a batch of $API_BATCH targets registered over the API by 16 clients (about 55 PUTs/s on SQLite)"
  python3 "$HERE/coldstart.py" batch "$JAR" "$API_BATCH" "$PORTS"
fi
