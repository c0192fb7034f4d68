#!/usr/bin/env python3
"""Take one soak sample of a running Pulse and print it as a TSV row (or the header).

usage: soak_sample.py --header
       soak_sample.py PID HTTP_PORT PORT_LO PORT_HI T0
Forces a full GC first (jcmd PID GC.run), so the heap figure is the live set, not garbage.
Columns (see soak_fit.py for which ones are judged):
  t_s                  seconds since T0 (epoch seconds)
  heap_after_gc_bytes  jvm_gc_live_data_size_bytes: the old generation after that full GC
  direct_bytes         jvm_buffer_memory_used_bytes{id="direct"} (NIO and Netty direct buffers)
  fds                  entries in /proc/PID/fd
  pool_connections     reactor_netty_connection_provider_total_connections, all pools
  time_wait            TIME_WAIT sockets from or to the fault servers' ports
  threads              jvm_threads_live_threads
  pool_pending         reactor_netty_connection_provider_pending_connections, all pools
  rss_bytes            VmRSS of the process
"""
import os
import re
import subprocess
import sys
import time
import urllib.request

# The exposition-format reader of bench/prom.py, which cannot be imported (it runs on import).
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')

COLUMNS = ["t_s", "heap_after_gc_bytes", "direct_bytes", "fds", "pool_connections", "time_wait", "threads",
           "pool_pending", "rss_bytes"]


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=10) as answer:
        text = answer.read().decode()
    series = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and not line.startswith("#"):
            try:
                series.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
            except ValueError:
                pass
    return series


def total(series, name, **want):
    """The sum of a metric's series, or nan when it is absent from the scrape."""
    values = [v for n, l, v in series if n == name and all(l.get(k) == w for k, w in want.items())]
    return sum(values) if values else float("nan")


def time_wait(lo, hi):
    out = subprocess.run(["ss", "-Htan", "state", "time-wait",
                          f"( dport >= :{lo} and dport <= :{hi} ) or ( sport >= :{lo} and sport <= :{hi} )"],
                         capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return float("nan")


def main(argv):
    if argv == ["--header"]:
        print("\t".join(COLUMNS))
        return 0
    pid, port, lo, hi, t0 = int(argv[0]), int(argv[1]), int(argv[2]), int(argv[3]), float(argv[4])
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True, timeout=60)
    t = time.time() - t0
    series = scrape(port)
    row = [t, total(series, "jvm_gc_live_data_size_bytes"),
           total(series, "jvm_buffer_memory_used_bytes", id="direct"),
           len(os.listdir(f"/proc/{pid}/fd")),
           total(series, "reactor_netty_connection_provider_total_connections"),
           time_wait(lo, hi),
           total(series, "jvm_threads_live_threads"),
           total(series, "reactor_netty_connection_provider_pending_connections"),
           rss(pid)]
    print("\t".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
