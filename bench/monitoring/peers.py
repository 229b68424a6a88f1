"""The peers of bench/monitoring, each run in the foreground from a temporary directory of its own:
Icinga 2 and Nagios 4 (Debian packages) running the monitoring-plugins check_tcp / check_http for
the same targets at the same interval, and Prometheus blackbox_exporter driven by a client that asks
/probe at that rate. Each adapter starts the tool, names its process tree and counts the checks it
completed between two instants from the tool's own records (perfdata lines; successful probes).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import procs

PLUGINS = "/usr/lib/nagios/plugins"


def _version(cmd, pattern):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        m = re.search(pattern, out.stdout + out.stderr)
        return m.group(1) if m else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def versions():
    return {
        "icinga2": _version(["icinga2", "--version"], r"version: r?([\w.\-]+)"),
        "nagios4": _version(["/usr/sbin/nagios4", "--version"], r"Nagios Core ([\w.]+)"),
        "blackbox_exporter": _version(["prometheus-blackbox-exporter", "--version"], r"version ([\w.]+)"),
        "monitoring-plugins": _version(["dpkg-query", "-W", "-f", "${Version}", "monitoring-plugins-basic"], r"(\S+)"),
    }


def count_lines_between(paths, t0, t1):
    """Lines `TIMET<TAB>name<TAB>state` of perfdata files with t0 <= TIMET < t1: (all, ok)."""
    n = ok = 0
    for path in paths:
        try:
            with open(path, errors="replace") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    try:
                        t = int(float(parts[0]))
                    except (ValueError, IndexError):
                        continue
                    if t0 <= t < t1:
                        n += 1
                        if len(parts) > 2 and parts[2].strip() in ("0", "OK"):
                            ok += 1
        except OSError:
            pass
    return n, ok


class Icinga2:
    name = "icinga2"
    daemons = {"icinga2"}

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "icinga2")
        self.proc = None

    def start(self, kind, ports, interval_s, timeout_s, group):
        d = self.dir
        shutil.rmtree(d, ignore_errors=True)
        for sub in ("var/lib", "var/log", "var/cache", "var/spool", "run", "perf"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        services = []
        for p in ports:
            if kind == "tcp":
                cmd = f'check_command = "tcp"; vars.tcp_port = {p}; vars.tcp_timeout = {timeout_s}'
            else:
                cmd = (f'check_command = "http"; vars.http_address = "127.0.0.1"; vars.http_port = {p}; '
                       f'vars.http_uri = "/"; vars.http_timeout = {timeout_s}')
            services.append(f'object Service "t{p}" {{ host_name = "sim"; {cmd}; check_interval = {interval_s}s; '
                            f'retry_interval = {interval_s}s; max_check_attempts = 1 }}')
        conf = f"""include <itl>
