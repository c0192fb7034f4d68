#!/usr/bin/env python3
"""Write a Pulse config YAML with N targets spread over loopback host:port pairs.

usage: gen_config.py N HOSTS PORT_LO PORT_HI FRESH(true|false) OUT
HOSTS is the number of loopback addresses (127.0.0.1 .. 127.0.0.HOSTS).
"""
import sys

n, hosts, plo, phi, fresh, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
ports = list(range(plo, phi + 1))
pairs = [(f"127.0.0.{h}", p) for p in ports for h in range(1, hosts + 1)]
lines = ["pulse:", "  targets:"]
for i in range(n):
    host, port = pairs[i % len(pairs)]
    lines += [
        f"    t{i}:",
        f"      url: http://{host}:{port}/health",
        "      interval: 1s",
        "      timeout: 500ms",
        "      conditions:",
        '        - "[STATUS] == 200"',
        '        - "[BODY].status == UP"',
        "      retry:",
        "        max-attempts: 1",
    ]
    if fresh == "true":
        lines.append("      fresh-connection: true")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
