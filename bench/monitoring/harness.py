#!/usr/bin/env python3
"""bench/monitoring (issue 5): measures unyo's monitoring engine and runs the same workload with
Icinga 2, Nagios 4 and blackbox_exporter. Parts (--parts, comma-separated; default all):

  compare       N TCP (then N HTTP) targets at one interval, checked by each tool in turn; CPU
                seconds of the checker's whole process tree (plugins included) over a fixed window
                after warm-up, divided into the checks the tool itself recorded in that window;
                RSS of its daemons at the start and end of the window; and unyo with no monitors
  compare-high  the same for unyo and blackbox_exporter at 1,000 checks/s per type
  capacity      unyo alone, pinned to one CPU, with more and more monitors: checks/s sustained
                while the p99 lateness of check starts stays within 1 s
  notify        detect-to-notify: targets fail at logged instants; time until the webhook hears
  parent        one parent with 1,000 children all failing at once: notifications (must be 1)
  availability  a schedule of outages logged by the simulator against /api/v1/availability
  soak          (only when asked) unyo's RSS every 30 s at 1,000 checks/s for --soak-s seconds

Targets: nginx (farm.py) for the static load of compare and capacity; the simulator
(simulator.py) for targets that change. Neither's CPU is counted. Results: one JSON file per part
in --out (monitoring-<part>.json). Usage:
  harness.py --bin build/release/unyo --out bench/results [--parts compare,notify] [--quick]
"""
import argparse
import http.server
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import farm  # noqa: E402
import peers  # noqa: E402
import procs  # noqa: E402
from unyo_client import Unyo, lateness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TCP_BASE, HTTP_BASE = 20000, 22000  # nginx farm ports
SIM_BASE = 30000  # simulator ports


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ms % 1000):03d}Z"


def sleep_until(t):
    while True:
        d = t - time.time()
        if d <= 0:
            return
        time.sleep(min(d, 1.0))


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def cpus():
    return len(os.sched_getaffinity(0))


# ---------------------------------------------------------------------------------------------
# webhook receiver


class Webhook:
    """Receives unyo's webhook notifications and notes when each arrived."""

    def __init__(self):
        self.received = []  # (epoch ms, subject)
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                at = time.time() * 1000
                try:
                    subject = json.loads(body).get("subject", "")
                except ValueError:
                    subject = ""
                hook.received.append((at, subject))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Sim:
    """The simulator in its own process."""

    def __init__(self, workdir, base, count):
        self.log_path = os.path.join(workdir, "simulator.jsonl")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.control = s.getsockname()[1]
        s.close()
        self.proc = procs.spawn([sys.executable, os.path.join(HERE, "simulator.py"), "--ports", f"{base}:{count}",
                                 "--control", str(self.control), "--log", self.log_path],
                                stdout=open(os.path.join(workdir, "simulator.out"), "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.control), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the simulator did not start")
                time.sleep(0.1)

    def set(self, ports, mode, **kw):
        body = json.dumps({"ports": list(ports), "mode": mode, **kw}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.control}/mode", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read())["at_ms"]

    def entries(self):
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self):
        procs.stop(self.proc)


# ---------------------------------------------------------------------------------------------
# compare: the same workload for each tool


def measure_window(tool_pid, group, daemons, warm_s, window_s, live=None):
    """Sleeps `warm_s`, then samples CPU (tree and cgroup), RSS and `live()` at two whole seconds
    `window_s` apart. Returns the samples and the window's bounds."""
    time.sleep(warm_s)
    t0 = int(time.time()) + 1
    sleep_until(t0)
    s0 = {"tree": procs.tree_cpu_s(tool_pid), "cgroup": group.usage_s(), "rss": procs.tree_rss_kib(tool_pid, daemons),
          "live": live() if live else None}
    t1 = t0 + window_s
    sleep_until(t1)
    s1 = {"tree": procs.tree_cpu_s(tool_pid), "cgroup": group.usage_s(), "rss": procs.tree_rss_kib(tool_pid, daemons),
          "live": live() if live else None}
    return t0, t1, s0, s1


