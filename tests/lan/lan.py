"""A simulated home LAN for accord's `lan` tests: network namespaces, a bridge, real daemons.

Owns the namespaces it creates (`acl<pid>...`), the processes it starts in them and their
removal; single-threaded (one test process). Test assertions do not belong here.
Run by Debian's /usr/bin/python3 as root; stdlib only.

Topology: a switch namespace holding bridge `br0`; per host a namespace whose `eth0` is one end
of a veth pair, the other end a port of `br0`. Host i has 10.231.0.(10+i)/24 (broadcast
10.231.0.255, default route via 10.231.0.1 as on a home network, no router answers there) and
fe80::10:(10+i)/64 (nodad). Nothing is created in the root namespace.
"""

import argparse
import atexit
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's interpreter: the one on PATH is a different build

SUBNET = "10.231.0"
PREFIX_LEN = 24  # bits
BROADCAST = SUBNET + ".255"
GATEWAY = SUBNET + ".1"  # a router address nobody answers at
FIRST_HOST = 10  # host i gets SUBNET.(FIRST_HOST + i)
BEACON_PORT = 41643  # UDP, sealed beacons (SPEC §5)
PAIRING_PORT = 41644  # UDP, pairing beacons (SECURITY §3.2)
BEACON_GROUP = "ff12::a2ab"  # IPv6 transient link-local multicast group of the beacons
BRIDGE = "br0"
IFACE = "eth0"
MAX_HOSTS = 4

COMMAND_TIMEOUT = 30.0  # seconds, for any one `ip`, `nft` or `accord` run
DAEMON_READY_TIMEOUT = 15.0  # seconds until `accord status` answers a new daemon
DAEMON_STOP_TIMEOUT = 5.0  # seconds between SIGTERM and SIGKILL
LINK_LOCAL_TIMEOUT = 5.0  # seconds until the IPv6 link-local address is usable
PAIRED_CONNECT_TIMEOUT = 10.0  # seconds from a completed pairing to both connected
LOG_TAIL_LINES = 30  # lines of each daemon log in a failure message
EXIT_SKIP = 77  # ctest SKIP_RETURN_CODE

_STALE_NAME = re.compile(r"^acl(\d+)(?:_\d+)?(?:sw|h\d+)$")
_STALE_WORKDIR = re.compile(r"^acl(\d+)(?:_\d+)?-\w+$")
WORK_ROOT = "/tmp"  # homes and captures; short paths keep the daemon's socket path short
_PEER_CONNECTED = "PEER_STATE_CONNECTED"

# Paths of the programs under test, set by main() (or by a bench script) before any Lan.
binaries = {"accord": None, "accordd": None}


class LanError(Exception):
    """A harness step failed (a command, a bounded wait); the message says which."""


# ----------------------------------------------------------------------------------- helpers


