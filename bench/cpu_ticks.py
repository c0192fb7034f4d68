#!/usr/bin/env python3
"""utime+stime of a process from /proc/<pid>/stat. usage: cpu_ticks.py PID (prints clock ticks).

Imported by the Python benchmarks for cpu_seconds(); run.sh calls it as a command."""
import os
import sys


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()  # fields after the comm, starting at field 3 (state)
    return int(fields[11]) + int(fields[12])  # field 14 utime, field 15 stime


def cpu_seconds(pid):
    return ticks(pid) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    print(ticks(sys.argv[1]))
