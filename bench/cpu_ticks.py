#!/usr/bin/env python3
"""Print utime+stime (clock ticks) of a process from /proc/<pid>/stat. usage: cpu_ticks.py PID"""
import sys

with open(f"/proc/{sys.argv[1]}/stat") as f:
    s = f.read()
fields = s[s.rindex(")") + 2:].split()  # fields after the comm, starting at field 3 (state)
print(int(fields[11]) + int(fields[12]))  # field 14 utime, field 15 stime
