# Shell helpers shared by bench/run.sh and bench/soak.sh (sourced, not run).

# stop_pid PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL; reaps the child either way.
stop_pid() {
  local pid="$1" wait_s="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
