#!/usr/bin/env bash
# Starts a local PostgreSQL for the store tests and exports PULSE_TEST_POSTGRES_URL.
# Sourced by .ci/run before the build; can also be run on its own (`bash .ci/postgres.sh`) to
# install and start the server on a developer's machine (then export the URL it prints).
# It never fails the build: without PostgreSQL, the PostgreSQL store tests are skipped and say so.
set -euo pipefail

pulse_postgres_unavailable() {
  echo "PostgreSQL unavailable: $1; PostgreSQL store tests will be skipped"
}

# psql as the postgres OS user (peer authentication); from / so that it can read its cwd.
pulse_postgres_psql() {
  (cd / && runuser -u postgres -- psql -p "$1" -v ON_ERROR_STOP=1 -qtAc "$2")
}

# Each step ends in `|| return`: set -e does not apply inside a function called from `if`.
pulse_postgres_start() {
  local version port tries
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
    echo "Installing PostgreSQL from Debian's packages"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; then
      pulse_postgres_unavailable "apt-get install postgresql failed"
      return 1
    fi
  fi
  # The newest installed server version (15 on Debian 12).
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    pulse_postgres_unavailable "no server version under /etc/postgresql"
    return 1
  fi
  if [ ! -d "/etc/postgresql/$version/main" ]; then
    pg_createcluster "$version" main >/dev/null || { pulse_postgres_unavailable "pg_createcluster $version main failed"; return 1; }
  fi
  port=$(pg_conftool -s "$version" main show port 2>/dev/null || echo 5432)
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    pg_ctlcluster "$version" main start || { pulse_postgres_unavailable "pg_ctlcluster $version main start failed"; return 1; }
  fi
  tries=0
  until pg_isready -q -h 127.0.0.1 -p "$port"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      pulse_postgres_unavailable "not ready on 127.0.0.1:$port after 30 s"
      return 1
    fi
    sleep 1
  done
  if [ -z "$(pulse_postgres_psql "$port" "SELECT 1 FROM pg_roles WHERE rolname = 'pulse'")" ]; then
    pulse_postgres_psql "$port" "CREATE ROLE pulse LOGIN CREATEDB PASSWORD 'pulse'" || { pulse_postgres_unavailable "cannot create role pulse"; return 1; }
  fi
  # ClusterIT creates (and drops) a database of its own per run, so runs never share
  # advisory locks or LISTEN channels; without CREATEDB it falls back to a schema.
  if [ -z "$(pulse_postgres_psql "$port" "SELECT 1 FROM pg_roles WHERE rolname = 'pulse' AND rolcreatedb")" ]; then
    pulse_postgres_psql "$port" "ALTER ROLE pulse CREATEDB" || echo "cannot grant CREATEDB to pulse: ClusterIT will use a schema of its own"
  fi
  if [ -z "$(pulse_postgres_psql "$port" "SELECT 1 FROM pg_database WHERE datname = 'pulse_test'")" ]; then
    pulse_postgres_psql "$port" "CREATE DATABASE pulse_test OWNER pulse" || { pulse_postgres_unavailable "cannot create database pulse_test"; return 1; }
  fi
  export PULSE_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/pulse_test?user=pulse&password=pulse"
  echo "PostgreSQL $version ready on 127.0.0.1:$port: PULSE_TEST_POSTGRES_URL=$PULSE_TEST_POSTGRES_URL"
}

if ! pulse_postgres_start; then
  unset PULSE_TEST_POSTGRES_URL
fi
unset -f pulse_postgres_unavailable pulse_postgres_psql pulse_postgres_start
