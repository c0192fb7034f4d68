#!/usr/bin/env python3
"""Memory at scale (issue #13.2), driven by bench/memory.sh.

  memory.py JAR N PORTS   Pulse with N targets from a targets file (100 services, interval 1s,
                          timeout 1s, the default history of 100) against nginx at PORTS
                          ("127.0.0.1:18500,..."). After the history has filled
                          (FILL seconds, default 110): failures in a 10 s window, three full
                          /actuator/prometheus scrapes (status, bytes, seconds), the heap after a
                          full GC, RSS, and the top of the live class histogram.

Only loopback traffic; the Pulse started here is stopped before it returns.
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from coldstart import scrape, start_pulse, stop, wait_ready, write_targets

FILL = float(os.environ.get("FILL", "110"))


def full_scrape(port, families=None):
    t0 = time.time()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=120) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    elapsed = time.time() - t0
    if families is not None:
        for line in body.decode(errors="replace").splitlines():
            if line and not line.startswith("#"):
                name = re.split(r"[{ ]", line, 1)[0]
                families[name] = families.get(name, 0) + len(line) + 1
    return status, len(body), elapsed


def jcmd(pid, *args):
    return subprocess.run(["jcmd", str(pid), *args], capture_output=True, text=True, timeout=120).stdout


def heap_used_mib(pid):
    jcmd(pid, "GC.run")
    info = jcmd(pid, "GC.heap_info")
    m = re.search(r"used (\d+)K", info)
    return int(m.group(1)) / 1024 if m else float("nan")


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(jar, n, ports):
    work = tempfile.mkdtemp(prefix="pulse-memory-")
    file = f"{work}/targets.json"
    write_targets(file, {f"t-{i}": {"url": f"http://{ports[i % len(ports)]}/health?t={i}", "service": f"svc-{i % 100}",
                                    "interval": "1s", "timeout": "1s", "retry": {"max-attempts": 1}}
                         for i in range(n)})
    log = f"{work}/pulse.log"
    t0 = time.time()
    proc, port = start_pulse(jar, work, ["--pulse.security.ssrf.allow=127.0.0.0/8", f"--pulse.targets-file={file}",
                                         f"--pulse.limits.max-targets={n + 10}"] + os.environ.get("PULSE_ARGS", "").split(), log)
    try:
        wait_ready(port, 180)
        ready = time.time() - t0
        time.sleep(FILL)
        if proc.poll() is not None:
            raise SystemExit(f"Pulse exited: see {log}")
        before = scrape(port)
        time.sleep(10)
        after = scrape(port)
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        failures = sum(v for k, v in delta.items() if k != "none")
        families = {}
        scrapes = [full_scrape(port, families if i == 2 else None) for i in range(3)]
        heap = heap_used_mib(proc.pid)
        rss = rss_mib(proc.pid)
        histo = jcmd(proc.pid, "GC.class_histogram").splitlines()[:18]
        ooms = open(log).read().count("OutOfMemoryError")
        print("\n".join(histo))
        print("largest series families in the scrape (bytes):")
        for name, size in sorted(families.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {size:>10} {name}")
        print(f"SUMMARY memory targets={n} heap={os.environ.get('PULSE_HEAP', '512m')} ready_s={ready:.1f} "
              f"probes_10s={sum(delta.values()):.0f} failures_10s={failures:.0f} "
              f"scrapes={' '.join(f'{s}/{b / 1e6:.1f}MB/{t * 1000:.0f}ms' for s, b, t in scrapes)} "
              f"heap_after_gc_mib={heap:.0f} rss_mib={rss:.0f} oom_in_log={ooms} args={os.environ.get('PULSE_ARGS', '-')!r}")
    finally:
        stop(proc)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","))
