"""Packet capture for the simulated LAN: runs inside the switch namespace.

Reads every frame entering the switch through one of its ports (AF_PACKET, all interfaces,
PACKET_OUTGOING copies and the bridge device itself skipped, so each datagram is seen once)
and appends the UDP datagrams to the given ports as JSON lines to --out. Stops on SIGTERM or
after --max-seconds. Debian's /usr/bin/python3, stdlib only.
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

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
ETH_HEADER = 14  # bytes
VLAN_TAG = 4  # bytes


def parse_udp(frame):
    """Returns (src, dst, sport, dport, payload) for an IPv4/IPv6 UDP frame, else None."""
    if len(frame) < ETH_HEADER:
        return None
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    offset = ETH_HEADER
    if ethertype == 0x8100 and len(frame) >= ETH_HEADER + VLAN_TAG:
        ethertype = struct.unpack_from("!H", frame, 16)[0]
        offset += VLAN_TAG
    if ethertype == 0x0800:
        if len(frame) < offset + 20:
            return None
        ihl = (frame[offset] & 0x0F) * 4
        total = struct.unpack_from("!H", frame, offset + 2)[0]
        frag = struct.unpack_from("!H", frame, offset + 6)[0]
        if frame[offset + 9] != 17 or (frag & 0x1FFF) != 0 or (frag & 0x2000):
            return None  # not UDP, or a fragment
        src = socket.inet_ntop(socket.AF_INET, frame[offset + 12:offset + 16])
        dst = socket.inet_ntop(socket.AF_INET, frame[offset + 16:offset + 20])
        udp = offset + ihl
        end = min(len(frame), offset + total)
    elif ethertype == 0x86DD:
        if len(frame) < offset + 40:
            return None
        if frame[offset + 6] != 17:
            return None  # extension headers are not used by accord's beacons
        plen = struct.unpack_from("!H", frame, offset + 4)[0]
        src = socket.inet_ntop(socket.AF_INET6, frame[offset + 8:offset + 24])
        dst = socket.inet_ntop(socket.AF_INET6, frame[offset + 24:offset + 40])
        udp = offset + 40
        end = min(len(frame), udp + plen)
    else:
        return None
    if end < udp + 8:
        return None
    sport, dport, ulen = struct.unpack_from("!HHH", frame, udp)
    end = min(end, udp + ulen)
    return src, dst, sport, dport, bytes(frame[udp + 8:end])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--ready", required=True, help="file created once the socket is open")
    parser.add_argument("--ports", required=True, help="comma-separated UDP destination ports")
    parser.add_argument("--bridge", required=True,
                        help="the bridge device, whose copies are skipped")
    parser.add_argument("--max-seconds", type=float, required=True)
    args = parser.parse_args()
    ports = {int(p) for p in args.ports.split(",")}

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, lambda *_: stop.append(True))

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    with open(args.ready, "w") as f:
        f.write(str(os.getpid()))
    deadline = time.monotonic() + args.max_seconds
    with open(args.out, "w") as out:
        while not stop and time.monotonic() < deadline:
            try:
                readable, _, _ = select.select([sock], [], [], 0.2)
            except InterruptedError:
                continue
            if not readable:
                continue
            frame, addr = sock.recvfrom(65535)
            ifname, _, pkttype = addr[0], addr[1], addr[2]
            if pkttype == PACKET_OUTGOING or ifname == args.bridge:
                continue
            parsed = parse_udp(frame)
            if parsed is None or parsed[3] not in ports:
                continue
            src, dst, sport, dport, payload = parsed
            out.write(json.dumps({"t": time.time(), "iface": ifname, "src": src, "dst": dst,
                                  "sport": sport, "dport": dport, "payload": payload.hex()}) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