def run_compare(args, workdir):
    return compare_workload(args, workdir, args.targets, args.interval, args.window, args.warm, args.tools, "compare",
                            rounds=args.rounds)


def run_compare_high(args, workdir):
    """unyo and blackbox_exporter only (Icinga 2 and Nagios 4 cannot fork plugins this fast on
    two cores) at ten times the rate: 1,000 checks/s per type, over the same 1,000 ports."""
    tools = [t for t in args.tools if t in ("unyo", "blackbox")]
    return compare_workload(args, workdir, args.high_targets, args.high_interval, args.high_window, args.warm, tools,
                            "compare-high", idle=False)


def compare_workload(args, workdir, n, interval, window, warm, tools, label, idle=True, rounds=1):
    """Each tool in turn, `rounds` times over (tools interleaved, so that a slower spell of the
    machine weighs on every tool alike); ratios are taken within a round, and summed up as medians."""
    timeout_s = 5
    nports = min(n, 1000)
    farm_dir = os.path.join(workdir, f"farm-{label}")
    os.makedirs(farm_dir, exist_ok=True)
    nginx = farm.start(farm_dir, list(range(TCP_BASE, TCP_BASE + nports)) + list(range(HTTP_BASE, HTTP_BASE + nports)))
    rows = []
    try:
        for kind in ("tcp", "http"):
            base = TCP_BASE if kind == "tcp" else HTTP_BASE
            ports = [base + i % nports for i in range(n)]
            for rnd in range(1, rounds + 1):
                for tool_name in tools:
                    log(f"compare: {tool_name} {kind} x{n} every {interval} s (warm-up {warm} s, window {window} s)"
                        f" round {rnd}/{rounds}")
                    group = procs.CpuGroup(f"{tool_name}-{kind}")
                    try:
                        rows.append(compare_one(args, workdir, tool_name, kind, ports, interval, timeout_s, warm,
                                                window, group, f"{label}-r{rnd}"))
                        log("  " + json.dumps(rows[-1]))
                    except Exception as e:  # one peer failing must not lose the others' numbers
                        log(f"  {tool_name} {kind} failed: {e}")
                        rows.append({"tool": tool_name, "type": kind, "error": str(e)[:2000]})
                    finally:
                        group.remove()
                    rows[-1]["round"] = rnd
    finally:
        procs.stop(nginx)
    # unyo's own cost with no monitors at all (its timers, the SLA sweep, escalation, the engine's
    # ticker) over the same window: the fixed part of the per-check figures above
    measure_idle, idle = idle, None
    if measure_idle and "unyo" in tools:
        log(f"compare: unyo with no monitors (window {window} s)")
        group = procs.CpuGroup("unyo-idle")
        try:
            u = Unyo(args.bin, workdir, "compare-idle", group)
            u.init([])
            u.serve()
            try:
                t0, t1, s0, s1 = measure_window(u.pid, group, None, warm, window)
            finally:
                u.stop()
            cpu = (s1["cgroup"] - s0["cgroup"]) if s0["cgroup"] is not None else (s1["tree"] - s0["tree"])
            idle = {"window_s": t1 - t0, "cpu_s": round(cpu, 3), "rss_kib_start": s0["rss"], "rss_kib_end": s1["rss"]}
            log("  " + json.dumps(idle))
        finally:
            group.remove()
    # ratios: unyo's checks per CPU-second over each peer's, per type, within each round
    for kind in ("tcp", "http"):
        for rnd in range(1, rounds + 1):
            u = next((r for r in rows if r.get("tool") == "unyo" and r.get("type") == kind and r.get("round") == rnd
                      and "checks_per_cpu_s" in r), None)
            for r in rows:
                if (u and r.get("type") == kind and r.get("round") == rnd and r.get("tool") != "unyo"
                        and r.get("checks_per_cpu_s")):
                    r["unyo_ratio"] = round(u["checks_per_cpu_s"] / r["checks_per_cpu_s"], 2)
    summary = []
    for kind in ("tcp", "http"):
        for tool_name in tools:
            mine = [r for r in rows if r.get("tool") == tool_name and r.get("type") == kind and r.get("checks_per_cpu_s")]
            if not mine:
                continue
            ms = sorted(r["cpu_ms_per_check"] for r in mine)
            entry = {"tool": tool_name, "type": kind, "rounds": len(mine), "cpu_ms_per_check_median": statistics.median(ms),
                     "cpu_ms_per_check_min": ms[0], "cpu_ms_per_check_max": ms[-1]}
            ratios = [r["unyo_ratio"] for r in mine if "unyo_ratio" in r]
            if ratios:
                entry.update({"unyo_ratio_median": statistics.median(ratios), "unyo_ratio_min": min(ratios),
                              "unyo_ratio_max": max(ratios)})
            summary.append(entry)
    if idle:
        for r in rows:
            if r.get("tool") == "unyo" and r.get("checks"):
                r["cpu_ms_per_check_above_idle"] = round(1000 * (r["cpu_s"] - idle["cpu_s"] * r["window_s"] / idle["window_s"])
                                                         / r["checks"], 4)
    return {"targets_per_type": n, "interval_s": interval, "warm_up_s": warm, "window_s": window,
            "timeout_s": timeout_s, "rounds": rounds, "unyo_idle": idle, "rows": rows, "summary": summary}


