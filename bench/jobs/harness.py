#!/usr/bin/env python3
"""bench/jobs (issue 6): unyo's job runner on large DAGs of /bin/true, side by side with
`ninja -j N` and `make -j N` running the same DAG (the floor: tools that only start processes),
and 1,000 schedules due in the same second. Parts (--parts, comma-separated; default all):

  dag        shapes chain, fan (one job, then N-2 in parallel, then one), layered (100 layers of
             N/100 jobs, each after 3 random jobs of the layer before) at concurrency 1, 8, 64
             (the chain only at 1: it has no parallelism). For unyo: makespan (run start to end),
             jobs/s, dispatch latency (a job's start minus its last parent's end, p50/p99/max,
             from the run's own job times), the server's CPU seconds and peak RSS. CPU seconds: the server's
             own (the scheduler) and with its children (each job's supervisor and /bin/true). For
             ninja and make: makespan and CPU seconds of the tool and its children. Peak RSS: the
             server's during the run (reset when it starts), and before it, after the jobnet was
             defined (the 10,000-job definition through the API).
  memory     --memory-runs chains of --memory-jobs jobs run one after another on one server: the
             server's peak RSS during each run (reset as it starts) and its RSS once it ended, to
             see whether memory is handed back between runs.
  schedules  1,000 jobnets each with one start at the same instant (the next whole minute at
             least 40 s ahead): runs made per jobnet (must be exactly 1 each: none missed, none
             twice) and how late each run started.

Usage: harness.py --bin build/release/unyo --out bench/results [--jobs 10000] [--parts dag]
Results: jobs-dag.json, jobs-schedules.json in --out; a table on stdout.
"""
import argparse
import bisect
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "monitoring"))
from unyo_client import Unyo  # noqa: E402

JST = timezone(timedelta(hours=9))


