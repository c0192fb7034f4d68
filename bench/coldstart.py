#!/usr/bin/env python3
"""Cold starts and run-time batches (issue #13.1), driven by bench/coldstart.sh.

  coldstart.py starts JAR N          N cold starts of the jar against 9 loopback servers
                                     (interval 2s, timeout 1s): failed first results and
                                     first-probe pool acquire per start
  coldstart.py batch JAR B PORTS     a warm Pulse gets B targets registered at once over the
                                     API (16 clients in parallel), on nginx at PORTS
                                     ("127.0.0.1:18400,..."), interval 1s, timeout 1s: timeout
                                     and pool-exhausted results from the first registration
                                     to two intervals after the last
  coldstart.py reload JAR B PORTS    a warm Pulse whose pulse.targets-file is rewritten with B
                                     targets at once (one file change: one batch), same
                                     targets and counts, from the reload to two intervals
                                     after it

Only loopback traffic; every process started here is stopped before it returns.
"""
import concurrent.futures
import http.server
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
HEAP = os.environ.get("PULSE_HEAP", "512m")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def start_pulse(jar, work, args, log):
    port = free_port()
    cmd = [JAVA, f"-Xmx{HEAP}", "-jar", jar, f"--server.port={port}", "--server.address=127.0.0.1",
           f"--spring.datasource.url=jdbc:sqlite:{work}/pulse-{port}.db"] + args
    proc = subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=work)
    return proc, port


def stop(proc):
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Up(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b'{"status":"UP"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def starts(jar, n):
    servers = []
    for _ in range(9):
        s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Up)
        threading.Thread(target=s.serve_forever, daemon=True).start()
        servers.append(s)
    args = []
    for i, s in enumerate(servers):
        args += [f"--pulse.targets.cold-{i}.url=http://127.0.0.1:{s.server_address[1]}/health",
                 f"--pulse.targets.cold-{i}.interval=2s", f"--pulse.targets.cold-{i}.timeout=1s"]
    work = tempfile.mkdtemp(prefix="pulse-coldstart-")
    failed_total, acquires, slow = 0, [], 0
    for run in range(n):
        log = f"{work}/pulse-{run}.log"
        proc, port = start_pulse(jar, work, args, log)
        try:
            deadline = time.time() + 90
            firsts = None
            while time.time() < deadline and firsts is None:
                time.sleep(0.2)
                try:
                    firsts = []
                    for i in range(9):
                        rs = json.loads(get(f"http://127.0.0.1:{port}/api/targets/cold-{i}/results?limit=100"))["results"]
                        if not rs:
                            firsts = None
                            break
                        firsts.append(rs[-1])
                except Exception:
                    firsts = None
            if firsts is None:
                print(f"start {run}: no first result for every target in 90 s", flush=True)
                failed_total += 9
                continue
            failed = [f for f in firsts if not f["success"]]
            acq = [f["phases"]["acquireMs"] or 0 for f in firsts]
            acquires += acq
            slow += sum(1 for a in acq if a > 100)
            failed_total += len(failed)
            warm = re.search(r"Transport warmed up on (\d+/\d+) event loop\(s\) .* in (\d+) ms", open(log).read())
            print(f"start {run}: failed first results {len(failed)} "
                  f"{[(f.get('reason'), f['phases']['acquireMs']) for f in failed]}; first acquire ms "
                  f"max {max(acq):.1f} median {statistics.median(acq):.1f}; warm-up "
                  f"{warm.group(1) + ' in ' + warm.group(2) + ' ms' if warm else 'none'}", flush=True)
        finally:
            stop(proc)
    print(f"SUMMARY starts={n} failed_first_results={failed_total} first_acquire_ms_max={max(acquires or [0]):.1f} "
          f"median={statistics.median(acquires or [0]):.1f} first_acquires_over_100ms={slow}/{len(acquires)}")


def scrape(port):
    counts = {}
    for line in get(f"http://127.0.0.1:{port}/actuator/prometheus?includedNames=pulse_probes,pulse_probes_total", 180).splitlines():
        if line.startswith("pulse_probes_total{"):
            m = re.search(r'reason="([^"]*)"', line)
            counts[m.group(1)] = counts.get(m.group(1), 0) + float(line.rsplit(" ", 1)[1])
    return counts


