#!/usr/bin/env python3
"""The idle cost of a small install (issue #13.4), driven by bench/idle.sh.

  idle.py PORTS SCENARIOS JAR...   for each scenario ("N:INTERVAL", e.g. "10:10s") and each
                                   jar in turn, REPS times: Pulse with N targets from a
                                   targets file against nginx at PORTS, SETTLE seconds after
                                   ready, then the CPU it uses (utime+stime from /proc) over
                                   WINDOW seconds and the probes it made in them; min, median
                                   and max over the repetitions.

Only loopback traffic; every Pulse started here is stopped before the next starts.
"""
import os
import statistics
import sys
import tempfile
import time

from coldstart import scrape, start_pulse, stop, wait_ready, write_targets
from cpu_ticks import cpu_seconds

REPS = int(os.environ.get("REPS", "3"))
SETTLE = float(os.environ.get("SETTLE", "60"))
WINDOW = float(os.environ.get("WINDOW", "30"))


def once(jar, n, interval, ports):
    work = tempfile.mkdtemp(prefix="pulse-idle-")
    file = f"{work}/targets.json"
    write_targets(file, {f"t-{i}": {"url": f"http://{ports[i % len(ports)]}/health?t={i}", "interval": interval,
                                    "timeout": "1s"} for i in range(n)})
    proc, port = start_pulse(jar, work, ["--pulse.security.ssrf.allow=127.0.0.0/8", f"--pulse.targets-file={file}",
                                         "--pulse.targets.self.enabled=false"],
                             f"{work}/pulse.log")
    try:
        wait_ready(port, 120)
        time.sleep(SETTLE)
        before_probes = sum(scrape(port).values())
        before_cpu, t0 = cpu_seconds(proc.pid), time.time()
        time.sleep(WINDOW)
        after_cpu, elapsed = cpu_seconds(proc.pid), time.time() - t0
        probes = sum(scrape(port).values()) - before_probes
        return 100 * (after_cpu - before_cpu) / elapsed, probes / elapsed, (after_cpu - before_cpu) / max(probes, 1)
    finally:
        stop(proc)


def spread(values, fmt):
    return f"{fmt.format(min(values))} / {fmt.format(statistics.median(values))} / {fmt.format(max(values))}"


def main(ports, scenarios, jars):
    print(f"| targets | interval | jar | CPU, % of one core (min / median / max of {REPS}) "
          f"| probes/s | CPU per probe, µs (min / median / max) |")
    print("|---|---|---|---|---|---|")
    for scenario in scenarios:
        n, interval = scenario.split(":")
        runs = {jar: [] for jar in jars}
        for _ in range(REPS):
            for jar in jars:  # interleaved, so a jar never gets a quieter minute than the other
                runs[jar].append(once(jar, int(n), interval, ports))
        for jar in jars:
            cpu = [r[0] for r in runs[jar]]
            rate = [r[1] for r in runs[jar]]
            per = [r[2] * 1e6 for r in runs[jar]]
            print(f"| {n} | {interval} | {os.path.basename(jar)} | {spread(cpu, '{:.2f}')} "
                  f"| {statistics.median(rate):.1f} | {spread(per, '{:.0f}')} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    main(sys.argv[1].split(","), sys.argv[2].split(), sys.argv[3:])