def sh(argv, timeout=COMMAND_TIMEOUT, check=True, input=None):
    """Runs argv in the root namespace (only `ip`/`nft` plumbing); returns CompletedProcess."""
    try:
        r = subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise LanError(f"timed out after {timeout}s: {' '.join(argv)}") from e
    if check and r.returncode != 0:
        raise LanError(f"failed ({r.returncode}): {' '.join(argv)}\n{r.stderr.strip()}")
    return r


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def namespaces():
    r = sh(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def namespace_pids(ns):
    r = sh(["ip", "netns", "pids", ns], check=False)
    return [int(p) for p in r.stdout.split() if p.isdigit()]


def _kill_namespace(ns):
    """SIGKILLs whatever still runs in `ns` (only ever one of ours), then deletes it."""
    for pid in namespace_pids(ns):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sh(["ip", "netns", "del", ns], check=False)


def cleanup_stale():
    """Removes `acl*` namespaces (and /tmp work directories) left by a crashed run whose pid
    no longer exists; returns the namespaces removed."""
    removed = []
    for ns in namespaces():
        m = _STALE_NAME.match(ns)
        if m and not pid_alive(int(m.group(1))):
            _kill_namespace(ns)
            removed.append(ns)
    for entry in os.listdir(WORK_ROOT):
        m = _STALE_WORKDIR.match(entry)
        if m and not pid_alive(int(m.group(1))):
            shutil.rmtree(os.path.join(WORK_ROOT, entry), ignore_errors=True)
    return removed


def wait_until(pred, timeout, interval=0.05, what=None, lan=None):
    """Polls pred() until it returns a truthy value (returned) or `timeout` seconds pass.

    On timeout raises LanError naming `what` and the tails of the daemons' logs of `lan`.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    message = f"timed out after {timeout}s waiting for: {what or getattr(pred, '__name__', pred)}"
    if lan is not None:
        message += "\n" + lan.logs_tail()
    raise LanError(message)


def can_run():
    """Returns None when this machine can run the harness, else why not."""
    if os.geteuid() != 0:
        return "the lan tests need root (network namespaces)"
    for tool in ("ip", "nft"):
        if shutil.which(tool) is None:
            return f"the lan tests need `{tool}` (scripts/install-deps.sh installs it)"
    return None


# ----------------------------------------------------------------------------------- results


class Result:
    """One client run: exit code, stdout, stderr, and stdout parsed as JSON when it is JSON."""

    def __init__(self, argv, returncode, out, err):
        self.argv, self.returncode, self.out, self.err = argv, returncode, out, err
        try:
            self.json = json.loads(out) if out.strip() else None
        except ValueError:
            self.json = None

    @property
    def ok(self):
        return self.returncode == 0

    def __repr__(self):
        return (f"<{' '.join(self.argv)}: exit {self.returncode}, out {self.out!r}, "
                f"err {self.err!r}>")


# ----------------------------------------------------------------------------------- daemon


class Daemon:
    """One `accordd --home HOME` inside a host namespace."""

    def __init__(self, host, home, extra_args=()):
        self.host, self.home, self.extra_args = host, home, list(extra_args)
        self.log_path = os.path.join(home, "accordd.log")
        self.proc = None
        self.started_at = None  # time.monotonic() of the last start
        self.env = {}  # extra environment of the next start (e.g. libfaketime's)
        self._device_key = ""

    def start(self, wait=True):
        """Starts the daemon; with `wait`, returns once `accord status` answers (bounded)."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        argv = [binaries["accordd"], "--home", self.home] + self.extra_args
        with open(self.log_path, "a") as log:
            log.write(f"--- harness: start {' '.join(argv)} in {self.host.ns}\n")
            log.flush()
            self.started_at = time.monotonic()
            self.proc = self.host.popen(argv, stdout=subprocess.DEVNULL, stderr=log,
                                        env=dict(os.environ, **self.env) if self.env else None)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self):
        def answers():
            if self.proc.poll() is not None:
                raise LanError(f"accordd on {self.host.name} exited with {self.proc.returncode}\n"
                               + self.log_tail())
            # Exit 3 means the daemon is not reachable yet; any other answer is an answer.
            return self.host.accord(self.home, "status", timeout=5).returncode != 3
        wait_until(answers, DAEMON_READY_TIMEOUT, interval=0.05,
                   what=f"accordd on {self.host.name} to answer `status`", lan=self.host.lan)

    def stop(self):
        """SIGTERM, then SIGKILL after DAEMON_STOP_TIMEOUT; returns the exit code."""
        if self.proc is None:
            return None
        self.host.lan.stop_process(self.proc, DAEMON_STOP_TIMEOUT)
        return self.proc.returncode

    def kill(self):
        """SIGKILL (the daemon gets no chance to finish anything); by pid, ours only."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(COMMAND_TIMEOUT)

    def restart(self, wait=True):
        self.stop()
        return self.start(wait)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def accord(self, *args, json=True, timeout=COMMAND_TIMEOUT):
        return self.host.accord(self.home, *args, json=json, timeout=timeout)

    def log_tail(self, lines=LOG_TAIL_LINES):
        try:
            with open(self.log_path, errors="replace") as f:
                tail = f.readlines()[-lines:]
        except OSError:
            tail = ["(no log)\n"]
        return f"--- {self.host.name} {self.log_path} (last {lines} lines)\n" + "".join(tail)

    # Conveniences on the documented `--json` outputs (SPEC §6).

    def status(self):
        r = self.accord("status")
        if not r.ok or not r.json:
            raise LanError(f"status failed on {self.host.name}: {r!r}")
        return r.json["status"]

    def device_key(self):
        """This device's key (hex); asked once it exists, then kept (it never changes)."""
        if not self._device_key:
            self._device_key = self.status()["device_key"]
        return self._device_key

    def peer(self, other):
        """The `status` peer entry for `other`'s device, or None (also while not answering)."""
        try:
            key = other.device_key()
            peers = self.status().get("peers", [])
        except LanError:
            return None  # not started yet, or restarting
        return next((p for p in peers if p.get("device_key") == key), None)

    def connected_to(self, other):
        """True when this daemon's status lists `other`'s device as connected."""
        p = self.peer(other)
        return p is not None and p.get("state") == _PEER_CONNECTED

    def has_need(self, text):
        try:
            return text in self.needs()
        except LanError:
            return False

    def needs(self):
        r = self.accord("needs", "--all")
        if not r.ok or not r.json:
            raise LanError(f"needs failed on {self.host.name}: {r!r}")
        return [n["text"] for n in r.json.get("notes", {}).get("notes", [])]

    def add_need(self, text):
        r = self.accord("need", "add", text)
        if not r.ok:
            raise LanError(f"need add failed on {self.host.name}: {r!r}")

    def digest(self):
        return self.status()["state_digest"]


