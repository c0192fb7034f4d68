#!/usr/bin/env python3
"""Render the benchmark's tables from run files (key=value lines), and a TSV for the plot.

usage: render.py --tsv OUT.tsv RUNFILE...
One table per scale (columns: the clients measured at that rate), then the ratios, then the
unpaced wrk run.
"""
import statistics
import sys
from collections import OrderedDict

args = sys.argv[1:]
tsv_path = None
if args and args[0] == "--tsv":
    tsv_path, args = args[1], args[2:]

runs = []
for path in args:
    r = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                r[k] = v
    runs.append(r)

ROWS = [
    ("targets loaded (/api/targets)", "targets_loaded"),
    ("start-up to ready (s)", "startup_s"),
    ("measured window (s)", "window_s"),
    ("JVM -Xmx", "xmx"),
    ("probes in window (nginx's count)", "probes"),
    ("probes counted by Pulse (between the scrapes)", "pulse_probes"),
    ("probes/s", "probes_per_s"),
    ("CPU per probe (µs, utime+stime)", "cpu_us_per_probe"),
    ("CPU used (% of one core)", "cpu_pct"),
    ("RSS at end (MiB)", "rss_mib"),
    ("heap after full GC (MiB)", "heap_mib"),
    ("schedule lag p50 / p99 / max (ms)", "lag"),
    ("failures (all targets healthy, so false)", "failures"),
    ("slots skipped", "skipped"),
    ("TCP connections opened / 1,000 probes (Pulse: its counter in the window)", "conns_per_1k"),
    ("nginx: connections / 1,000 requests (whole run)", "nginx_conns_per_1k"),
    ("TIME_WAIT at end (run's ports)", "tw_ports"),
    ("open FDs start → end", "fds"),
    ("one full /actuator/prometheus scrape", "scrape"),
    ("driver", "driver"),
]

for r in runs:
    if "lag_p50_ms" in r:
        r["lag"] = f"{r['lag_p50_ms']} / {r['lag_p99_ms']} / {r.get('lag_max_ms', 'n/a')}"


def num(r, key):
    try:
        return float(r.get(key, "nan"))
    except ValueError:
        return float("nan")


def cell(rs, key):
    """One client's value: as is for one run; min / median / max when repeated and numeric."""
    values = [r[key] for r in rs if key in r]
    if not values:
        return "–"
    if len(values) == 1:
        return values[0]
    try:
        nums = sorted(float(v) for v in values)
    except ValueError:
        return " · ".join(values)
    fmt = (lambda x: f"{x:.0f}") if all(float(v).is_integer() for v in values) else (lambda x: f"{x:.1f}")
    return f"{fmt(nums[0])} / {fmt(statistics.median(nums))} / {fmt(nums[-1])}"


def median(rs, key):
    return statistics.median(num(r, key) for r in rs)


scales = OrderedDict()
for r in runs:
    if r["kind"] != "wrk unpaced":
        scales.setdefault(int(r["scale"]), OrderedDict()).setdefault(r["kind"], []).append(r)

for scale, by in scales.items():
    reps = max(len(rs) for rs in by.values())
    print(f"### {scale:,} targets, {scale:,} probes/s\n")
    if reps > 1:
        print(f"{reps} runs per client, interleaved; a cell with three figures is min / median / max.\n")
    print("| metric | " + " | ".join(by) + " |")
    print("|---|" + "---|" * len(by))
    for label, key in ROWS:
        if any(key in r for rs in by.values() for r in rs):
            print(f"| {label} | " + " | ".join(cell(rs, key) for rs in by.values()) + " |")
    print()
    pulse = by.get("Pulse pooled")
    lines = []
    if pulse:
        p = median(pulse, "cpu_us_per_probe")
        for other in ("blackbox_exporter", "wrk paced", "Pulse fresh-connection"):
            if other in by:
                o = median(by[other], "cpu_us_per_probe")
                spread = ""
                if reps > 1:
                    ratios = sorted(num(a, "cpu_us_per_probe") / num(b, "cpu_us_per_probe")
                                    for a, b in zip(pulse, by[other]))
                    spread = f" (run by run: {ratios[0]:.2f} to {ratios[-1]:.2f})"
                lines.append(f"CPU per probe, Pulse pooled / {other}{' (medians)' if reps > 1 else ''}: "
                             f"{p:.1f} / {o:.1f} µs = **{p / o:.2f}×**{spread}"
                             + (f"; blackbox_exporter costs {o / p:.1f}× Pulse's" if other == "blackbox_exporter" else ""))
        if "Pulse fresh-connection" in by:
            f = by["Pulse fresh-connection"]
            lines.append(f"connections per 1,000 probes, pooled against fresh: {cell(pulse, 'conns_per_1k')} against "
                         f"{cell(f, 'conns_per_1k')}; TIME_WAIT at the end: {cell(pulse, 'tw_ports')} against "
                         f"{cell(f, 'tw_ports')}")
    if lines:
        print("Ratios:\n")
        for line in lines:
            print(f"- {line}")
        print()

unpaced = [r for r in runs if r["kind"] == "wrk unpaced"]
for r in unpaced:
    print("### wrk unpaced: the client-side limit on this machine\n")
    print(f"{r['probes_per_s']} requests/s over {r['window_s']} s, {r['cpu_us_per_probe']} µs of wrk's CPU per request "
          f"({r['cpu_pct']}% of one core), errors: {r['failures']}. One host:port, 16 connections, no Lua per request.\n")

if tsv_path:
    with open(tsv_path, "w") as f:
        f.write("kind\tscale\tcpu_us_per_probe\tlag_p99_ms\n")
        # Grouped by client, so gnuplot draws each client's points as one line; medians of
        # repeated runs.
        points = sorted(((kind, scale, rs) for scale, by in scales.items() for kind, rs in by.items()),
                        key=lambda p: (p[0], p[1]))
        for kind, scale, rs in points:
            f.write(f"{kind.replace(' ', '_')}\t{scale}\t{median(rs, 'cpu_us_per_probe')}\t"
                    f"{median(rs, 'lag_p99_ms')}\n")
