#!/usr/bin/env bash
# Replicas sharing targets through partition leases (issue #14): ClusterIT with Pulse's
# production lease settings (10 s lease, 2 s renewal) and a longer kill/restart loop, then
# its CLUSTER-FIGURE lines as a summary.
#
#   bash bench/cluster/run.sh                       # production profile, 200 kills
#   PROFILE=fast ITERATIONS=50 bash bench/cluster/run.sh   # what the suite runs
#   SEED=123 bash bench/cluster/run.sh              # replay the loop's choice of victims
#
# Environment: PROFILE (production or fast), ITERATIONS (200), PACE_MILLIS (2200: mean time
# between two kills of the loop), SEED (random), PACKAGE (1: package the jar first; 0: use
# target/'s). Needs PostgreSQL: .ci/postgres.sh is sourced (it installs and starts one if it
# can). Replica logs stay under target/cluster-it/<run>/logs; the summary is also written to
# target/cluster-it/summary-<profile>.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PROFILE="${PROFILE:-production}"
ITERATIONS="${ITERATIONS:-200}"
PACE_MILLIS="${PACE_MILLIS:-2200}"
cd "$REPO"

source .ci/postgres.sh
if [ -z "${PULSE_TEST_POSTGRES_URL:-}" ]; then
  echo "no PostgreSQL: ClusterIT would be skipped" >&2
  exit 1
fi
if [ "${PACKAGE:-1}" = 1 ]; then
  ./mvnw -B -o -q package -DskipTests
fi
properties=(-Dit.test=ClusterIT -Dpulse.cluster.profile="$PROFILE" -Dpulse.cluster.iterations="$ITERATIONS"
  -Dpulse.cluster.pace-millis="$PACE_MILLIS")
if [ -n "${SEED:-}" ]; then
  properties+=(-Dpulse.cluster.seed="$SEED")
fi
status=0
./mvnw -B -o failsafe:integration-test failsafe:verify "${properties[@]}" || status=$?

output="target/failsafe-reports/dev.pulse.cluster.ClusterIT-output.txt"
mkdir -p target/cluster-it
summary="target/cluster-it/summary-$PROFILE.txt"
{
  echo "ClusterIT, $PROFILE profile, $ITERATIONS kills, $(date -u +%Y-%m-%dT%H:%M:%SZ), exit $status"
  grep -h '^CLUSTER-FIGURE' "$output" | sort -u -k2,2 -s || echo "no CLUSTER-FIGURE line in $output"
} | tee "$summary"
grep -h -A3 -E '^\[ERROR\]|FAILURE|AssertionError|expected' target/failsafe-reports/*ClusterIT*.txt 2>/dev/null | head -40 || true
exit "$status"
