#!/usr/bin/env python3
"""Static targets for the throughput runs: one Debian nginx worker listening on many loopback
ports, each answering `200 ok` to HTTP and accepting bare TCP connections. Its CPU is not counted
(it is not the checker). Usage: farm.py DIR BASE:COUNT [BASE:COUNT...] (prints the pid).
"""
import os
import subprocess
import sys
import time


def write_config(directory, ports):
    os.makedirs(os.path.join(directory, "tmp"), exist_ok=True)
    listens = "\n".join(f"        listen 127.0.0.1:{p} backlog=4096;" for p in ports)
    conf = f"""daemon off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 8192; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {directory}/tmp;
    proxy_temp_path {directory}/tmp;
    fastcgi_temp_path {directory}/tmp;
    uwsgi_temp_path {directory}/tmp;
    scgi_temp_path {directory}/tmp;
    keepalive_timeout 0;
    server {{
{listens}
        location / {{ default_type text/plain; return 200 "ok\\n"; }}
    }}
}}
"""
    path = os.path.join(directory, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def start(directory, ports, cpu=None):
    """Starts nginx in its own session; returns the Popen (kill its process group to stop)."""
    conf = write_config(directory, ports)
    cmd = ["nginx", "-c", conf, "-p", directory, "-e", os.path.join(directory, "error.log")]
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + cmd
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "stderr.log"), "w"),
                            start_new_session=True)
    import socket
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", ports[-1]), timeout=0.5).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("nginx did not start: " + open(os.path.join(directory, "stderr.log")).read())
            time.sleep(0.1)
    raise RuntimeError("nginx did not listen within 20 s")


if __name__ == "__main__":
    specs = sys.argv[2:]
    ports = []
    for s in specs:
        b, c = s.split(":")
        ports.extend(range(int(b), int(b) + int(c)))
    p = start(sys.argv[1], ports)
    print(p.pid)