def batch(jar, b, ports):
    work = tempfile.mkdtemp(prefix="pulse-batch-")
    proc, port = start_pulse(jar, work, ["--pulse.security.ssrf.allow=127.0.0.0/8", "--pulse.api.write-token=bench",
                                         f"--pulse.limits.max-targets={b + 10}"], f"{work}/pulse.log")
    try:
        deadline = time.time() + 90
        while True:
            try:
                get(f"http://127.0.0.1:{port}/actuator/health/readiness")
                break
            except Exception:
                if time.time() > deadline:
                    raise SystemExit("Pulse did not start")
                time.sleep(0.3)
        time.sleep(5)  # warm: the default heartbeat target has been probed a few times
        before = scrape(port)

        def put(i):
            host = ports[i % len(ports)]
            body = json.dumps({"url": f"http://{host}/health?t={i}", "interval": "1s", "timeout": "1s",
                               "retry": {"max-attempts": 1}}).encode()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/targets/batch-{i}", data=body, method="PUT",
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": "Bearer bench"})
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status

        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(put, range(b)))
        registered = time.time() - t0
        time.sleep(2.0)  # two intervals after the last registration
        after = scrape(port)
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        print(f"SUMMARY batch={b} registered_in_s={registered:.1f} created={statuses.count(201)} "
              f"probes={sum(delta.values()):.0f} timeout={delta.get('timeout', 0):.0f} "
              f"pool_exhausted={delta.get('pool-exhausted', 0):.0f} "
              f"other_failures={sum(v for k, v in delta.items() if k not in ('none', 'timeout', 'pool-exhausted')):.0f}")
    finally:
        stop(proc)


def wait_ready(port, seconds=90):
    deadline = time.time() + seconds
    while True:
        try:
            get(f"http://127.0.0.1:{port}/actuator/health/readiness")
            return
        except Exception:
            if time.time() > deadline:
                raise SystemExit("Pulse did not start")
            time.sleep(0.3)


def write_targets(path, targets):
    # Written beside and renamed, as a ConfigMap's symlink swap: the watcher never reads half a file.
    with open(path + ".tmp", "w") as f:
        json.dump(targets, f)
    os.replace(path + ".tmp", path)


def reload(jar, b, ports):
    work = tempfile.mkdtemp(prefix="pulse-reload-")
    file = f"{work}/targets.json"
    target = lambda i: {"url": f"http://{ports[i % len(ports)]}/health?t={i}", "interval": "1s", "timeout": "1s",
                        "retry": {"max-attempts": 1}}
    write_targets(file, {"seed-0": target(0)})
    log = f"{work}/pulse.log"
    proc, port = start_pulse(jar, work, ["--pulse.security.ssrf.allow=127.0.0.0/8", f"--pulse.targets-file={file}",
                                         "--pulse.targets-file-poll-interval=1s",
                                         f"--pulse.limits.max-targets={b + 10}"], log)
    try:
        wait_ready(port)
        time.sleep(5)  # warm: the seed and heartbeat targets have been probed a few times
        before = scrape(port)
        t0 = time.time()
        write_targets(file, {"seed-0": target(0), **{f"batch-{i}": target(i) for i in range(b)}})
        deadline = t0 + 120
        while not re.search(rf"Reloaded .* {b + 1} target\(s\)", open(log).read()):
            if time.time() > deadline:
                raise SystemExit("the targets file was not reloaded in 120 s")
            time.sleep(0.05)
        applied = time.time() - t0
        time.sleep(2.0)  # two intervals after the batch was scheduled
        after = scrape(port)
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        print(f"SUMMARY reload batch={b} applied_in_s={applied:.1f} (file written to all scheduled, poll 1s) "
              f"probes={sum(delta.values()):.0f} timeout={delta.get('timeout', 0):.0f} "
              f"pool_exhausted={delta.get('pool-exhausted', 0):.0f} "
              f"other_failures={sum(v for k, v in delta.items() if k not in ('none', 'timeout', 'pool-exhausted')):.0f}")
    finally:
        stop(proc)


if __name__ == "__main__":
    if sys.argv[1] == "starts":
        starts(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "reload":
        reload(sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","))
    elif sys.argv[1] == "batch":
        batch(sys.argv[2], int(sys.argv[3]), sys.argv[4].split(","))
    else:
        raise SystemExit(__doc__)
