#!/usr/bin/env python3
"""Render one Markdown table per scale from run files (key=value lines).

usage: render.py RUNFILE...   (each file has scale=, mode=, and the figures)
"""
import sys
from collections import OrderedDict

runs = []
for path in sys.argv[1:]:
    r = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                r[k] = v
    runs.append(r)

ROWS = [
    ("targets loaded (/api/targets)", "targets_loaded"),
    ("measured window (s)", "window_s"),
    ("probes in window", "probes"),
    ("probes/s", "probes_per_s"),
    ("CPU per probe (µs, utime+stime)", "cpu_us_per_probe"),
    ("CPU used (% of one core)", "cpu_pct"),
    ("RSS at end (MiB)", "rss_mib"),
    ("schedule lag p50 (ms)", "lag_p50_ms"),
    ("schedule lag p99 (ms)", "lag_p99_ms"),
    ("false failures", "failures"),
    ("slots skipped", "skipped"),
    ("TCP connections opened / 1,000 probes (Pulse)", "conns_per_1k"),
    ("nginx: connections / 1,000 requests (whole run)", "nginx_conns_per_1k"),
    ("TIME_WAIT at end (bench ports)", "tw_bench"),
    ("TIME_WAIT at end (whole host)", "tw_all"),
    ("open FDs start → end", "fds"),
]

scales = OrderedDict()
for r in runs:
    scales.setdefault(r["scale"], []).append(r)
for scale, rs in scales.items():
    print(f"### {scale} targets\n")
    print("| metric | " + " | ".join(r["mode"] for r in rs) + " |")
    print("|---|" + "---|" * len(rs))
    for label, key in ROWS:
        print(f"| {label} | " + " | ".join(r.get(key, "n/a") for r in rs) + " |")
    print()
