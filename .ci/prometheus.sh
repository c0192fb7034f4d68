#!/usr/bin/env bash
# Installs Prometheus from Debian's packages, checks and unit-tests the alerting rules with
# promtool, and exports PULSE_TEST_PROMETHEUS for DashboardQueriesTest.
# Sourced by .ci/run before the build; can also be run on its own (`bash .ci/prometheus.sh`).
# A rule that does not check or a rule test that fails fails the CI run. Without Prometheus
# (the install failed), the promtool steps and the Prometheus tests are skipped and say so.
set -euo pipefail

pulse_prometheus_unavailable() {
  echo "Prometheus unavailable: $1; Prometheus tests will be skipped"
}

# Each step ends in `|| return`: set -e does not apply inside a function called from `if`.
pulse_prometheus_install() {
  if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
    echo "Installing Prometheus from Debian's packages"
    # Debian's package may try to start a prometheus service; there is no systemd in CI, and
    # nothing here relies on :9090 (the Java test starts its own on a free loopback port).
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }; then
      pulse_prometheus_unavailable "apt-get install prometheus failed"
      return 1
    fi
  fi
  if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
    pulse_prometheus_unavailable "prometheus or promtool not on the PATH after installation"
    return 1
  fi
  echo "$(prometheus --version 2>&1 | head -n 1) at $(command -v prometheus)"
}

# Fails (returns 1) when the rules do not check or a rule test fails.
pulse_prometheus_rules() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  echo "promtool check rules helm/pulse/rules/pulse-rules.yaml"
  (cd "$root" && promtool check rules helm/pulse/rules/pulse-rules.yaml) || return 1
  echo "promtool test rules helm/pulse/rules/tests/*.yaml"
  (cd "$root" && promtool test rules helm/pulse/rules/tests/*.yaml) || return 1
}

if pulse_prometheus_install; then
  if ! pulse_prometheus_rules; then
    echo "Prometheus rules: promtool check or test failed"
    unset -f pulse_prometheus_unavailable pulse_prometheus_install pulse_prometheus_rules
    # `return` when sourced (set -e in .ci/run then stops the run), `exit` when run directly.
    return 1 2>/dev/null || exit 1
  fi
  PULSE_TEST_PROMETHEUS="$(command -v prometheus)"
  export PULSE_TEST_PROMETHEUS
  echo "Prometheus ready: PULSE_TEST_PROMETHEUS=$PULSE_TEST_PROMETHEUS"
else
  echo "Prometheus unavailable: skipping promtool check rules and promtool test rules"
  unset PULSE_TEST_PROMETHEUS
fi
unset -f pulse_prometheus_unavailable pulse_prometheus_install pulse_prometheus_rules