def compare_one(args, workdir, tool_name, kind, ports, interval, timeout_s, warm, window, group, label):
    if tool_name == "unyo":
        u = Unyo(args.bin, workdir, f"{label}-{kind}", group)
        mons = []
        for i, p in enumerate(ports):
            target = {"host": "127.0.0.1", "port": p} if kind == "tcp" else {"url": f"http://127.0.0.1:{p}/"}
            mons.append({"name": f"{kind}-{i}", "type": kind, "target": target, "interval_s": interval,
                         "timeout_ms": timeout_s * 1000, "retries": 1})
        u.init(mons)
        u.serve()
        try:
            t0, t1, s0, s1 = measure_window(u.pid, group, None, warm, window, live=u.metrics)
        finally:
            u.stop()
        key = f'unyo_monitor_checks_total{{type="{kind}"}}'
        fkey = f'unyo_monitor_check_failures_total{{type="{kind}"}}'
        checks = int(s1["live"].get(key, 0) - s0["live"].get(key, 0))
        failed = int(s1["live"].get(fkey, 0) - s0["live"].get(fkey, 0))
        extra = {"lateness": lateness(s0["live"], s1["live"])}
        version = subprocess.run([args.bin, "version"], capture_output=True, text=True).stdout.strip()
    else:
        tool = {"icinga2": peers.Icinga2, "nagios4": peers.Nagios4, "blackbox": peers.Blackbox}[tool_name](workdir)
        tool.start(kind, ports, interval, timeout_s, group)
        try:
            t0, t1, s0, s1 = measure_window(tool.pid, group, tool.daemons, warm, window)
        finally:
            tool.stop()
        checks, ok = tool.checks_between(t0, t1)
        failed = checks - ok
        extra = {}
        version = None
    cpu_tree = s1["tree"] - s0["tree"]
    cpu_cg = (s1["cgroup"] - s0["cgroup"]) if s0["cgroup"] is not None else None
    cpu = cpu_cg if cpu_cg is not None else cpu_tree
    row = {"tool": tool_name, "type": kind, "window_s": t1 - t0, "checks": checks, "failed": failed,
           "expected_checks": int(len(ports) * (t1 - t0) / interval), "cpu_s": round(cpu, 3),
           "cpu_s_tree": round(cpu_tree, 3), "cpu_s_cgroup": None if cpu_cg is None else round(cpu_cg, 3),
           "cpu_source": "cgroup" if cpu_cg is not None else "tree",
           "checks_per_cpu_s": round(checks / cpu, 1) if cpu > 0 else None,
           "cpu_ms_per_check": round(1000 * cpu / checks, 4) if checks else None,
           "rss_kib_start": s0["rss"], "rss_kib_end": s1["rss"], "loadavg_1m_end": loadavg(), **extra}
    if version:
        row["version"] = version
    return row


