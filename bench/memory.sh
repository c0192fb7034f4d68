#!/usr/bin/env bash
# Memory at scale (issue #13.2): heap after GC, RSS and the full scrape at 1,000 and 10,000
# targets at 1 s intervals with the default history of 100, in -Xmx512m.
#
#   bash bench/memory.sh                  # 1,000 then 10,000 targets
#   SCALES=10000 PULSE_HEAP=1g bash bench/memory.sh
#
# Environment: PULSE_JAR (default: the jar in target/, built if missing), SCALES
# ("1000 10000"), PULSE_HEAP (512m), PULSE_ARGS (extra Pulse arguments, e.g.
# --pulse.metrics.target-histograms=false), FILL (seconds before measuring, 110: the history of
# 100 at 1 s is full), BASE_PORT (18500: nginx on 127.0.0.1-10 x 3 ports). Results go to
# stdout; copy the SUMMARY lines into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib.sh"
SCALES="${SCALES:-1000 10000}"
BASE_PORT="${BASE_PORT:-18500}"
JAR="$(pulse_jar "$REPO")"
start_loopback_nginx "$BASE_PORT"
for n in $SCALES; do
  echo "== $n targets, -Xmx${PULSE_HEAP:-512m}, $JAR"
  python3 "$HERE/memory.py" "$JAR" "$n" "$PORTS"
done
