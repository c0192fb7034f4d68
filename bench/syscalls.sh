#!/usr/bin/env bash
# Syscalls and wake-ups per probe (issue #13.5): Pulse and paced wrk at the same rate on the
# same loopback nginx, counted with strace -c -f and /proc's context switches.
#
#   bash bench/syscalls.sh                 # 2,000 probes/s
#   RATES="2000 10000" bash bench/syscalls.sh
#
# Environment: PULSE_JAR (default: the jar in target/, built if missing), RATES ("2000"),
# SETTLE (20 s), WINDOW (20 s untraced), TRACE (10 s under strace), BASE_PORT (18700),
# PULSE_HEAP (512m). Installs strace and wrk from Debian's packages if missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
source "$HERE/lib.sh"
RATES="${RATES:-2000}"
BASE_PORT="${BASE_PORT:-18700}"
need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
JAR="$(pulse_jar "$REPO")"
start_loopback_nginx "$BASE_PORT"
for rate in $RATES; do
  echo "== $rate probes/s: Pulse ($JAR) and wrk paced"
  python3 "$HERE/syscalls.py" "$JAR" "$rate" "$PORTS"
done