# ---------------------------------------------------------------------------------------------
# capacity: unyo alone on one CPU, more and more monitors


def run_capacity(args, workdir):
    interval = args.capacity_interval
    nports = 1000
    farm_dir = os.path.join(workdir, "farm-capacity")
    os.makedirs(farm_dir, exist_ok=True)
    pin_unyo = 0 if cpus() >= 2 else None
    nginx_cpu = 1 if cpus() >= 2 else None
    nginx = farm.start(farm_dir, list(range(TCP_BASE, TCP_BASE + nports)) + list(range(HTTP_BASE, HTTP_BASE + nports)),
                       cpu=nginx_cpu)
    steps = []
    try:
        for count in args.capacity_steps:
            log(f"capacity: {count} monitors (half tcp, half http) every {interval} s, unyo pinned to CPU {pin_unyo}")
            group = procs.CpuGroup(f"capacity-{count}")
            u = Unyo(args.bin, workdir, f"capacity-{count}", group)
            mons = []
            for i in range(count):
                p = i % nports
                if i % 2 == 0:
                    mons.append({"name": f"c{i}", "type": "tcp", "target": {"host": "127.0.0.1", "port": TCP_BASE + p},
                                 "interval_s": interval, "timeout_ms": min(interval, 5) * 1000, "retries": 1})
                else:
                    mons.append({"name": f"c{i}", "type": "http", "target": {"url": f"http://127.0.0.1:{HTTP_BASE + p}/"},
                                 "interval_s": interval, "timeout_ms": min(interval, 5) * 1000, "retries": 1})
            try:
                u.init(mons)
                u.serve(cpu=pin_unyo)

                def live():
                    # Under overload the engine may not answer /metrics within its 2 s (its
                    # counters are then missing): try a few times.
                    for _ in range(5):
                        m = u.metrics()
                        if any(k.startswith("unyo_monitor_checks_total") for k in m):
                            return (m, procs.thread_cpu_s(u.pid))
                        time.sleep(1)
                    return (None, procs.thread_cpu_s(u.pid))

                t0, t1, s0, s1 = measure_window(u.pid, group, None, args.capacity_warm, args.capacity_window, live=live)
            finally:
                u.stop()
                group.remove()
            m0, th0 = s0["live"]
            m1, th1 = s1["live"]
            if m0 is None or m1 is None:
                steps.append({"monitors": count, "interval_s": interval, "offered_per_s": round(count / interval, 1),
                              "sustained": False, "rss_kib_start": s0["rss"], "rss_kib_end": s1["rss"],
                              "cpu_share_of_one_core": round(((s1["cgroup"] or s1["tree"]) - (s0["cgroup"] or s0["tree"]))
                                                             / (t1 - t0), 3),
                              "note": "the engine did not answer /metrics within 2 s (its loop saturated)"})
                log("  " + json.dumps(steps[-1]))
                break
            checks = sum(m1.get(k, 0) - m0.get(k, 0) for k in m1 if k.startswith("unyo_monitor_checks_total"))
            failures = sum(m1.get(k, 0) - m0.get(k, 0) for k in m1 if k.startswith("unyo_monitor_check_failures_total"))
            written = m1.get("unyo_monitor_results_written_total", 0) - m0.get("unyo_monitor_results_written_total", 0)
            duration = sum(m1.get(k, 0) - m0.get(k, 0) for k in m1 if k.startswith("unyo_monitor_check_duration_seconds_sum"))
            window = t1 - t0
            cpu = (s1["cgroup"] - s0["cgroup"]) if s0["cgroup"] is not None else (s1["tree"] - s0["tree"])
            busiest = sorted(((th1[t][1] - th0.get(t, ("", 0))[1], th1[t][0]) for t in th1), reverse=True)[:4]
            lat = lateness(m0, m1)
            step = {"monitors": count, "interval_s": interval, "offered_per_s": round(count / interval, 1),
                    "checks_per_s": round(checks / window, 1), "failed": int(failures),
                    "results_written_per_s": round(written / window, 1), "lateness": lat,
                    "mean_check_ms": round(1000 * duration / checks, 2) if checks else None,
                    "cpu_s": round(cpu, 2), "cpu_share_of_one_core": round(cpu / window, 3),
                    "busiest_threads_cpu_share": [[name, round(s / window, 3)] for s, name in busiest],
                    "checks_per_cpu_s": round(checks / cpu, 1) if cpu else None,
                    "rss_kib_start": s0["rss"], "rss_kib_end": s1["rss"], "import_s": round(u.import_s, 1),
                    "loadavg_1m_end": loadavg()}
            step["sustained"] = (isinstance(lat["p99_at_most_s"], float) and lat["p99_at_most_s"] <= 1.0
                                 and checks / window >= 0.97 * count / interval)
            steps.append(step)
            log("  " + json.dumps(step))
            if not step["sustained"]:
                break
    finally:
        procs.stop(nginx)
    best = max((s for s in steps if s["sustained"]), key=lambda s: s["checks_per_s"], default=None)
    return {"pinned_cpu": pin_unyo, "nginx_cpu": nginx_cpu, "window_s": args.capacity_window,
            "warm_up_s": args.capacity_warm, "steps": steps,
            "sustained_checks_per_s": best["checks_per_s"] if best else None}


