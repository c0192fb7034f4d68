#!/usr/bin/env python3
"""Write the targets of one benchmark run, spread over loopback host:port pairs.

usage: gen_config.py N HOSTS PORT_LO PORT_HI KIND OUT
KIND:
  pulse        a Pulse config (pulse.targets) with pooled connections
  fresh        the same with fresh-connection: true on every target
  gatus        a Gatus config.yaml (endpoints in 100 groups, so 100 services), read by pulse.import.gatus-config. Spring Boot binds
               pulse.targets in time that grows with the square of the number of targets (its
               binder scans every property name for each target's lists), so the 10,000-target
               run loads its targets through the importer, which parses the file once.
  blackbox     one blackbox_exporter /probe path per target, for the wrk driver (bench/wrk/pace.lua)
HOSTS is the number of loopback addresses (127.0.0.1 .. 127.0.0.HOSTS).
"""
import sys
from urllib.parse import quote

n, hosts, plo, phi, kind, out = (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
                                 sys.argv[5], sys.argv[6])
pairs = [(f"127.0.0.{h}", p) for p in range(plo, phi + 1) for h in range(1, hosts + 1)]
urls = [f"http://{pairs[i % len(pairs)][0]}:{pairs[i % len(pairs)][1]}/health" for i in range(n)]
lines = []
if kind in ("pulse", "fresh"):
    lines += ["pulse:", "  targets:"]
    for i, url in enumerate(urls):
        lines += [f"    t{i}:", f"      url: {url}", "      interval: 1s", "      timeout: 500ms", "      conditions:",
                  '        - "[STATUS] == 200"', '        - "[BODY].status == UP"', "      retry:",
                  "        max-attempts: 1"]
        if kind == "fresh":
            lines.append("      fresh-connection: true")
elif kind == "gatus":
    lines.append("endpoints:")
    for i, url in enumerate(urls):
        # 100 services (Gatus groups), as a large fleet has: per-service histograms then
        # mean 100 targets per set, and the router scores services of 100 targets.
        lines += [f"  - name: t{i}", f"    group: svc{i % 100}", f"    url: {url}", "    interval: 1s", "    client:", "      timeout: 500ms",
                  "    conditions:", '      - "[STATUS] == 200"', '      - "[BODY].status == UP"']
elif kind == "blackbox":
    lines += [f"/probe?module=http_2xx&target={quote(url, safe='')}" for url in urls]
else:
    sys.exit(f"unknown kind: {kind}")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
