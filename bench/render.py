#!/usr/bin/env python3
"""Render the benchmark's tables from run files (key=value lines), and a TSV for the plot.

usage: render.py --tsv OUT.tsv RUNFILE...
One table per scale (columns: the clients measured at that rate), then the ratios, then the
unpaced wrk run.
"""
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


scales = OrderedDict()
for r in runs:
    if r["kind"] != "wrk unpaced":
        scales.setdefault(int(r["scale"]), []).append(r)

for scale, rs in scales.items():
    print(f"### {scale:,} targets, {scale:,} probes/s\n")
    print("| metric | " + " | ".join(r["kind"] for r in rs) + " |")
    print("|---|" + "---|" * len(rs))
    for label, key in ROWS:
        if any(key in r for r in rs):
            print(f"| {label} | " + " | ".join(r.get(key, "–") for r in rs) + " |")
    print()
    by = {r["kind"]: r for r in rs}
    pulse = by.get("Pulse pooled")
    lines = []
    if pulse:
        p = num(pulse, "cpu_us_per_probe")
        for other in ("blackbox_exporter", "wrk paced", "Pulse fresh-connection"):
            if other in by:
                o = num(by[other], "cpu_us_per_probe")
                lines.append(f"CPU per probe, Pulse pooled / {other}: {p:.1f} / {o:.1f} µs = **{p / o:.2f}×**"
                             + (f" (blackbox_exporter costs {o / p:.1f}× Pulse's)" if other == "blackbox_exporter" else ""))
        if "Pulse fresh-connection" in by:
            f = by["Pulse fresh-connection"]
            lines.append(f"connections per 1,000 probes, pooled against fresh: {pulse.get('conns_per_1k')} against "
                         f"{f.get('conns_per_1k')}; TIME_WAIT at the end: {pulse.get('tw_ports')} against {f.get('tw_ports')}")
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
        # Grouped by client, so gnuplot draws each client's points as one line.
        for r in sorted((r for r in runs if r["kind"] != "wrk unpaced"), key=lambda r: (r["kind"], int(r["scale"]))):
            f.write(f"{r['kind'].replace(' ', '_')}\t{r['scale']}\t{r.get('cpu_us_per_probe', 'nan')}\t"
                    f"{r.get('lag_p99_ms', 'nan')}\n")