# ----------------------------------------------------------------------------------- host


class Host:
    """One machine on the LAN: a namespace with `eth0` on the switch."""

    def __init__(self, lan, index):
        self.lan, self.index = lan, index
        self.name = "abcd"[index] if index < MAX_HOSTS else str(index)
        self.ns = f"{lan.prefix}h{index}"
        self.port = f"h{index}"  # its veth end in the switch namespace
        self.ipv4 = f"{SUBNET}.{FIRST_HOST + index}"
        self.ipv6 = f"fe80::10:{FIRST_HOST + index}"
        self.mac = f"02:ac:1d:00:00:{FIRST_HOST + index:02x}"
        self.daemons = []
        self._tables = set()

    def __repr__(self):
        return f"<host {self.name} {self.ns} {self.ipv4}>"

    # Plumbing.

    def _create(self):
        sw = self.lan.switch
        sh(["ip", "netns", "add", self.ns])
        sh(["ip", "-n", self.ns, "link", "add", IFACE, "address", self.mac, "type", "veth",
            "peer", "name", self.port, "netns", sw])
        sh(["ip", "-n", sw, "link", "set", self.port, "addrgenmode", "none"])
        sh(["ip", "-n", sw, "link", "set", self.port, "master", BRIDGE])
        sh(["ip", "-n", sw, "link", "set", self.port, "up"])
        sh(["ip", "-n", self.ns, "link", "set", "lo", "up"])
        sh(["ip", "-n", self.ns, "link", "set", IFACE, "addrgenmode", "none"])
        sh(["ip", "-n", self.ns, "link", "set", IFACE, "up"])
        sh(["ip", "-n", self.ns, "addr", "add", f"{self.ipv4}/{PREFIX_LEN}", "broadcast",
            BROADCAST, "dev", IFACE])
        sh(["ip", "-n", self.ns, "route", "add", "default", "via", GATEWAY, "dev", IFACE])
        sh(["ip", "-n", self.ns, "-6", "addr", "add", f"{self.ipv6}/64", "dev", IFACE, "nodad"])

    def _wait_usable(self):
        def link_local_ready():
            r = sh(["ip", "-n", self.ns, "-6", "addr", "show", "dev", IFACE], check=False)
            return self.ipv6 in r.stdout and "tentative" not in r.stdout
        wait_until(link_local_ready, LINK_LOCAL_TIMEOUT,
                   what=f"{self.ipv6} usable on {self.ns}")

    def exec_argv(self, argv):
        return ["ip", "netns", "exec", self.ns] + list(argv)

    def run(self, argv, timeout=COMMAND_TIMEOUT, check=False, input=None):
        """Runs argv inside this host's namespace; returns Result. Timeout raises LanError."""
        full = self.exec_argv(argv)
        try:
            r = subprocess.run(full, input=input, capture_output=True, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise LanError(f"timed out after {timeout}s on {self.name}: {' '.join(argv)}") from e
        result = Result(list(argv), r.returncode, r.stdout, r.stderr)
        if check and not result.ok:
            raise LanError(f"failed on {self.name}: {result!r}")
        return result

    def popen(self, argv, **kwargs):
        """Starts argv inside the namespace (`ip netns exec` execs it: same pid); tracked."""
        proc = subprocess.Popen(self.exec_argv(argv), stdin=subprocess.DEVNULL, **kwargs)
        self.lan.track(proc)
        return proc

    def accord(self, home, *args, json=True, timeout=COMMAND_TIMEOUT):
        argv = [binaries["accord"], "--home", home] + (["--json"] if json else []) + list(args)
        return self.run(argv, timeout=timeout)

    def daemon(self, home, extra_args=(), wait=True):
        """Starts `accordd --home HOME EXTRA...` here; the harness stops it on exit."""
        d = Daemon(self, home, extra_args)
        self.daemons.append(d)
        self.lan.daemons.append(d)
        return d.start(wait)

    def home(self, name):
        """A fresh home directory path for a daemon on this host (not created)."""
        return os.path.join(self.lan.workdir, f"{self.name}-{name}")

    # Addresses.

    def set_ipv4(self, new):
        """Deletes the current IPv4 address and adds `new` (same /24), as a new DHCP lease."""
        sh(["ip", "-n", self.ns, "addr", "del", f"{self.ipv4}/{PREFIX_LEN}", "dev", IFACE])
        sh(["ip", "-n", self.ns, "addr", "add", f"{new}/{PREFIX_LEN}", "broadcast", BROADCAST,
            "dev", IFACE])
        # Deleting the address took the default route with it; DHCP would give it back.
        sh(["ip", "-n", self.ns, "route", "replace", "default", "via", GATEWAY, "dev", IFACE])
        self.ipv4 = new

    # nftables, each concern in its own table so that one can be removed alone.

    def nft(self, script):
        r = self.run(["nft", "-f", "-"], input=script)
        if not r.ok:
            raise LanError(f"nft failed on {self.name}: {r.err.strip()}\n{script}")

    def _table(self, table, input_rules, output_rules):
        self._drop_table(table)
        def chain(hook, lo_match, rules):
            body = "".join(f"    {r}\n" for r in [f'{lo_match} "lo" accept'] + list(rules))
            return (f"  chain {hook} {{ type filter hook {hook} priority 0; policy accept;\n"
                    f"{body}  }}\n")
        self.nft(f"table inet {table} {{\n" + chain("input", "iifname", input_rules)
                 + chain("output", "oifname", output_rules) + "}\n")
        self._tables.add(table)

    def _drop_table(self, table):
        if table in self._tables:
            self.nft(f"delete table inet {table}\n")
            self._tables.discard(table)

    def block_broadcast_multicast(self):
        """Drops UDP to or from broadcast and multicast addresses, both ways; unicast passes.

        Neighbour discovery (ICMPv6) and ARP are untouched, as on a Wi-Fi that filters
        broadcast and multicast datagrams.
        """
        udp = "meta l4proto udp"
        self._table("acl_nobcast", [
            f"{udp} meta pkttype {{ broadcast, multicast }} drop",
            f"{udp} ip daddr {{ 255.255.255.255, {BROADCAST}, 224.0.0.0/4 }} drop",
            f"{udp} ip6 daddr ff00::/8 drop",
        ], [
            f"{udp} ip daddr {{ 255.255.255.255, {BROADCAST}, 224.0.0.0/4 }} drop",
            f"{udp} ip6 daddr ff00::/8 drop",
        ])

    def allow_broadcast_multicast(self):
        self._drop_table("acl_nobcast")

    def drop_all_to(self, other):
        """Drops every IP packet between this host and `other`, both ways.

        In: whatever `other`'s MAC sent (so also its broadcasts, at any address). Out: to
        `other`'s current addresses; this host's own broadcasts still reach `other` unless
        `other` drops too, so a full partition is `a.drop_all_to(b); b.drop_all_to(a)`.
        """
        self._table("acl_part_" + other.name, [
            f"ether saddr {other.mac} drop",
            f"ip saddr {other.ipv4} drop",
            f"ip6 saddr {other.ipv6} drop",
        ], [
            f"ip daddr {other.ipv4} drop",
            f"ip6 daddr {other.ipv6} drop",
        ])

    def heal(self):
        """Removes every drop_all_to() rule of this host."""
        for table in sorted(t for t in self._tables if t.startswith("acl_part_")):
            self._drop_table(table)

    def block_tcp_ipv6(self):
        """Drops TCP over IPv6, both ways, so that peers connect over IPv4."""
        rule = "meta nfproto ipv6 meta l4proto tcp drop"
        self._table("acl_notcp6", [rule], [rule])

    def random_loss(self, percent):
        """Drops `percent` % of packets at random, in and out (loopback exempt)."""
        rule = f"numgen random mod 100 < {int(percent)} drop"
        self._table("acl_loss", [rule], [rule])

    def stop_loss(self):
        self._drop_table("acl_loss")

    def clear_rules(self):
        for table in sorted(self._tables):
            self._drop_table(table)

    # UDP probes (udp_tool.py), for the harness self-test and the stranger host.

    def udp_send(self, to, port, payload_file=None, random=0, size=72, rate=1000.0,
                 seconds=30.0, wait=True):
        """Sends payloads (hex lines of a file, or `random` random ones) to each of `to`.

        With `wait` returns the sender's summary {"sent", "errors", "seconds"}; without, the
        running Sender (its finish() gives the summary).
        """
        argv = [PYTHON, os.path.join(HERE, "udp_tool.py"), "send", "--port", str(port),
                "--iface", IFACE, "--rate", str(rate), "--seconds", str(seconds)]
        for t in ([to] if isinstance(to, str) else to):
            argv += ["--to", t]
        if payload_file:
            argv += ["--payload-file", payload_file]
        else:
            argv += ["--random", str(random), "--size", str(size)]
        if not wait:
            return Sender(self, argv, seconds)
        r = self.run(argv, timeout=seconds + COMMAND_TIMEOUT, check=True)
        return json.loads(r.out)

    def udp_listen(self, port, seconds, group=None):
        """Starts a receiver here; returns a Listener (stop() gives [(src, payload bytes)])."""
        return Listener(self, port, seconds, group)


class Sender:
    """A udp_tool.py sender running in the background in a host namespace."""

    def __init__(self, host, argv, seconds):
        self.host, self.seconds = host, seconds
        self.out = os.path.join(host.lan.workdir, f"udp-send-{host.name}-{host.lan.next_id()}")
        with open(self.out, "w") as out:
            self.proc = host.popen(argv, stdout=out, stderr=subprocess.STDOUT)

    def finish(self):
        """Waits for the sender (bounded by its own --seconds); returns its summary."""
        try:
            self.proc.wait(self.seconds + COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.host.lan.stop_process(self.proc, 1)
        text = _read_text(self.out)
        if self.proc.returncode != 0:
            raise LanError(f"udp sender on {self.host.name} exited {self.proc.returncode}: {text}")
        return json.loads(text.strip().splitlines()[-1])


class Listener:
    """A udp_tool.py receiver running in a host namespace."""

    def __init__(self, host, port, seconds, group):
        self.host = host
        base = os.path.join(host.lan.workdir, f"udp-{host.name}-{port}-{host.lan.next_id()}")
        self.out, ready = base + ".jsonl", base + ".ready"
        argv = [PYTHON, os.path.join(HERE, "udp_tool.py"), "recv", "--port", str(port),
                "--iface", IFACE, "--out", self.out, "--ready", ready, "--seconds", str(seconds)]
        if group:
            argv += ["--group", group]
        self.err = base + ".err"
        with open(self.err, "w") as err:
            self.proc = host.popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        wait_until(lambda: os.path.exists(ready) or self.proc.poll() is not None,
                   COMMAND_TIMEOUT, what=f"udp receiver on {host.name}:{port}")
        if self.proc.poll() is not None:
            raise LanError(f"udp receiver on {host.name} failed: {_read_text(self.err)}")

    def stop(self):
        self.host.lan.stop_process(self.proc, DAEMON_STOP_TIMEOUT)
        return _read_jsonl(self.out, lambda j: (j["src"], bytes.fromhex(j["payload"])))


def _read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _read_jsonl(path, convert):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    rows.append(convert(json.loads(line)))
                except ValueError:
                    pass  # a line cut by the stop
    except OSError:
        pass
    return rows


# ----------------------------------------------------------------------------------- capture


class Datagram:
    """One captured UDP datagram."""

    def __init__(self, j):
        self.time, self.iface = j["t"], j["iface"]
        self.src, self.dst, self.sport, self.dport = j["src"], j["dst"], j["sport"], j["dport"]
        self.payload = bytes.fromhex(j["payload"])

    def __repr__(self):
        return f"<{self.src}:{self.sport} -> {self.dst}:{self.dport} {len(self.payload)} bytes>"


class Capture:
    """Every UDP datagram to the beacon ports entering the switch, from a helper process."""

    def __init__(self, lan, ports=(BEACON_PORT, PAIRING_PORT), max_seconds=900.0):
        self.lan = lan
        base = os.path.join(lan.workdir, f"capture-{lan.next_id()}")
        self.path, ready = base + ".jsonl", base + ".ready"
        argv = ["ip", "netns", "exec", lan.switch, PYTHON, os.path.join(HERE, "capture.py"),
                "--out", self.path, "--ready", ready, "--bridge", BRIDGE,
                "--ports", ",".join(str(p) for p in ports), "--max-seconds", str(max_seconds)]
        err_path = base + ".err"
        with open(err_path, "w") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err)
        lan.track(self.proc)
        wait_until(lambda: os.path.exists(ready) or self.proc.poll() is not None,
                   COMMAND_TIMEOUT, what="capture helper to open its socket")
        if self.proc.poll() is not None:
            raise LanError(f"capture helper failed: {_read_text(err_path)}")
        self.datagrams = None

    def read(self):
        """What has been captured so far (the helper flushes each line)."""
        return _read_jsonl(self.path, Datagram)

    def stop(self):
        """Stops the helper and returns every captured Datagram, in order."""
        self.lan.stop_process(self.proc, DAEMON_STOP_TIMEOUT)
        self.datagrams = self.read()
        return self.datagrams


# ----------------------------------------------------------------------------------- the LAN


class Lan:
    """Context manager: `with Lan(hosts=2) as lan: a, b = lan.hosts`."""

    _instances = 0
    open_lans = []  # every Lan not yet closed, for the budget alarm

    def __init__(self, hosts=2):
        if not 2 <= hosts <= MAX_HOSTS:
            raise ValueError(f"hosts must be 2..{MAX_HOSTS}")
        seq = Lan._instances
        Lan._instances += 1
        self.prefix = f"acl{os.getpid()}" + (f"_{seq}" if seq else "")
        self.switch = f"{self.prefix}sw"
        self.host_count = hosts
        self.hosts = []
        self.daemons = []
        self.workdir = None
        self._procs = []
        self._created = []
        self._closing = False
        self._closed = False
        self._old_handlers = {}
        self._ids = 0

    def next_id(self):
        self._ids += 1
        return self._ids

    def __enter__(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)
        atexit.register(self.close)
        Lan.open_lans.append(self)
        try:
            self._create()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _on_signal(self, signum, frame):
        if self._closing:
            return  # the cleanup under way finishes first
        self.close()
        sys.exit(128 + signum)

    def _create(self):
        self.workdir = tempfile.mkdtemp(prefix=f"{self.prefix}-", dir=WORK_ROOT)
        sh(["ip", "netns", "add", self.switch])
        self._created.append(self.switch)
        sh(["ip", "-n", self.switch, "link", "set", "lo", "up"])
        sh(["ip", "-n", self.switch, "link", "add", BRIDGE, "type", "bridge", "stp_state", "0",
            "forward_delay", "0", "mcast_snooping", "0"])
        sh(["ip", "-n", self.switch, "link", "set", BRIDGE, "addrgenmode", "none"])
        sh(["ip", "-n", self.switch, "link", "set", BRIDGE, "up"])
        for i in range(self.host_count):
            host = Host(self, i)
            self._created.append(host.ns)  # before creation: a half-made host is removed too
            host._create()
            self.hosts.append(host)
        for host in self.hosts:
            host._wait_usable()

    def track(self, proc):
        self._procs.append(proc)

    def stop_process(self, proc, timeout):
        """SIGTERM, then SIGKILL after `timeout` seconds; by pid, only processes we started."""
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(COMMAND_TIMEOUT)
        return proc.returncode

    def close(self):
        """Stops every process started here, deletes every namespace; idempotent."""
        if self._closed or self._closing:
            return
        self._closing = True
        try:
            for proc in reversed(self._procs):
                try:
                    self.stop_process(proc, DAEMON_STOP_TIMEOUT)
                except Exception:  # keep removing the rest
                    pass
            for ns in reversed(self._created):
                _kill_namespace(ns)
            if self.workdir and not os.environ.get("ACCORD_LAN_KEEP"):
                shutil.rmtree(self.workdir, ignore_errors=True)
        finally:
            self._closed = True
            self._closing = False
            for sig, handler in self._old_handlers.items():
                signal.signal(sig, handler)
            atexit.unregister(self.close)
            if self in Lan.open_lans:
                Lan.open_lans.remove(self)

    def names(self):
        """The namespaces this Lan made (gone after close())."""
        return list(self._created)

    def logs_tail(self, lines=LOG_TAIL_LINES):
        return "\n".join(d.log_tail(lines) for d in self.daemons) or "(no daemons)"


# ----------------------------------------------------------------------------------- pairing


class Invite:
    """A waiting `accord --json invite` on a host: the code, then its update lines."""

    def __init__(self, daemon, extra_args=()):
        self.daemon = daemon
        lan = daemon.host.lan
        self.out = os.path.join(lan.workdir, f"invite-{daemon.host.name}-{lan.next_id()}.jsonl")
        argv = [binaries["accord"], "--home", daemon.home, "--json", "invite"] + list(extra_args)
        with open(self.out, "w") as f:
            self.proc = daemon.host.popen(argv, stdout=f, stderr=subprocess.STDOUT)
        self.code = wait_until(self._code, 10, what="a code from `accord invite`", lan=lan)

    def _code(self):
        for j in self.lines():
            code = j.get("invite", {}).get("code")
            if code:
                return code
        if self.proc.poll() is not None:
            raise LanError(f"accord invite exited {self.proc.returncode}: {self.text()}")
        return None

    def lines(self):
        return _read_jsonl(self.out, lambda j: j)

    def text(self):
        return _read_text(self.out)

    def finish(self, timeout=20.0):
        """Waits (bounded) for the invite to exit; kills it past the bound. Returns exit code."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.daemon.host.lan.stop_process(self.proc, 1)
        return self.proc.returncode


def pair(inviter, joiner, peer=None, joiner_name=None, timeout=60.0, invite_args=()):
    """Pairs two daemons: `invite` waiting on the inviter, `join CODE` on the joiner.

    With `peer` (HOST:PORT) the joiner is given `--peer`; with `joiner_name` it gets
    `--name` (a joiner without `init`); `invite_args` go to `invite` (`--device`: the joiner
    becomes another device of the inviter's member). Returns the joiner's `join` JSON.
    """
    invite = Invite(inviter, invite_args)
    args = ["join", invite.code]
    if joiner_name:
        args += ["--name", joiner_name]
    if peer:
        args += ["--peer", peer]
    join = joiner.accord(*args, timeout=timeout)
    invite_exit = invite.finish()
    if not join.ok:
        raise LanError(f"join failed: {join!r}\ninvite said: {invite.text()}\n"
                       + inviter.host.lan.logs_tail())
    if invite_exit != 0:
        raise LanError(f"invite exited {invite_exit}: {invite.text()}")
    return join.json["join"]


def wait_connected(a, b, timeout, lan=None):
    """Waits until each of two daemons lists the other as connected."""
    return wait_until(lambda: a.connected_to(b) and b.connected_to(a), timeout,
                      what=f"{a.host.name} and {b.host.name} connected", lan=lan or a.host.lan)


def start_discovery_pact(net, alice_args=(), bob_args=()):
    """Alice (host a) and Bob (host b) with default daemons, paired through discovery.

    Alice runs `init --name Alice` and a waiting `invite`; Bob, without `init`, runs
    `join CODE --name Bob` and no --peer. Returns (alice, bob, join JSON) once connected.
    With ACCORD_LAN_PEER_PAIRING set in the environment, pairs as start_peer_pact() does.
    """
    if os.environ.get("ACCORD_LAN_PEER_PAIRING"):
        # A debugging aid for daemons without discovery: everything after the pairing runs.
        return start_peer_pact(net)
    a, b = net.hosts[0], net.hosts[1]
    alice = a.daemon(a.home("alice"), alice_args)
    bob = b.daemon(b.home("bob"), bob_args)
    init = alice.accord("init", "--name", "Alice")
    if not init.ok:
        raise LanError(f"init failed: {init!r}")
    joined = pair(alice, bob, joiner_name="Bob")
    wait_connected(alice, bob, PAIRED_CONNECT_TIMEOUT)
    return alice, bob, joined


def start_peer_pact(net, port=4100):
    """Alice and Bob listening on 0.0.0.0:PORT, paired with `join CODE --peer` (works today)."""
    a, b = net.hosts[0], net.hosts[1]
    args = ["--listen", f"0.0.0.0:{port}"]
    alice = a.daemon(a.home("alice"), args)
    bob = b.daemon(b.home("bob"), args)
    for daemon, name in ((alice, "Alice"), (bob, "Bob")):
        init = daemon.accord("init", "--name", name)
        if not init.ok:
            raise LanError(f"init failed: {init!r}")
    joined = pair(alice, bob, peer=f"{a.ipv4}:{port}")
    wait_connected(alice, bob, PAIRED_CONNECT_TIMEOUT)
    return alice, bob, joined


def restart_both(first, second, timeout):
    """Stops both daemons, starts `first` (until it answers), then `second`; returns the
    seconds from `second`'s start until each lists the other as connected."""
    first.stop()
    second.stop()
    first.start()
    second.start(wait=False)
    wait_connected(first, second, timeout)
    return time.monotonic() - second.started_at


def time_sync(writer, reader, text, timeout):
    """Writes a need on `writer`; returns the seconds until `reader` lists it."""
    start = time.monotonic()
    writer.add_need(text)
    wait_until(lambda: reader.has_need(text), timeout, interval=0.02,
               what=f"{text!r} from {writer.host.name} on {reader.host.name}",
               lan=writer.host.lan)
    return time.monotonic() - start


def figure(name, value):
    """Prints one measured figure in the form the note collects (`figure: NAME VALUE`)."""
    print(f"figure: {name} {value:.3f}" if isinstance(value, float) else f"figure: {name} {value}",
          flush=True)


def median(values):
    return statistics.median(values)


# ----------------------------------------------------------------------------------- main


def parse_binaries(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--accord", required=True)
    parser.add_argument("--accordd", required=True)
    known, rest = parser.parse_known_args(argv)
    binaries["accord"] = os.path.abspath(known.accord)
    binaries["accordd"] = os.path.abspath(known.accordd)
    return rest


def main(budget_seconds):
    """The entry point of each test_lan_*.py: skips (77) when it cannot run, else unittest.

    `budget_seconds` bounds the whole file: past it, SIGALRM fails the run and the harness
    still cleans up (before ctest's own TIMEOUT kills the process without a chance to).
    """
    rest = parse_binaries(sys.argv[1:])
    why = can_run()
    if why:
        print(f"skipped: {why}", flush=True)
        sys.exit(EXIT_SKIP)
    stale = cleanup_stale()
    if stale:
        print(f"removed stale namespaces: {' '.join(stale)}", flush=True)

    def on_alarm(signum, frame):
        print(f"FAILED: the test file ran past its budget of {budget_seconds}s", flush=True)
        for lan in list(Lan.open_lans):
            print(lan.logs_tail(), flush=True)
            lan.close()
        os._exit(1)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(budget_seconds))
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
