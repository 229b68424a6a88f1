#!/usr/bin/env python3
"""Target simulator for bench/monitoring: many TCP/HTTP targets on loopback ports that fail, slow
down, answer errors, hang or flap on command, and log each change with the instant it took effect.

Every port answers both kinds of check: a TCP check connects and closes; an HTTP check gets
`200 ok` (or what the mode says). Modes per port:
  up            listening; HTTP answers 200 at once
  down          not listening: connections are refused (the listener is closed)
  slow          listening; HTTP answers after `delay_ms`
  error         listening; HTTP answers 500
  hang          listening; HTTP never answers (the checker's timeout fires)
  flap          alternates down/up every `period_s` (each flip is logged)

Control: HTTP on --control PORT (127.0.0.1):
  POST /mode {"ports": [..], "mode": "down", "delay_ms"?: 3000, "period_s"?: 5}
      -> {"at_ms": <epoch ms when the change had taken effect on every port>}
  GET  /modes -> {"<port>": "mode", ...}
The log (--log FILE, JSON lines) is the truth the harness compares monitors with:
  {"at_ms": 1790000000123.4, "ports": [20001, ...], "mode": "down", "before_ms": ...}
`before_ms` is when the change started and `at_ms` when it had been applied to every listed port.

Static, high-rate targets (the throughput runs) are served by nginx instead (farm.py): this
process is for targets whose behaviour changes.
"""
import argparse
import asyncio
import json
import socket
import sys
import time


def now_ms() -> float:
    return time.time() * 1000.0


class Simulator:
    def __init__(self, ports, log_path):
        self.ports = list(ports)
        self.modes = {p: "up" for p in self.ports}
        self.delay_ms = {p: 0 for p in self.ports}
        self.servers = {}
        self.flappers = {}
        self.log = open(log_path, "a", buffering=1) if log_path else None

    def write_log(self, entry):
        if self.log:
            self.log.write(json.dumps(entry) + "\n")

    async def handle(self, reader, writer):
        port = writer.get_extra_info("sockname")[1]
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = await reader.read(4096)
                if not chunk:
                    return  # a TCP check: connect and close
                data += chunk
                if len(data) > 65536:
                    return
            mode = self.modes.get(port, "up")
            if mode == "hang":
                await asyncio.sleep(3600)
                return
            if mode == "slow":
                await asyncio.sleep(self.delay_ms.get(port, 0) / 1000.0)
            status = "500 Internal Server Error" if mode == "error" else "200 OK"
            body = b"error\n" if mode == "error" else b"ok\n"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
                f"Connection: close\r\n\r\n".encode() + body
            )
            await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    async def listen(self, port):
        if port in self.servers:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(4096)
        sock.setblocking(False)
        self.servers[port] = await asyncio.start_server(self.handle, sock=sock)

    def unlisten(self, port):
        server = self.servers.pop(port, None)
        if server is not None:
            server.close()  # closes the listening socket at once: new connections are refused

    async def apply(self, ports, mode, delay_ms=0, period_s=0.0, log=True):
        before = now_ms()
        for p in ports:
            if p in self.flappers and mode != "flap":
                self.flappers.pop(p).cancel()
            self.modes[p] = mode
            self.delay_ms[p] = delay_ms
            if mode == "down":
                self.unlisten(p)
            elif mode != "flap":
                await self.listen(p)
        at = now_ms()
        if log and mode != "flap":
            self.write_log({"at_ms": at, "before_ms": before, "ports": list(ports), "mode": mode})
        if mode == "flap":
            self.write_log({"at_ms": at, "before_ms": before, "ports": list(ports), "mode": "flap",
                            "period_s": period_s})
            for p in ports:
                if p in self.flappers:
                    self.flappers.pop(p).cancel()
            task = asyncio.ensure_future(self.flap(list(ports), period_s))
            for p in ports:
                self.flappers[p] = task
        return at

    async def flap(self, ports, period_s):
        down = True
        while True:
            before = now_ms()
            for p in ports:
                if down:
                    self.unlisten(p)
                else:
                    await self.listen(p)
            self.write_log({"at_ms": now_ms(), "before_ms": before, "ports": ports,
                            "mode": "down" if down else "up", "flap": True})
            down = not down
            await asyncio.sleep(period_s)

    async def control(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            if method == "POST" and path == "/mode":
                req = json.loads(body)
                at = await self.apply([int(p) for p in req["ports"]], req["mode"], int(req.get("delay_ms", 0)),
                                      float(req.get("period_s", 0)))
                out = {"at_ms": at}
            elif method == "GET" and path == "/modes":
                out = {str(p): m for p, m in self.modes.items()}
            else:
                out = {"error": "unknown"}
            data = json.dumps(out).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(data)).encode() + b"\r\nConnection: close\r\n\r\n" + data)
            await writer.drain()
        finally:
            writer.close()


def parse_ports(specs):
    ports = []
    for spec in specs:
        base, count = spec.split(":")
        ports.extend(range(int(base), int(base) + int(count)))
    return ports


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ports", action="append", required=True, help="BASE:COUNT, repeatable")
    ap.add_argument("--control", type=int, required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    sim = Simulator(parse_ports(args.ports), args.log)
    await sim.apply(sim.ports, "up", log=False)
    sim.write_log({"at_ms": now_ms(), "ports": sim.ports, "mode": "up", "start": True})
    control = await asyncio.start_server(sim.control, "127.0.0.1", args.control)
    print(f"simulator: {len(sim.ports)} ports, control on {args.control}", flush=True)
    async with control:
        await control.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
