#!/usr/bin/env python3
"""Judge a soak run: fit a least-squares line to each sampled series and fail on growth.

usage: soak_fit.py SAMPLES.tsv [--warmup SECONDS] [--log PULSE_LOG]...
SAMPLES.tsv has a header line; the column t_s is the time in seconds, every other column a
series. Samples before --warmup are left out of the fit: bounded structures (result rings,
connection pools, the kernel's 60 s of TIME_WAIT) fill up first and only then is a rising
line a leak. A series fails when its slope per minute is above
    max(floor, relative x its mean over the fitted window)
from LIMITS below (for RANGE_BOUND series, only if their high also rises that fast); a
series without limits is only reported. Any line containing "LEAK:" in
a --log file fails the run too (Netty's leak detector, at paranoid, prints one per leaked
buffer). Prints a Markdown table; exits 1 on any failure, 0 otherwise, 2 on bad input.
"""
import sys

MIB = 1024 * 1024
# series: (floor per minute, relative per minute, unit)
LIMITS = {
    "heap_after_gc_bytes": (1 * MIB, 0.01, "B"),
    "direct_bytes": (1 * MIB, 0.02, "B"),
    "fds": (2, 0.01, ""),
    "pool_connections": (2, 0.02, ""),
    "time_wait": (50, 0.05, ""),
    "threads": (1, 0.0, ""),
}
# Counts that swing within a range while targets hang and time out (pooled connections, the
# FDs of probes in flight): over a one-minute fit a swing from 30 to 33 can slope 3 a minute. A
# leak drives them to new highs at its rate, while a swing's high only creeps up as the range is
# explored (a CI run: 30 to 33 over 60 s, the second half's high one above the first's), and a
# swing's low comes back down (another CI run: FDs 267 first, 268 last, a high two above the
# first half's in the second half). A leak lifts the whole range. So a rising slope fails them
# only when the range rises faster than the limit too: the second half's high and its low each
# above the first half's by more than the limit per minute times the half-window, and by more
# than one: a count's resolution, and all a range being explored adds. In the CI run's
# one-minute window that detects a pool or FD leak from 4 a minute; the 30-minute soak's
# windows are long enough for the limit itself to decide.
RANGE_BOUND = {"fds", "pool_connections"}


def fit(xs, ys):
    """Least-squares slope and intercept of ys over xs."""
    n = len(xs)
    if n < 2:
        raise ValueError("need at least two samples")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("all samples at the same time")
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return slope, my - slope * mx


def limit(series, mean):
    floor, relative, _ = LIMITS[series]
    return max(floor, relative * abs(mean))


def judge(rows, warmup):
    """rows: list of dicts with t_s and series values. Returns (table lines, failures)."""
    window = [r for r in rows if r["t_s"] >= warmup]
    if len(window) < 3:
        raise ValueError(f"only {len(window)} samples after the {warmup} s warm-up; run longer")
    xs = [r["t_s"] / 60.0 for r in window]
    lines = ["| series | samples | first | last | mean | slope per min | limit per min | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    failures = []
    for series in [k for k in window[0] if k != "t_s"]:
        ys = [r[series] for r in window]
        if any(y is None for y in ys):
            lines.append(f"| {series} | {len(ys)} | n/a | n/a | n/a | n/a | n/a | missing samples |")
            if series in LIMITS:
                failures.append(f"{series}: missing samples")
            continue
        slope, _ = fit(xs, ys)
        mean = sum(ys) / len(ys)
        unit = LIMITS.get(series, (0, 0, "B" if series.endswith("_bytes") else ""))[2]
        if series in LIMITS:
            bound = limit(series, mean)
            grows = slope > bound
            verdict = "FAIL: grows" if grows else "ok"
            if grows and series in RANGE_BOUND and not range_rises(xs, ys, bound):
                grows, verdict = False, "ok: swings within its earlier range"
            if grows:
                failures.append(f"{series} grows by {show(slope, unit)}/min (limit {show(bound, unit)}/min)")
            bound_text = show(bound, unit)
        else:
            verdict, bound_text = "info", "-"
        lines.append(f"| {series} | {len(ys)} | {show(ys[0], unit)} | {show(ys[-1], unit)} | {show(mean, unit)} "
                     f"| {show(slope, unit)} | {bound_text} | {verdict} |")
    return lines, failures


def range_rises(xs, ys, bound):
    """Whether the second half's high and its low each exceed the first half's by more than
    one count and by more than a series growing at bound per minute would add over the
    half-window (xs in minutes)."""
    half = len(ys) // 2
    least = max(1, bound * (xs[-1] - xs[0]) / 2)
    high = max(ys[half:]) - max(ys[:half])
    low = min(ys[half:]) - min(ys[:half])
    return high > least and low > least


def show(value, unit):
    if unit == "B":
        return f"{value / MIB:.2f} MiB"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


def read(path):
    with open(path) as f:
        header = f.readline().split()
        if "t_s" not in header:
            raise ValueError(f"{path}: no t_s column in the header")
        rows = []
        for line in f:
            cells = line.split()
            if len(cells) != len(header):
                continue
            rows.append({h: (None if c in ("nan", "NA") else float(c)) for h, c in zip(header, cells)})
    return rows


def leaks(paths):
    found = []
    for path in paths:
        with open(path, errors="replace") as f:
            found += [line.rstrip() for line in f if "LEAK:" in line]
    return found


def main(argv):
    args, warmup, logs = [], 0.0, []
    i = 0
    while i < len(argv):
        if argv[i] == "--warmup":
            warmup = float(argv[i + 1]); i += 2
        elif argv[i] == "--log":
            logs.append(argv[i + 1]); i += 2
        else:
            args.append(argv[i]); i += 1
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        lines, failures = judge(read(args[0]), warmup)
    except (ValueError, OSError) as ex:
        print(f"soak_fit: {ex}", file=sys.stderr)
        return 2
    leak_lines = leaks(logs)
    print("\n".join(lines))
    if leak_lines:
        failures.append(f"{len(leak_lines)} LEAK: line(s) in the log, first: {leak_lines[0][:300]}")
    print()
    print(f"fitted after a {warmup:.0f} s warm-up; LEAK: lines: {len(leak_lines)}")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("verdict: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
