#!/usr/bin/env python3
"""tcp:// targets at scale (issue #16), driven by bench/tcp.sh.

  tcp.py JAR N PORTS   Pulse with N tcp:// targets (send \\x01, expect \\x02: the article's
                       ping/pong; HEARTBEAT=per-probe opens a connection per probe,
                       HEARTBEAT=persistent keeps one per target) against the heartbeat server at
                       PORTS ("127.0.0.1:18600,..."), every INTERVAL (default 10s). After FILL
                       seconds (default 40): probes and failures in a window of about 10 s, Pulse's CPU
                       over the window, RSS, and Pulse's sockets to the server by state, with
                       the lowest and highest ESTABLISHED count of 6 samples over the window.

Only loopback traffic; the Pulse started here is stopped before it returns.
"""
import os
import sys
import tempfile
import time

from coldstart import scrape, start_pulse, stop, wait_ready, write_targets
from memory import rss_mib

FILL = float(os.environ.get("FILL", "40"))
INTERVAL = os.environ.get("INTERVAL", "10s")
HEARTBEAT = os.environ.get("HEARTBEAT", "per-probe")
TICK = os.sysconf("SC_CLK_TCK")
STATES = {"01": "established", "06": "time_wait", "02": "syn_sent", "04": "fin_wait1", "05": "fin_wait2",
          "08": "close_wait", "09": "last_ack"}


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def sockets_to(ports):
    """Sockets whose remote end is one of the server's ports, by state (TIME_WAIT has no owner)."""
    wanted = {int(p.rsplit(":", 1)[1]) for p in ports}
    counts = {}
    # The JVM's sockets are IPv6 ones (127.0.0.1 as ::ffff:127.0.0.1): read both tables.
    lines = open("/proc/net/tcp").read().splitlines()[1:] + open("/proc/net/tcp6").read().splitlines()[1:]
    for line in lines:
        parts = line.split()
        remote_port = int(parts[2].split(":")[1], 16)
        if remote_port in wanted:
            state = STATES.get(parts[3], parts[3])
            counts[state] = counts.get(state, 0) + 1
    return counts


def main(jar, n, ports):
    work = tempfile.mkdtemp(prefix="pulse-tcp-")
    file = f"{work}/targets.json"
    write_targets(file, {f"t-{i}": {"url": f"tcp://{ports[i % len(ports)]}", "service": f"svc-{i % 100}",
                                    "interval": INTERVAL, "timeout": "1s", "retry": {"max-attempts": 1},
                                    "heartbeat": HEARTBEAT, "tcp": {"send": "\\x01", "expect": "\\x02"}}
                         for i in range(n)})
    log = f"{work}/pulse.log"
    t0 = time.time()
    proc, port = start_pulse(jar, work, [f"--pulse.targets-file={file}", f"--pulse.limits.max-targets={n + 10}"]
                             + os.environ.get("PULSE_ARGS", "").split(), log)
    try:
        wait_ready(port, 180)
        ready = time.time() - t0
        time.sleep(FILL)
        if proc.poll() is not None:
            raise SystemExit(f"Pulse exited: see {log}")
        before, cpu0, w0 = scrape(port), cpu_seconds(proc.pid), time.time()
        established = []
        for _ in range(6):
            established.append(sockets_to(ports).get("established", 0))
            time.sleep(10 / 6)
        after, cpu1, w1 = scrape(port), cpu_seconds(proc.pid), time.time()
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        failures = {k: v for k, v in delta.items() if k != "none" and v}
        sockets = sockets_to(ports)
        print(f"SUMMARY tcp heartbeat={HEARTBEAT} targets={n} interval={INTERVAL} ready_s={ready:.1f} window_s={w1 - w0:.1f} probes={sum(delta.values()):.0f} "
              f"probes_per_s={sum(delta.values()) / (w1 - w0):.0f} "
              f"failures={sum(failures.values()):.0f} {failures or ''} cpu_pct={100 * (cpu1 - cpu0) / (w1 - w0):.0f} "
              f"rss_mib={rss_mib(proc.pid):.0f} sockets={sockets} "
              f"established_min={min(established)} established_max={max(established)}")
    finally:
        stop(proc)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","))
