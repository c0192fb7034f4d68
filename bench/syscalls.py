#!/usr/bin/env python3
"""Syscalls and wake-ups per probe (issue #13.5), driven by bench/syscalls.sh.

  syscalls.py JAR N PORTS   Pulse with N targets at 1 s (N probes/s) against nginx at PORTS,
                            then wrk paced to N requests/s (bench/wrk/pace.lua, 16
                            connections) on one of those ports. For each: context switches
                            (voluntary and not, over every thread, from /proc) and CPU per
                            request over WINDOW seconds untraced, then `strace -c -f` over
                            TRACE seconds: each syscall's calls per request. strace slows
                            the traced process, so the traced rate is printed beside it.

Only loopback traffic; every process started here is stopped before it returns.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from coldstart import scrape, start_pulse, stop, wait_ready, write_targets
from cpu_ticks import cpu_seconds

SETTLE = float(os.environ.get("SETTLE", "20"))
WINDOW = float(os.environ.get("WINDOW", "20"))
TRACE = float(os.environ.get("TRACE", "10"))
HERE = os.path.dirname(os.path.abspath(__file__))


def switches(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            for line in open(f"/proc/{pid}/task/{task}/status"):
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended between the listing and the read
    return total


def strace(pid, seconds, out):
    """strace -c -f on a running process for `seconds`; returns {syscall: calls}."""
    tracer = subprocess.Popen(["strace", "-c", "-f", "-q", "-o", out, "-p", str(pid)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    tracer.send_signal(2)  # SIGINT: detach and write the summary
    tracer.wait(30)
    calls = {}
    for line in open(out):
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
        if m and m.group(2) != "total":
            calls[m.group(2)] = int(m.group(1))
    return calls


def measure(pid, count, label, one_per_request=None):
    """Untraced window, then traced window; count() gives the requests so far. When strace
    slows the client, the traced requests are the calls of `one_per_request` instead."""
    c0, s0, n0, t0 = cpu_seconds(pid), switches(pid), count(), time.time()
    time.sleep(WINDOW)
    c1, s1, n1, t1 = cpu_seconds(pid), switches(pid), count(), time.time()
    requests = n1 - n0
    out = tempfile.mktemp(prefix="strace-")
    m0, tm0 = count(), time.time()
    calls = strace(pid, TRACE, out)
    traced = count() - m0
    if one_per_request in calls:
        traced = calls[one_per_request]
    traced_rate = traced / (time.time() - tm0)
    total = sum(calls.values())
    print(f"SUMMARY syscalls {label} rate={requests / (t1 - t0):.0f}/s cpu_us_per_request={(c1 - c0) / requests * 1e6:.1f} "
          f"ctx_switches_per_request={(s1 - s0) / requests:.2f} traced_rate={traced_rate:.0f}/s "
          f"syscalls_per_request={total / max(traced, 1):.2f}")
    for name, n in sorted(calls.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {label:>6} {name:<16} {n / max(traced, 1):8.3f} per request  ({n} calls)")


def main(jar, n, ports):
    work = tempfile.mkdtemp(prefix="pulse-syscalls-")
    file = f"{work}/targets.json"
    write_targets(file, {f"t-{i}": {"url": f"http://{ports[i % len(ports)]}/health?t={i}", "interval": "1s",
                                    "timeout": "1s", "retry": {"max-attempts": 1}} for i in range(n)})
    proc, port = start_pulse(jar, work, ["--pulse.security.ssrf.allow=127.0.0.0/8", f"--pulse.targets-file={file}",
                                         "--pulse.targets.self.enabled=false", f"--pulse.limits.max-targets={n + 10}"],
                             f"{work}/pulse.log")
    try:
        wait_ready(port, 120)
        time.sleep(SETTLE)
        measure(proc.pid, lambda: sum(scrape(port).values()), "pulse")
    finally:
        stop(proc)

    # wrk has no counter to read while it runs: untraced, its requests are counted from its pace,
    # checked against its own summary at the end; traced, by its read calls (one per response),
    # because strace slows it below its pace.
    duration = int(SETTLE / 2 + WINDOW + TRACE + 10)
    env = dict(os.environ, PACE_RATE=str(n))
    wrk = subprocess.Popen(["wrk", "-t1", "-c16", f"-d{duration}s", "--timeout", "2s", "-s", f"{HERE}/wrk/pace.lua",
                            f"http://{ports[0]}/health"], env=env, stdout=subprocess.PIPE, text=True)
    start = time.time()
    time.sleep(SETTLE / 2)
    measure(wrk.pid, lambda: (time.time() - start) * n, "wrk", one_per_request="read")
    summary = wrk.communicate(timeout=duration + 30)[0]
    m = re.search(r"(\d+) requests in ([\d.]+)s", summary)
    if m:
        print(f"  wrk's own summary: {m.group(1)} requests in {m.group(2)} s "
              f"({int(m.group(1)) / float(m.group(2)):.0f}/s; the pace assumed {n}/s)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","))