def shape(kind, n, seed=7):
    """[(key, [parent keys])] of a DAG of n jobs."""
    if kind == "chain":
        return [(f"j{i}", [f"j{i - 1}"] if i else []) for i in range(n)]
    if kind == "fan":
        mid = [(f"m{i}", ["first"]) for i in range(n - 2)]
        return [("first", [])] + mid + [("last", [k for k, _ in mid])]
    if kind == "layered":
        rng = random.Random(seed)
        width = max(1, n // 100)
        layers = [[f"l{layer}_{i}" for i in range(width)] for layer in range(n // width)]
        out = []
        for li, layer in enumerate(layers):
            for key in layer:
                out.append((key, rng.sample(layers[li - 1], min(3, width)) if li else []))
        return out
    raise ValueError(kind)


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def ms(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def proc_cpu_rss(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / tick  # utime, stime: the server alone
    children = (int(fields[13]) + int(fields[14])) / tick  # of the processes it waited for (jobs)
    hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return cpu, children, hwm


def run_unyo(u, kind, dag, conc):
    jobs = [{"key": k, "command": ["/bin/true"], "after": parents} for k, parents in dag]
    name = f"bench-{kind}-{conc}-{len(dag)}"
    n = u.request("POST", "/api/v1/jobnets", {"name": name, "max_parallel": conc, "jobs": jobs})
    _, _, hwm_define = proc_cpu_rss(u.pid)
    with open(f"/proc/{u.pid}/clear_refs", "w") as f:
        f.write("5")  # resets the peak RSS: what follows is the run's
    cpu0, child0, _ = proc_cpu_rss(u.pid)
    run = u.request("POST", f"/api/v1/jobnets/{n['id']}/runs", {})
    # Polls the short list form (no jobs, no events), so the measure is the runner's, not the API's.
    while True:
        time.sleep(0.5)
        item = u.request("GET", f"/api/v1/jobnet-runs?jobnet_id={n['id']}&limit=1")["items"][0]
        if item["status"] in ("succeeded", "failed", "killed"):
            break
    cpu1, child1, hwm = proc_cpu_rss(u.pid)
    r = u.request("GET", f"/api/v1/jobnet-runs/{run['id']}")
    if r["status"] != "succeeded":
        raise RuntimeError(f"{name}: the run {r['status']}")
    by_key = {j["key"]: j for j in r["jobs"]}
    # A job's ended_at is when its process ended (the supervisor's stamp); started_at is when the
    # runner started it. Dispatch latency: from the moment a job could start — its last parent
    # ended, and a slot was free (the last end of any job before its start) — to its start.
    ends = sorted(ms(j["ended_at"]) for j in r["jobs"])
    latency = []
    for k, parents in dag:
        start = ms(by_key[k]["started_at"])
        i = bisect.bisect_right(ends, start)
        if i == 0:
            continue  # started with the run: nothing to wait for
        ready = max([ends[i - 1]] + [ms(by_key[p]["ended_at"]) for p in parents])
        latency.append(start - ready)
    makespan = (ms(r["ended_at"]) - ms(r["started_at"])) / 1000
    return {"tool": "unyo", "shape": kind, "concurrency": conc, "jobs": len(dag), "makespan_s": round(makespan, 3),
            "jobs_per_s": round(len(dag) / makespan, 1), "dispatch_ms_p50": pct(latency, 50),
            "dispatch_ms_p99": pct(latency, 99), "dispatch_ms_max": max(latency) if latency else None,
            "cpu_s": round(cpu1 - cpu0 + child1 - child0, 2), "scheduler_cpu_s": round(cpu1 - cpu0, 2),
            "peak_rss_mib": round(hwm / 1024, 1), "peak_rss_define_mib": round(hwm_define / 1024, 1)}


def run_tool(tool, kind, dag, conc, workdir):
    d = tempfile.mkdtemp(dir=workdir, prefix=f"{tool}-")
    if tool == "ninja":
        lines = ["rule t", "  command = /bin/true", ""]
        for k, parents in dag:
            lines.append(f"build {k}: t" + (" || " + " ".join(parents) if parents else ""))
        open(os.path.join(d, "build.ninja"), "w").write("\n".join(lines) + "\n")
        cmd = ["ninja", "-C", d, "-j", str(conc), "--quiet"] + [k for k, _ in dag]
    else:
        lines = [".PHONY: all " + " ".join(k for k, _ in dag), "all: " + " ".join(k for k, _ in dag)]
        for k, parents in dag:
            lines.append(f"{k}: {' '.join(parents)}\n\t@/bin/true")
        open(os.path.join(d, "Makefile"), "w").write("\n".join(lines) + "\n")
        cmd = ["make", "-C", d, "-s", "-j", str(conc), "all"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(d, ignore_errors=True)
    return {"tool": tool, "shape": kind, "concurrency": conc, "jobs": len(dag), "makespan_s": round(wall, 3),
            "jobs_per_s": round(len(dag) / wall, 1), "cpu_s": round(cpu, 2)}


def start_server(args, workdir, label, max_parallel=None):
    """A fresh unyo with no nightly backup (and the given global job limit), signed in."""
    u = Unyo(args.bin, workdir, label)
    u.init([])
    cfg_path = os.path.join(u.dir, "config.json")
    cfg = json.load(open(cfg_path))
    if max_parallel:
        cfg["jobs"] = {"max_parallel": max_parallel}
    cfg["backup"] = {**cfg.get("backup", {}), "at": ""}
    json.dump(cfg, open(cfg_path, "w"))
    u.serve()
    u.login()
    return u


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def part_memory(args, workdir):
    u = start_server(args, workdir, "memory", 64)
    rows = []
    try:
        dag = shape("chain", args.memory_jobs)
        jobs = [{"key": k, "command": ["/bin/true"], "after": parents} for k, parents in dag]
        for i in range(args.memory_runs):
            n = u.request("POST", "/api/v1/jobnets", {"name": f"memory-{i}", "jobs": jobs})
            with open(f"/proc/{u.pid}/clear_refs", "w") as f:
                f.write("5")
            u.request("POST", f"/api/v1/jobnets/{n['id']}/runs", {})
            while u.request("GET", f"/api/v1/jobnet-runs?jobnet_id={n['id']}&limit=1")["items"][0]["status"] != "succeeded":
                time.sleep(0.5)
            row = {"run": i + 1, "jobs": len(dag), "peak_rss_mib": round(status_kib(u.pid, "VmHWM") / 1024, 1),
                   "rss_after_mib": round(status_kib(u.pid, "VmRSS") / 1024, 1)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        u.stop()
    return {"rows": rows}


def part_dag(args, workdir):
    u = start_server(args, workdir, "dag", 64)
    rows = []
    try:
        for kind in ("chain", "fan", "layered"):
            dag = shape(kind, args.jobs)
            for conc in ((1,) if kind == "chain" else (1, 8, 64)):
                for tool in ("unyo", "ninja", "make"):
                    row = run_unyo(u, kind, dag, conc) if tool == "unyo" else run_tool(tool, kind, dag, conc, workdir)
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
    finally:
        u.stop()
    return {"jobs": args.jobs, "rows": rows}


def part_schedules(args, workdir):
    u = start_server(args, workdir, "sched")
    try:
        now = datetime.now(JST)
        at = (now + timedelta(seconds=100)).replace(second=0, microsecond=0)
        if (at - now).total_seconds() < 40:
            at += timedelta(minutes=1)
        ids = []
        for i in range(args.schedules):
            n = u.request("POST", "/api/v1/jobnets", {
                "name": f"sched-{i}",
                "schedule": {"days": {"rule": "dates", "dates": [at.date().isoformat()]},
                             "start_times": [at.strftime("%H:%M")], "shift": "run",
                             "window": {"from": "00:00", "to": "00:00"}},
                "jobs": [{"key": "a", "command": ["/bin/true"]}]})
            ids.append(n["id"])
        made = time.time()
        wait = at.timestamp() - time.time() + 20
        print(f"{len(ids)} jobnets made in {made - now.timestamp():.1f} s; waiting {wait:.0f} s for {at.isoformat()}",
              flush=True)
        time.sleep(max(0, wait))
        runs, cursor = [], None
        while True:
            page = u.request("GET", "/api/v1/jobnet-runs?limit=500" + (f"&cursor={cursor}" if cursor else ""))
            runs += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        per = {}
        for r in runs:
            per.setdefault(r["jobnet_id"], []).append(r)
        counts = [len(per.get(i, [])) for i in ids]
        late = [(ms(r["started_at"]) - ms(r["planned_at"])) / 1000 for r in runs if r["started_at"]]
        result = {"schedules": len(ids), "at": at.isoformat(), "runs": len(runs),
                  "missed": sum(1 for c in counts if c == 0), "twice": sum(1 for c in counts if c > 1),
                  "all_scheduled_trigger": all(r["trigger"] == "schedule" for r in runs),
                  "succeeded": sum(1 for r in runs if r["status"] == "succeeded"),
                  "start_late_s_p50": pct(late, 50), "start_late_s_p99": pct(late, 99),
                  "start_late_s_max": max(late) if late else None}
        print(json.dumps(result), flush=True)
        return result
    finally:
        u.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--parts", default="dag,memory,schedules")
    ap.add_argument("--jobs", type=int, default=10000)
    ap.add_argument("--schedules", type=int, default=1000)
    ap.add_argument("--memory-runs", type=int, default=6)
    ap.add_argument("--memory-jobs", type=int, default=3000)
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    os.makedirs(args.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="unyo-bench-jobs-")
    try:
        for part in args.parts.split(","):
            result = {"dag": part_dag, "memory": part_memory, "schedules": part_schedules}[part](args, workdir)
            result["machine"] = {"cpus": os.cpu_count(), "date": datetime.now(timezone.utc).isoformat()}
            json.dump(result, open(os.path.join(args.out, f"jobs-{part}.json"), "w"), indent=1, ensure_ascii=False)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
