#!/usr/bin/env python3
"""Drives blackbox_exporter the way Prometheus would: asks /probe?module=M&target=T for every target
once per interval (phases spread evenly), over keep-alive connections, and writes how many probes
finished per wall-clock second and how many of them succeeded (probe_success 1).
Usage: blackbox_driver.py EXPORTER_URL MODULE TARGETS.json INTERVAL_S RUN_S OUT.json
Runs in its own process so that its CPU is not the exporter's; stops after RUN_S or on SIGTERM
and writes OUT.json {"<epoch second>": [probes, successes]}.
"""
import http.client
import json
import queue
import signal
import sys
import threading
import time
import urllib.parse

WORKERS = 32


def main():
    base, module, targets_path, interval_s, run_s, out_path = sys.argv[1:7]
    interval_s, run_s = float(interval_s), float(run_s)
    targets = json.load(open(targets_path))
    url = urllib.parse.urlparse(base)
    due = queue.Queue()
    counts = {}
    lock = threading.Lock()
    stop = threading.Event()

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while not stop.is_set():
            try:
                target = due.get(timeout=0.5)
            except queue.Empty:
                continue
            path = "/probe?" + urllib.parse.urlencode({"module": module, "target": target})
            try:
                conn.request("GET", path)
                res = conn.getresponse()
                body = res.read().decode(errors="replace")
                ok = res.status == 200 and "\nprobe_success 1" in "\n" + body
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                ok = False
            sec = int(time.time())
            with lock:
                c = counts.setdefault(sec, [0, 0])
                c[0] += 1
                c[1] += 1 if ok else 0

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for t in threads:
        t.start()

    def finish(*_):
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    start = time.time()
    step = interval_s / len(targets)
    i = 0
    while not stop.is_set() and time.time() - start < run_s:
        when = start + i * step
        delay = when - time.time()
        if delay > 0:
            stop.wait(min(delay, 0.5))
            continue
        due.put(targets[i % len(targets)])
        i += 1
    stop.set()
    with lock:
        snapshot = {str(k): v for k, v in counts.items()}
    with open(out_path + ".tmp", "w") as f:
        json.dump(snapshot, f)
    import os
    os.replace(out_path + ".tmp", out_path)


if __name__ == "__main__":
    main()
