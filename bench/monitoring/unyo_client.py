"""Starting unyo for bench/monitoring and talking to it: init, import monitors as YAML, serve,
sign in, the REST calls the harness needs and /metrics."""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

import procs


def yaml_quote(s):
    return json.dumps(str(s), ensure_ascii=False)


def monitors_yaml(monitors):
    """monitors: dicts {name, type, target: {...}, interval_s, timeout_ms, retries, parents?: [names]}."""
    lines = ["monitors:"]
    for m in monitors:
        lines.append(f"  - name: {yaml_quote(m['name'])}")
        lines.append(f"    type: {m['type']}")
        lines.append("    target:")
        for k, v in m["target"].items():
            lines.append(f"      {k}: {v if isinstance(v, int) else yaml_quote(v)}")
        for k in ("interval_s", "timeout_ms", "retries"):
            lines.append(f"    {k}: {int(m[k])}")
        if m.get("service"):
            lines.append(f"    service: {yaml_quote(m['service'])}")
        if m.get("parents"):
            lines.append("    parents: [" + ", ".join(yaml_quote(p) for p in m["parents"]) + "]")
    return "\n".join(lines) + "\n"


class Unyo:
    def __init__(self, bin_path, workdir, label, group=None):
        self.bin = bin_path
        self.dir = os.path.join(workdir, f"unyo-{label}")
        self.label = label
        self.group = group
        self.proc = None
        self.url = None
        self.cookie = None
        self.csrf = None

    def init(self, monitors):
        out = subprocess.run([self.bin, "init", "--data-dir", self.dir], capture_output=True, text=True, check=True)
        self.password = re.search(r"^admin password: (\S+)$", out.stdout, re.M).group(1)
        if monitors:
            path = os.path.join(self.dir, "monitors.yaml")
            with open(path, "w") as f:
                f.write(monitors_yaml(monitors))
            t = time.time()
            res = subprocess.run([self.bin, "monitors", "import", path, "--data-dir", self.dir], capture_output=True,
                                 text=True)
            if res.returncode != 0:
                raise RuntimeError(f"unyo monitors import failed: {res.stdout}\n{res.stderr}")
            self.import_s = time.time() - t

    def serve(self, cpu=None):
        cmd = [self.bin, "serve", "--data-dir", self.dir, "--listen", "127.0.0.1:0"]
        if cpu is not None:
            cmd = ["taskset", "-c", str(cpu)] + cmd
        self.stdout_path = os.path.join(self.dir, "serve.out")
        self.proc = procs.spawn(cmd, group=self.group, stdout=open(self.stdout_path, "w"),
                                stderr=open(os.path.join(self.dir, "serve.log"), "w"))
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.stdout_path) as f:
                m = re.search(r"listening on (\S+)", f.read())
            if m:
                self.url = m.group(1)
                break
            if self.proc.poll() is not None:
                raise RuntimeError("unyo serve exited: " + open(os.path.join(self.dir, "serve.log")).read()[-2000:])
            time.sleep(0.1)
        else:
            raise RuntimeError("unyo serve did not print its address within 30 s")
        self.pid = self.proc.pid

    def stop(self):
        procs.stop(self.proc, grace_s=20)

    def request(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        if self.csrf and method not in ("GET", "HEAD"):
            req.add_header("X-CSRF-Token", self.csrf)
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                payload = res.read()
                if raw:
                    return payload.decode()
                return json.loads(payload) if payload else None
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None

    def login(self):
        req = urllib.request.Request(self.url + "/api/v1/session", method="POST",
                                     data=json.dumps({"login": "admin", "password": self.password}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            body = json.loads(res.read())
            self.cookie = res.headers.get("Set-Cookie").split(";")[0]
        self.csrf = body.get("csrf_token")

    def metrics(self):
        """/metrics as {name_with_labels: value}."""
        text = self.request("GET", "/metrics", raw=True)
        out = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            key, _, value = line.rpartition(" ")
            try:
                out[key] = float(value)
            except ValueError:
                pass
        return out

    def monitors(self):
        body = self.request("GET", "/api/v1/monitors?limit=100000")
        return body["items"] if isinstance(body, dict) and "items" in body else body


LATENESS_BOUNDS = ["0.01", "0.1", "0.5", "1", "5", "10", "60"]


def lateness(m0, m1):
    """From two /metrics snapshots: checks started in between, the share started within each
    bucket bound, and the smallest bound under which 99 % started (the p99 bound)."""
    count = m1.get("unyo_monitor_check_lateness_seconds_count", 0) - m0.get("unyo_monitor_check_lateness_seconds_count", 0)
    shares = {}
    p99 = None
    for b in LATENESS_BOUNDS:
        key = f'unyo_monitor_check_lateness_seconds_bucket{{le="{b}"}}'
        n = m1.get(key, 0) - m0.get(key, 0)
        shares[b] = n / count if count else None
        if p99 is None and count and n / count >= 0.99:
            p99 = float(b)
    sum_s = m1.get("unyo_monitor_check_lateness_seconds_sum", 0) - m0.get("unyo_monitor_check_lateness_seconds_sum", 0)
    return {"starts": int(count), "share_within_s": shares, "p99_at_most_s": p99 if p99 is not None else "over 60",
            "mean_s": round(sum_s / count, 4) if count else None,
            "late_over_1s": int(m1.get("unyo_monitor_checks_late_total", 0) - m0.get("unyo_monitor_checks_late_total", 0))}
