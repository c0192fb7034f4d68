#!/usr/bin/env python3
"""Compare two /actuator/prometheus scrapes and print the window's figures as key=value lines.

usage: prom.py BEFORE AFTER
prints: probes, failures, conns_opened, skipped, lag_count, lag_p50_ms, lag_p99_ms, lag_max_ms
(lag_max_ms is pulse_schedule_lag_seconds_max of AFTER: Micrometer's maximum over its last two minutes
or so, which covers the window)
"""
import re
import sys

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(path):
    series = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = LINE.match(line)
            if not m:
                continue
            labels = dict(LABEL.findall(m.group(2) or ""))
            try:
                value = float(m.group(3))
            except ValueError:
                continue
            series.append((m.group(1), labels, value))
    return series


def total(series, name, **want):
    return sum(v for n, l, v in series if n == name and all(l.get(k) == w for k, w in want.items()))


def buckets(series, name):
    out = {}
    for n, l, v in series:
        if n == name and "le" in l:
            le = float("inf") if l["le"] in ("+Inf", "Inf") else float(l["le"])
            out[le] = out.get(le, 0.0) + v
    return out


def quantile(q, deltas):
    """Prometheus histogram_quantile: linear interpolation inside the bucket."""
    les = sorted(deltas)
    if not les:
        return None
    count = deltas[les[-1]]
    if count <= 0:
        return None
    rank = q * count
    prev_le, prev_c = 0.0, 0.0
    for le in les:
        c = deltas[le]
        if c >= rank:
            if le == float("inf"):
                return prev_le  # above the highest finite bucket: report its bound
            if c == prev_c:
                return le
            return prev_le + (le - prev_le) * (rank - prev_c) / (c - prev_c)
        prev_le, prev_c = le, c
    return les[-1]


a, b = parse(sys.argv[1]), parse(sys.argv[2])
d = lambda name, **w: total(b, name, **w) - total(a, name, **w)
print(f"probes={d('pulse_probes_total'):.0f}")
print(f"failures={d('pulse_probes_total', result='failure'):.0f}")
print(f"conns_opened={d('pulse_connections_opened_total'):.0f}")
print(f"skipped={d('pulse_probes_skipped_total'):.0f}")
ba, bb = buckets(a, "pulse_schedule_lag_seconds_bucket"), buckets(b, "pulse_schedule_lag_seconds_bucket")
deltas = {le: bb[le] - ba.get(le, 0.0) for le in bb}
lag_count = deltas.get(float("inf"), 0.0)
print(f"lag_count={lag_count:.0f}")
for q, key in ((0.5, "lag_p50_ms"), (0.99, "lag_p99_ms")):
    v = quantile(q, deltas)
    print(f"{key}=" + ("n/a" if v is None else f"{v * 1000:.1f}"))
maxima = [v for n, l, v in b if n == "pulse_schedule_lag_seconds_max"]
print("lag_max_ms=" + (f"{max(maxima) * 1000:.1f}" if maxima else "n/a"))