# ---------------------------------------------------------------------------------------------
# soak: unyo's memory over a longer run (not in the default parts: it takes --soak-s)


def run_soak(args, workdir):
    n, interval = 2000, 2
    farm_dir = os.path.join(workdir, "farm-soak")
    os.makedirs(farm_dir, exist_ok=True)
    nginx = farm.start(farm_dir, list(range(TCP_BASE, TCP_BASE + 1000)) + list(range(HTTP_BASE, HTTP_BASE + 1000)))
    u = Unyo(args.bin, workdir, "soak")
    mons = []
    for i in range(n):
        if i % 2 == 0:
            mons.append({"name": f"s{i}", "type": "tcp", "target": {"host": "127.0.0.1", "port": TCP_BASE + i // 2},
                         "interval_s": interval, "timeout_ms": 2000, "retries": 1})
        else:
            mons.append({"name": f"s{i}", "type": "http", "target": {"url": f"http://127.0.0.1:{HTTP_BASE + i // 2}/"},
                         "interval_s": interval, "timeout_ms": 2000, "retries": 1})
    samples = []
    try:
        u.init(mons)
        u.serve()
        start = time.time()
        while time.time() - start < args.soak_s:
            time.sleep(30)
            m = u.metrics()
            samples.append({"t_s": round(time.time() - start), "rss_kib": procs.tree_rss_kib(u.pid),
                            "checks": int(sum(v for k, v in m.items() if k.startswith("unyo_monitor_checks_total"))),
                            "db_mib": round(os.path.getsize(os.path.join(u.dir, "unyo.db")) / 2**20, 1)})
            log("  " + json.dumps(samples[-1]))
    finally:
        u.stop()
        procs.stop(nginx)
    return {"monitors": n, "interval_s": interval, "seconds": args.soak_s, "samples": samples}


# ---------------------------------------------------------------------------------------------
# scenarios on the simulator


def start_unyo_with_sim(args, workdir, label, mons, sim_ports):
    sim = Sim(workdir, SIM_BASE, sim_ports)
    hook = Webhook()
    u = Unyo(args.bin, workdir, label)
    u.init(mons)
    u.serve()
    u.login()
    u.request("POST", "/api/v1/notification-channels", {"name": "bench", "type": "webhook", "url": hook.url})
    return sim, hook, u


def wait_all_ok(u, names, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        states = {m["name"]: m["status"]["state"] for m in u.monitors() if m["name"] in names}
        if len(states) == len(names) and all(s == "ok" for s in states.values()):
            return True
        time.sleep(1)
    return False


def run_notify(args, workdir):
    # (group label, type, mode, interval_s, retries, timeout_ms, count)
    groups = [("tcp refused, 1 s x1", "tcp", "down", 1, 1, 500, 8),
              ("http 500, 1 s x1", "http", "error", 1, 1, 500, 8),
              ("http hangs (timeout 500 ms), 1 s x1", "http", "hang", 1, 1, 500, 8),
              ("tcp refused, 10 s x1", "tcp", "down", 10, 1, 2000, 8),
              ("tcp refused, 10 s x3", "tcp", "down", 10, 3, 2000, 8)]
    if args.quick:
        groups = [(g[0], g[1], g[2], g[3], g[4], g[5], 3) for g in groups]
    mons, plan = [], []
    port = SIM_BASE
    for label, kind, mode, interval, retries, timeout_ms, count in groups:
        for i in range(count):
            name = f"n-{port}"
            target = {"host": "127.0.0.1", "port": port} if kind == "tcp" else {"url": f"http://127.0.0.1:{port}/"}
            mons.append({"name": name, "type": kind, "target": target, "interval_s": interval, "timeout_ms": timeout_ms,
                         "retries": retries})
            plan.append({"group": label, "name": name, "port": port, "mode": mode, "interval_s": interval,
                         "retries": retries})
            port += 1
    sim, hook, u = start_unyo_with_sim(args, workdir, "notify", mons, port - SIM_BASE)
    try:
        if not wait_all_ok(u, {p["name"] for p in plan}, 40):
            log("notify: not every monitor was ok before the failures")
        random.seed(5)
        random.shuffle(plan)
        for p in plan:  # one failure every 0.7 s, in random order, so deliveries do not queue
            p["failed_at_ms"] = sim.set([p["port"]], p["mode"])
            time.sleep(0.7)
        deadline = time.time() + 45
        while time.time() < deadline:
            if len([1 for _, s in hook.received if "障害検知" in s]) >= len(plan):
                break
            time.sleep(0.5)
        alerts = u.request("GET", "/api/v1/alerts?limit=500")
        alerts = alerts["items"] if isinstance(alerts, dict) else alerts
        id_by_name = {m["name"]: m["id"] for m in u.monitors()}
    finally:
        u.stop()
        sim.stop()
        hook.close()
    by_name = {}
    for at, subject in hook.received:
        if "障害検知" in subject:
            name = subject.split("障害検知: ", 1)[1].split(" ")[0]
            by_name.setdefault(name, at)
    alert_by_monitor = {a["monitor_id"]: a for a in alerts if a.get("monitor_id")}
    results = []
    for p in plan:
        a = alert_by_monitor.get(id_by_name[p["name"]])
        got = by_name.get(p["name"])
        r = dict(p)
        r["notified"] = got is not None
        if got is not None:
            r["fail_to_notify_s"] = round((got - p["failed_at_ms"]) / 1000, 3)
        if a:
            detected = datetime.fromisoformat(a["detected_at"].replace("Z", "+00:00")).timestamp() * 1000
            opened = datetime.fromisoformat(a["opened_at"].replace("Z", "+00:00")).timestamp() * 1000
            r["fail_to_first_failing_check_s"] = round((detected - p["failed_at_ms"]) / 1000, 3)
            r["first_failing_check_to_hard_s"] = round((opened - detected) / 1000, 3)
            if got is not None:
                r["hard_to_webhook_s"] = round((got - opened) / 1000, 3)
            r["unyo_detect_to_notify_ms"] = a.get("detect_to_notify_ms")
        results.append(r)
    summary = []
    for label, *_ in groups:
        rs = [r for r in results if r["group"] == label]
        def stats(key):
            v = sorted(r[key] for r in rs if key in r)
            if not v:
                return None
            return {"median": v[len(v) // 2], "max": v[-1], "min": v[0]}
        summary.append({"group": label, "interval_s": rs[0]["interval_s"], "retries": rs[0]["retries"],
                        "samples": len(rs), "notified": sum(r["notified"] for r in rs),
                        "fail_to_notify_s": stats("fail_to_notify_s"),
                        "fail_to_first_failing_check_s": stats("fail_to_first_failing_check_s"),
                        "first_failing_check_to_hard_s": stats("first_failing_check_to_hard_s"),
                        "hard_to_webhook_s": stats("hard_to_webhook_s")})
    return {"summary": summary, "samples": results}


def run_parent(args, workdir):
    children = 100 if args.quick else 1000
    interval, retries = 10, 2
    mons = [{"name": "parent", "type": "tcp", "target": {"host": "127.0.0.1", "port": SIM_BASE}, "interval_s": interval,
             "timeout_ms": 2000, "retries": retries}]
    for i in range(children):
        mons.append({"name": f"child-{i}", "type": "tcp", "target": {"host": "127.0.0.1", "port": SIM_BASE + 1 + i},
                     "interval_s": interval, "timeout_ms": 2000, "retries": retries, "parents": ["parent"]})
    sim, hook, u = start_unyo_with_sim(args, workdir, "parent", mons, children + 1)
    try:
        ready = wait_all_ok(u, {m["name"] for m in mons}, 60)
        ports = list(range(SIM_BASE, SIM_BASE + children + 1))
        before = len(hook.received)
        down_at = sim.set(ports, "down")
        log(f"parent: {children + 1} targets down")
        time.sleep(interval * (retries + 1) + 15)
        states = {}
        for m in u.monitors():
            if m["name"] != "parent":
                states[m["status"]["state"]] = states.get(m["status"]["state"], 0) + 1
        parent_state = next(m["status"]["state"] for m in u.monitors() if m["name"] == "parent")
        outage = hook.received[before:]
        mid = len(hook.received)
        up_at = sim.set(ports, "up")
        log("parent: targets up again")
        time.sleep(interval + 15)
        recovery = hook.received[mid:]
        incidents = u.request("GET", "/api/v1/incidents?limit=500")
        incidents = incidents["items"] if isinstance(incidents, dict) else incidents
    finally:
        u.stop()
        sim.stop()
        hook.close()
    alerts = [(at, s) for at, s in outage if "障害検知" in s]
    return {"children": children, "interval_s": interval, "retries": retries, "all_ok_before": ready,
            "notifications_during_outage": len(outage), "alert_notifications": len(alerts),
            "alert_subjects": [s for _, s in alerts][:5],
            "first_alert_after_s": round((alerts[0][0] - down_at) / 1000, 3) if alerts else None,
            "parent_state": parent_state, "children_states": states,
            "notifications_after_recovery": len(recovery), "recovery_subjects": [s for _, s in recovery][:5],
            "incidents_opened": len(incidents)}


def run_availability(args, workdir):
    # (label, interval_s, retries, monitors)
    configs = [("1 s x1", 1, 1, 3), ("5 s x1", 5, 1, 3), ("10 s x1", 10, 1, 3), ("10 s x3", 10, 3, 3)]
    # down/up durations in seconds, starting with up; the same on every target (one logged change)
    schedule = [("down", 17), ("up", 23), ("down", 7.5), ("up", 21), ("down", 43), ("up", 13), ("down", 3),
                ("up", 16)]
    if args.quick:
        schedule = schedule[:4]
    mons, plan = [], []
    port = SIM_BASE
    for label, interval, retries, count in configs:
        for _ in range(count):
            mons.append({"name": f"a-{port}", "type": "tcp", "target": {"host": "127.0.0.1", "port": port},
                         "interval_s": interval, "timeout_ms": 1000, "retries": retries})
            plan.append((label, interval, retries, f"a-{port}", port))
            port += 1
    sim, hook, u = start_unyo_with_sim(args, workdir, "availability", mons, port - SIM_BASE)
    ports = [p[4] for p in plan]
    try:
        wait_all_ok(u, {p[3] for p in plan}, 40)
        time.sleep(2)
        start_ms = time.time() * 1000
        for mode, seconds in schedule:
            sim.set(ports, mode)
            time.sleep(seconds)
        end_ms = time.time() * 1000
        time.sleep(1)
        ids = {m["name"]: m["id"] for m in u.monitors()}
        got = {}
        for _, _, _, name, _ in plan:
            body = u.request("GET", f"/api/v1/availability?monitor_id={ids[name]}&from={iso(start_ms)}&to={iso(end_ms)}")
            got[name] = (body["items"] if isinstance(body, dict) else body)[0]
    finally:
        u.stop()
        sim.stop()
        hook.close()
    # the truth: the simulator's own log of when each change had taken effect
    truth_down = 0.0
    state, since = "up", start_ms
    for e in sim.entries():
        if e.get("start") or e["at_ms"] < start_ms:
            continue
        if e["mode"] == "down" and state == "up":
            state, since = "down", max(e["at_ms"], start_ms)
        elif e["mode"] == "up" and state == "down":
            truth_down += min(e["at_ms"], end_ms) - since
            state = "up"
    if state == "down":
        truth_down += end_ms - since
    outages = sum(1 for m, _ in schedule if m == "down")
    rows = []
    for label, interval, retries, count in configs:
        errs = []
        for lbl, _, _, name, _ in plan:
            if lbl == label:
                a = got[name]
                errs.append((a["down_ms"] - truth_down) / 1000)
        rows.append({"config": label, "interval_s": interval, "retries": retries, "monitors": count,
                     "true_down_s": round(truth_down / 1000, 3),
                     "measured_down_s": [round(truth_down / 1000 + e, 3) for e in errs],
                     "error_s": [round(e, 3) for e in errs],
                     "mean_error_per_outage_s": round(sum(errs) / len(errs) / outages, 3)})
    return {"window_s": round((end_ms - start_ms) / 1000, 3), "outages": outages,
            "schedule": schedule, "rows": rows}


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the unyo binary")
    ap.add_argument("--out", required=True, help="directory for monitoring-<part>.json")
    ap.add_argument("--parts", default="compare,compare-high,capacity,notify,parent,availability")
    ap.add_argument("--tools", default="unyo,icinga2,nagios4,blackbox")
    ap.add_argument("--targets", type=int, default=int(os.environ.get("BENCH_MON_TARGETS", 1000)))
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--warm", type=int, default=15)
    ap.add_argument("--high-targets", type=int, default=5000)
    ap.add_argument("--high-interval", type=int, default=5)
    ap.add_argument("--high-window", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_MON_ROUNDS", 1)),
                    help="compare: each tool this many times, interleaved; ratios are medians")
    ap.add_argument("--window", type=int, default=int(os.environ.get("BENCH_MON_WINDOW", 40)))
    ap.add_argument("--capacity-interval", type=int, default=5)
    ap.add_argument("--capacity-steps", default=os.environ.get("BENCH_MON_STEPS", "10000,20000,24000,28000,32000"))
    ap.add_argument("--capacity-warm", type=int, default=20)
    ap.add_argument("--capacity-window", type=int, default=25)
    ap.add_argument("--soak-s", type=int, default=int(os.environ.get("BENCH_MON_SOAK_S", 600)))
    ap.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    args.tools = args.tools.split(",")
    args.capacity_steps = [int(x) for x in args.capacity_steps.split(",")]
    if args.quick:
        args.targets, args.window, args.warm = min(args.targets, 100), min(args.window, 15), min(args.warm, 12)
        args.high_targets, args.high_window = min(args.high_targets, 500), 15
        args.capacity_steps, args.capacity_window = args.capacity_steps[:2], 15
    os.makedirs(args.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="unyo-bench-mon.")
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
            "unyo": subprocess.run([args.bin, "version"], capture_output=True, text=True).stdout.strip(),
            "peers": peers.versions(), "kernel": os.uname().release}
    log(f"work directory {workdir}; {json.dumps(meta, ensure_ascii=False)}")
    parts = {"compare": run_compare, "compare-high": run_compare_high, "soak": run_soak, "capacity": run_capacity, "notify": run_notify, "parent": run_parent,
             "availability": run_availability}
    failed = False
    try:
        for part in args.parts.split(","):
            log(f"== monitoring: {part}")
            try:
                result = parts[part](args, workdir)
            except Exception as e:
                import traceback
                traceback.print_exc()
                result = {"error": str(e)}
                failed = True
            out = {"part": part, "meta": meta, "quick": args.quick, **result}
            with open(os.path.join(args.out, f"monitoring-{part}.json"), "w") as f:
                json.dump(out, f, ensure_ascii=False, indent=1)
            log(f"wrote {args.out}/monitoring-{part}.json")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
