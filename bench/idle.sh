#!/usr/bin/env bash
# The idle cost of a small install (issue #13.4): CPU of a Pulse with 1, 10 and 100 targets
# against loopback nginx, with nothing else to do. Compare jars by passing several.
#
#   bash bench/idle.sh                         # the packaged jar
#   bash bench/idle.sh /tmp/before.jar /tmp/after.jar
#
# Environment: SCENARIOS ("1:10s 10:10s 100:1s": targets:interval), REPS (3), SETTLE (60 s
# after ready: the JIT is busy for about a minute), WINDOW (30 s measured), BASE_PORT
# (18600), PULSE_HEAP (512m). Prints a markdown table; copy it into docs/benchmarks.md with
# the command.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib.sh"
SCENARIOS="${SCENARIOS:-1:10s 10:10s 100:1s}"
BASE_PORT="${BASE_PORT:-18600}"
if [ "$#" -gt 0 ]; then JARS=("$@"); else JARS=("$(pulse_jar "$REPO")"); fi
start_loopback_nginx "$BASE_PORT"
echo "== idle cost: $SCENARIOS; $(nproc) CPUs; JDK $(java -version 2>&1 | head -n 1)"
python3 "$HERE/idle.py" "$PORTS" "$SCENARIOS" "${JARS[@]}"
