"""Process accounting for bench/monitoring: CPU seconds and RSS of a checker's whole process tree.

Two independent measures of CPU, both including the plugins that Icinga 2 and Nagios fork per
check:
- tree: for the root and every live descendant, utime + stime + cutime + cstime from /proc. A child
  that exits is reaped by its parent, whose cutime/cstime then hold its time, so the sum over the
  live tree at two instants brackets the work done between them.
- cgroup: the process starts inside its own cpuacct cgroup (v1) or cgroup (v2) when the machine
  allows creating one; its usage counts every process that ever ran in it.
"""
import os
import signal
import subprocess
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rfind(")") + 2:].split()
    # fields from index 3 (state) on: ppid=rest[1], utime=rest[11], stime=rest[12], cutime=13, cstime=14, rss=21
    return {
        "ppid": int(rest[1]),
        "cpu_ticks": int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14]),
        "rss_kib": int(rest[21]) * PAGE_KIB,
        "comm": data[data.find("(") + 1:data.rfind(")")],
    }


def tree(root):
    """The root and its live descendants: {pid: stat}."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            s = _stat(int(name))
            if s:
                stats[int(name)] = s
    children = {}
    for pid, s in stats.items():
        children.setdefault(s["ppid"], []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in out:
            out[pid] = stats[pid]
            todo.extend(children.get(pid, []))
    return out


def tree_cpu_s(root):
    return sum(s["cpu_ticks"] for s in tree(root).values()) / TICK


def tree_rss_kib(root, comms=None):
    """RSS of the tree's processes (only those whose name is in `comms` when given: the daemons,
    not a plugin that happens to run at that instant)."""
    return sum(s["rss_kib"] for s in tree(root).values() if comms is None or s["comm"] in comms)


def thread_cpu_s(pid):
    """CPU seconds of each thread of `pid`: {tid: (name, seconds)}."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                data = f.read()
        except OSError:
            continue
        rest = data[data.rfind(")") + 2:].split()
        out[int(tid)] = (data[data.find("(") + 1:data.rfind(")")], (int(rest[11]) + int(rest[12])) / TICK)
    return out


class CpuGroup:
    """A cgroup of its own for one checker, when the machine lets us make one (else `path` is None)."""

    def __init__(self, name):
        self.path = None
        self.kind = None
        for base, kind in (("/sys/fs/cgroup/cpuacct", "v1"), ("/sys/fs/cgroup", "v2")):
            if kind == "v1" and not os.path.exists(os.path.join(base, "cpuacct.usage")):
                continue
            if kind == "v2" and not os.path.exists(os.path.join(base, "cgroup.controllers")):
                continue
            path = os.path.join(base, f"unyo-bench-{name}-{os.getpid()}")
            try:
                os.makedirs(path, exist_ok=True)
                self.path, self.kind = path, kind
                break
            except OSError:
                continue

    def attach_self(self):
        """For preexec_fn: moves the calling (child) process into the group."""
        if self.path:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))

    def usage_s(self):
        if not self.path:
            return None
        if self.kind == "v1":
            with open(os.path.join(self.path, "cpuacct.usage")) as f:
                return int(f.read()) / 1e9
        with open(os.path.join(self.path, "cpu.stat")) as f:
            for line in f:
                if line.startswith("usage_usec"):
                    return int(line.split()[1]) / 1e6
        return None

    def remove(self):
        if not self.path:
            return
        for _ in range(50):
            try:
                os.rmdir(self.path)
                return
            except OSError:
                time.sleep(0.1)


def spawn(cmd, group=None, cwd=None, env=None, stdout=None, stderr=None):
    """Starts `cmd` in a new session (so that stop() can end its whole process group)."""
    pre = group.attach_self if group and group.path else None
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout or subprocess.DEVNULL,
                            stderr=stderr or subprocess.DEVNULL, start_new_session=True, preexec_fn=pre)


def stop(proc, grace_s=10):
    """SIGTERM to the process group `proc` leads, then SIGKILL after `grace_s`."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)
    # Children left in the group (plugins still running) go too.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
