#!/usr/bin/env python3
"""Count requests and distinct connections in the bench nginx access log for a port range.

The log format is '$server_port $connection $connection_requests'.
usage: nginx_conns.py LOG PORT_LO PORT_HI  -> prints 'requests=R connections=C'
"""
import sys

log, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
reqs, conns = 0, set()
with open(log) as f:
    for line in f:
        parts = line.split()
        if len(parts) < 3 or not parts[0].isdigit():
            continue
        if lo <= int(parts[0]) <= hi:
            reqs += 1
            conns.add(parts[1])
print(f"requests={reqs} connections={len(conns)}")