include <plugins>
const PluginDir = "{PLUGINS}"
const NodeName = "bench"
const ZoneName = "bench"
object CheckerComponent "checker" {{ }}
object PerfdataWriter "perfdata" {{
  service_perfdata_path = "{d}/perf/service"
  service_temp_path = "{d}/perf/service.tmp"
  host_perfdata_path = "{d}/perf/host"
  host_temp_path = "{d}/perf/host.tmp"
  service_format_template = "$icinga.timet$\\t$service.name$\\t$service.state_id$"
  host_format_template = "$icinga.timet$\\t$host.name$\\t$host.state_id$"
  rotation_interval = 1h
}}
object Host "sim" {{ check_command = "dummy"; enable_active_checks = false; address = "127.0.0.1" }}
""" + "\n".join(services) + "\n"
        with open(os.path.join(d, "icinga2.conf"), "w") as f:
            f.write(conf)
        defines = {"RunAsUser": "root", "RunAsGroup": "root", "DataDir": f"{d}/var/lib", "LogDir": f"{d}/var/log",
                   "CacheDir": f"{d}/var/cache", "SpoolDir": f"{d}/var/spool", "InitRunDir": f"{d}/run",
                   "PidPath": f"{d}/run/icinga2.pid", "StatePath": f"{d}/var/lib/icinga2.state",
                   "ObjectsPath": f"{d}/var/cache/icinga2.debug", "VarsPath": f"{d}/var/cache/icinga2.vars",
                   "ModAttrPath": f"{d}/var/lib/modified-attributes.conf", "ConfigDir": d}
        cmd = ["icinga2", "daemon", "-c", f"{d}/icinga2.conf"] + [f"-D{k}={v}" for k, v in defines.items()]
        self.proc = procs.spawn(cmd, group=group, stdout=open(f"{d}/stdout.log", "w"), stderr=subprocess.STDOUT)
        self._wait_for(lambda: "Activated all objects" in open(f"{d}/stdout.log", errors="replace").read(), 120)
        self.pid = self.proc.pid

    def _wait_for(self, cond, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: " + open(f"{self.dir}/stdout.log", errors="replace").read()[-3000:])
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start within {timeout} s")

    def stop(self):
        procs.stop(self.proc, grace_s=15)

    def checks_between(self, t0, t1):
        return count_lines_between(glob.glob(f"{self.dir}/perf/service*"), t0, t1)


class Nagios4:
    name = "nagios4"
    daemons = {"nagios4"}

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "nagios4")
        self.proc = None

    def start(self, kind, ports, interval_s, timeout_s, group):
        d = self.dir
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(f"{d}/checkresults", exist_ok=True)
        with open(f"{d}/resource.cfg", "w") as f:
            f.write(f"$USER1$={PLUGINS}\n")
        objects = [
            f"define command {{\n command_name check_tcp\n command_line $USER1$/check_tcp -H $HOSTADDRESS$ -p $ARG1$ -t {timeout_s}\n}}",
            f"define command {{\n command_name check_http\n command_line $USER1$/check_http -I $HOSTADDRESS$ -p $ARG1$ -u / -t {timeout_s}\n}}",
            "define command {\n command_name noop\n command_line /bin/true\n}",
            "define timeperiod {\n timeperiod_name always\n alias always\n" +
            "".join(f" {day} 00:00-24:00\n" for day in
                    ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")) + "}",
            "define contact {\n contact_name nobody\n alias nobody\n host_notifications_enabled 0\n"
            " service_notifications_enabled 0\n host_notification_period always\n service_notification_period always\n"
            " host_notification_options n\n service_notification_options n\n host_notification_commands noop\n"
            " service_notification_commands noop\n}",
            "define host {\n host_name sim\n alias sim\n address 127.0.0.1\n max_check_attempts 1\n check_period always\n"
            " active_checks_enabled 0\n contacts nobody\n notification_interval 0\n notification_period always\n"
            " notifications_enabled 0\n}",
        ]
        for p in ports:
            objects.append(
                f"define service {{\n host_name sim\n service_description t{p}\n check_command check_{kind}!{p}\n"
                f" max_check_attempts 1\n check_interval {interval_s}\n retry_interval {interval_s}\n"
                " check_period always\n notification_interval 0\n notification_period always\n contacts nobody\n"
                " notifications_enabled 0\n}")
        with open(f"{d}/objects.cfg", "w") as f:
            f.write("\n".join(objects) + "\n")
        # interval_length=1: intervals in seconds. The tuning Nagios documents for large installations.
        main = f"""log_file={d}/nagios.log
