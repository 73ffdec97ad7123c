"""UDP sender and receiver for the simulated LAN: runs inside a host namespace.

`recv` records datagrams to one port (IPv4 and IPv6, joining an IPv6 group if asked) as JSON
lines; `send` sends given or random payloads to unicast, broadcast or multicast addresses at a
bounded rate. Both stop on their own after --seconds. Debian's /usr/bin/python3, stdlib only.
"""

import argparse
import json
import os
import select
import signal
import socket
import struct
import sys
import time


def recv(args):
    socks = []
    v4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    v4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v4.bind(("0.0.0.0", args.port))
    socks.append(v4)
    v6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    v6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    v6.bind(("::", args.port))
    if args.group:
        index = socket.if_nametoindex(args.iface)
        mreq = socket.inet_pton(socket.AF_INET6, args.group) + struct.pack("@I", index)
        v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    socks.append(v6)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    with open(args.ready, "w") as f:
        f.write(str(os.getpid()))
    deadline = time.monotonic() + args.seconds
    with open(args.out, "w") as out:
        while not stop and time.monotonic() < deadline:
            try:
                readable, _, _ = select.select(socks, [], [], 0.1)
            except InterruptedError:
                continue
            for s in readable:
                data, addr = s.recvfrom(65535)
                out.write(json.dumps({"src": addr[0], "payload": data.hex()}) + "\n")
                out.flush()
    return 0


def payloads(args):
    if args.payload_file:
        with open(args.payload_file) as f:
            for line in f:
                line = line.strip()
                if line:
                    yield bytes.fromhex(line)
        return
    for _ in range(args.random):
        yield os.urandom(args.size)


def send(args):
    index = socket.if_nametoindex(args.iface)
    targets = []
    for to in args.to:
        if ":" in to:
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
            targets.append((s, (to, args.port, 0, index)))
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.iface.encode())
            targets.append((s, (to, args.port)))
    interval = 1.0 / args.rate
    start = time.monotonic()
    deadline = start + args.seconds
    sent = errors = 0
    for payload in payloads(args):
        if time.monotonic() >= deadline:
            break
        for s, addr in targets:
            try:
                s.sendto(payload, addr)
                sent += 1
            except OSError:
                errors += 1  # a full queue or a dropped route: counted, not fatal
        delay = start + (sent + errors) / len(targets) * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print(json.dumps({"sent": sent, "errors": errors, "seconds": time.monotonic() - start}))
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("recv")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--group", help="IPv6 multicast group to join")
    r.add_argument("--iface", default="eth0")
    r.add_argument("--out", required=True)
    r.add_argument("--ready", required=True)
    r.add_argument("--seconds", type=float, required=True)
    s = sub.add_parser("send")
    s.add_argument("--to", action="append", required=True, help="address (repeatable)")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--iface", default="eth0")
    s.add_argument("--payload-file", help="one hex payload per line")
    s.add_argument("--random", type=int, default=0, help="number of random payloads")
    s.add_argument("--size", type=int, default=72, help="bytes per random payload")
    s.add_argument("--rate", type=float, default=1000.0, help="payloads per second")
    s.add_argument("--seconds", type=float, required=True, help="upper bound on the run")
    args = parser.parse_args()
    return recv(args) if args.mode == "recv" else send(args)


if __name__ == "__main__":
    sys.exit(main())
