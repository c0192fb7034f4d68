#!/usr/bin/env python3
"""Count requests and distinct connections in the bench nginx access logs of a port range.

Each port has its own log, access-<port>.log, of lines '$server_port $connection $connection_requests'.
usage: nginx_conns.py LOGDIR PORT_LO PORT_HI  -> prints 'requests=R connections=C'
"""
import os
import sys

logdir, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
reqs, conns = 0, set()
for port in range(lo, hi + 1):
    path = os.path.join(logdir, f"access-{port}.log")
    if not os.path.exists(path):
        continue
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                reqs += 1
                conns.add(parts[1])
print(f"requests={reqs} connections={len(conns)}")