cfg_file={d}/objects.cfg
resource_file={d}/resource.cfg
object_cache_file={d}/objects.cache
precached_object_file={d}/objects.precache
status_file={d}/status.dat
status_update_interval=10
nagios_user=root
nagios_group=root
check_external_commands=0
command_file={d}/nagios.cmd
query_socket={d}/nagios.qh
lock_file={d}/nagios.lock
temp_file={d}/nagios.tmp
temp_path={d}
check_result_path={d}/checkresults
state_retention_file={d}/retention.dat
retain_state_information=0
interval_length=1
execute_service_checks=1
execute_host_checks=0
enable_notifications=0
enable_flap_detection=0
process_performance_data=1
service_perfdata_file={d}/perf.dat
service_perfdata_file_template=$TIMET$\\t$SERVICEDESC$\\t$SERVICESTATEID$
service_perfdata_file_mode=a
service_perfdata_file_processing_interval=0
use_large_installation_tweaks=1
enable_environment_macros=0
max_concurrent_checks=0
check_result_reaper_frequency=1
max_check_result_reaper_time=5
service_inter_check_delay_method=s
max_service_check_spread={max(1, interval_s)}
service_interleave_factor=s
log_service_retries=0
log_initial_states=0
illegal_macro_output_chars=`~$&|'"<>
"""
        with open(f"{d}/nagios.cfg", "w") as f:
            f.write(main)
        self.proc = procs.spawn(["/usr/sbin/nagios4", f"{d}/nagios.cfg"], group=group,
                                stdout=open(f"{d}/stdout.log", "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nagios4 exited: " + open(f"{d}/stdout.log", errors="replace").read()[-3000:]
                                   + open(f"{d}/nagios.log", errors="replace").read()[-3000:] if os.path.exists(f"{d}/nagios.log") else "")
            if os.path.exists(f"{d}/nagios.log") and "Successfully launched command file worker" in open(
                    f"{d}/nagios.log", errors="replace").read():
                break
            time.sleep(0.2)
        self.pid = self.proc.pid

    def stop(self):
        procs.stop(self.proc, grace_s=15)

    def checks_between(self, t0, t1):
        return count_lines_between([f"{self.dir}/perf.dat"], t0, t1)


class Blackbox:
    """blackbox_exporter plus the driver (a separate process whose CPU is not counted) that asks
    /probe for every target once per interval, spread evenly, over keep-alive connections."""
    name = "blackbox_exporter"
    daemons = {"prometheus-blac", "blackbox_export"}

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "blackbox")
        self.proc = None
        self.driver = None

    def start(self, kind, ports, interval_s, timeout_s, group, run_s=3600):
        d = self.dir
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/blackbox.yml", "w") as f:
            f.write(f"""modules:
  http_2xx:
    prober: http
    timeout: {timeout_s}s
    http:
      preferred_ip_protocol: ip4
  tcp_connect:
    prober: tcp
    timeout: {timeout_s}s
    tcp:
      preferred_ip_protocol: ip4
""")
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        self.proc = procs.spawn(["prometheus-blackbox-exporter", f"--config.file={d}/blackbox.yml",
                                 f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"], group=group,
                                stdout=open(f"{d}/stdout.log", "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("blackbox_exporter did not start: " + open(f"{d}/stdout.log").read()[-2000:])
                time.sleep(0.1)
        self.pid = self.proc.pid
        module = "tcp_connect" if kind == "tcp" else "http_2xx"
        targets = [f"127.0.0.1:{p}" if kind == "tcp" else f"http://127.0.0.1:{p}/" for p in ports]
        with open(f"{d}/targets.json", "w") as f:
            json.dump(targets, f)
        self.out = f"{d}/probes.json"
        self.driver = procs.spawn([sys.executable, os.path.join(os.path.dirname(__file__), "blackbox_driver.py"),
                                   f"http://127.0.0.1:{port}", module, f"{d}/targets.json", str(interval_s),
                                   str(run_s), self.out], stdout=open(f"{d}/driver.log", "w"),
                                  stderr=subprocess.STDOUT)

    def stop(self):
        procs.stop(self.driver, grace_s=10)
        procs.stop(self.proc, grace_s=10)

    def checks_between(self, t0, t1):
        with open(self.out) as f:
            per_second = json.load(f)  # {"second": [all, ok]}
        n = ok = 0
        for sec, (a, b) in per_second.items():
            if t0 <= int(sec) < t1:
                n += a
                ok += b
        return n, ok
