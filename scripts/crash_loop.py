#!/usr/bin/python3
"""The crash loop (issue 15): two real daemons on loopback, SIGKILLed again and again.

Alice writes a large log before pairing; Bob joins and receives it. Every cycle, while both
sides write through the real `accord` client (and Alice also writes a burst straight through
her local socket), the receiver (Bob) -- every tenth cycle the sender (Alice) -- is killed with
SIGKILL after a random delay. When Bob was the one, Alice writes a backlog while he is down and
he is killed once more when his store holds a random part of it (mid-sync, between batches or
inside one). The victim restarts on the same port. Then, and at the end:

  * `PRAGMA integrity_check` is `ok`, on a copy of the store exactly as each kill left it and
    on the store the restarted daemon has open (and on the other side's);
  * every author's chain is seqs 1..n without a gap and no entry is damaged (`accord log` on
    the restarted side; every --verify-every cycles and at the end `log --verify`, which also
    checks each signature; at the end both sides' chains are the same);
  * nothing acknowledged (exit 0 of `accord need add`, or an OK answer on the socket) is lost:
    right after the restart the writer's own chain holds at least that many needs, and once
    synced every acknowledged text is in `accord needs --all` (the restarted side each
    cycle, both sides every tenth cycle and at the end);
  * the sync completes: both sides' entry counts and state digests are equal within a bound.

The first violated invariant stops the loop with a message naming the homes (kept for
inspection). SIGINT (Ctrl-C) stops a long run with the figures of the cycles that passed.
Standard library only; every wait is bounded; only processes started here are signalled, by
PID.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

CLI_TIMEOUT_S = 60          # seconds, one `accord` run
START_TIMEOUT_S = 20        # seconds, until a started daemon's socket answers
SYNC_TIMEOUT_S = 90         # seconds, until both sides agree after a restart
SOCKET_TIMEOUT_S = 60       # seconds, one answer on the local socket
BULK_WINDOW = 256           # requests in flight on the local socket


class Violation(Exception):
    """An invariant the loop checks does not hold."""


# ---- The local socket: u32 big-endian length frames of proto/accord/ipc.proto messages. Only
# what the bulk writer needs is encoded here: Request{protocol=1, add_need=12{text=1}}, and
# Response.error (1) .code (1) read back.

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, payload):
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _add_need_frame(text):
    request = _varint(1 << 3) + _varint(1) + _field(12, _field(1, text.encode()))
    return struct.pack(">I", len(request)) + request


def _read_varint(data, i):
    n = shift = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return n, i


def _error_code(response):
    """Response.error.code (0 = OK when absent)."""
    i = 0
    while i < len(response):
        key, i = _read_varint(response, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, i = _read_varint(response, i)
        elif wire == 2:
            length, i = _read_varint(response, i)
            body = response[i:i + length]
            i += length
            if number == 1:
                j = 0
                while j < len(body):
                    k, j = _read_varint(body, j)
                    if k == 0x08:
                        code, j = _read_varint(body, j)
                        return code
                    if k & 7 == 0:
                        _, j = _read_varint(body, j)
                    elif k & 7 == 2:
                        n, j = _read_varint(body, j)
                        j += n
                    else:
                        return -1
                return 0
        else:
            return -1
    return 0


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("socket closed")
        buf += chunk
    return bytes(buf)


def bulk_write(socket_path, texts, acknowledged, stop=None):
    """Writes needs with `texts` through one pipelined connection; appends each one answered OK
    to `acknowledged` (answers come in request order). Stops at the first failure (a killed
    daemon), or when `stop` is set."""
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(SOCKET_TIMEOUT_S)
        sock.connect(socket_path)
    except OSError:
        return
    try:
        sent = answered = 0
        while answered < len(texts):
            if stop is not None and stop.is_set() and answered == sent:
                return
            batch = []
            while sent < len(texts) and sent - answered < BULK_WINDOW and not (
                    stop is not None and stop.is_set()):
                batch.append(_add_need_frame(texts[sent]))
                sent += 1
            if batch:
                sock.sendall(b"".join(batch))
            length = struct.unpack(">I", _recv_exact(sock, 4))[0]
            if _error_code(_recv_exact(sock, length)) != 0:
                return
            acknowledged.append(texts[answered])
            answered += 1
    except (OSError, EOFError):
        return
    finally:
        sock.close()


# ---- One daemon: its home, its fixed port, its process.

class Node:
    def __init__(self, name, home, build_dir):
        self.name = name
        self.home = home
        self.accordd = os.path.join(build_dir, "daemon", "accordd")
        self.accord = os.path.join(build_dir, "client", "accord")
        self.port = 0
        self.proc = None
        self.log = None

    @property
    def socket_path(self):
        return os.path.join(self.home, "run", "accord.sock")

    @property
    def database(self):
        return os.path.join(self.home, "accord.db")  # base/paths.cc

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        if self.log is None:
            self.log = open(os.path.join(self.home, "..", self.name + "-accordd.log"), "ab")
        argv = [self.accordd, "--home", self.home, "--listen", "127.0.0.1:%d" % self.port,
                "--no-discovery", "--notify", "none"]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Violation("%s's accordd exited with %d at start (log: %s)" %
                                (self.name, self.proc.returncode, self.log.name))
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(self.socket_path)
                return
            except OSError:
                time.sleep(0.01)
            finally:
                probe.close()
        raise Violation("%s's accordd did not answer within %d s" % (self.name, START_TIMEOUT_S))

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)  # our own child, by PID
        if self.proc is not None:
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self.proc = None

    def run(self, *args, timeout=CLI_TIMEOUT_S):
        try:
            return subprocess.run([self.accord, "--home", self.home] + list(args),
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(args, -1, "", "[timed out]")

    def json(self, *args):
        r = self.run("--json", *args)
        if r.returncode != 0:
            raise Violation("%s: accord %s exited %d: %s" %
                            (self.name, " ".join(args), r.returncode, r.stderr.strip()))
        return json.loads(r.stdout)

    def status(self):
        return self.json("status")["status"]

    def entries(self):
        return int(self.status()["entries"])


# ---- The invariants.

def check_integrity(path, what):
    """PRAGMA integrity_check on the SQLite file at `path` (read-only when `what` is live)."""
    if not os.path.exists(path):
        raise Violation("%s: no store at %s" % (what, path))
    uri = "file:%s?mode=ro" % path
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise Violation("%s: integrity_check says %r" % (what, rows[:10]))


def store_entries(path):
    """How many entries the store at `path` holds now (read-only, beside a running daemon)."""
    conn = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


def wait_for_arrivals(path, count, timeout_s):
    """Until the store at `path` has taken in `count` more entries (the arrival rowid, cheap
    to read: a count(*) in a tight loop would slow the daemon it watches), or timeout_s."""
    conn = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
    try:
        def last():
            return conn.execute("SELECT coalesce(max(arrival), 0) FROM entries").fetchone()[0]
        target = last() + count
        deadline = time.monotonic() + timeout_s
        while last() < target and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        conn.close()


def check_crash_image(node, scratch):
    """Copies the store as the kill left it (database and WAL; the -shm index is rebuilt), runs
    SQLite's recovery on the copy, checks it and returns how many entries it holds."""
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    copy = os.path.join(scratch, "accord.db")
    shutil.copyfile(node.database, copy)
    if os.path.exists(node.database + "-wal"):
        shutil.copyfile(node.database + "-wal", copy + "-wal")
    conn = sqlite3.connect(copy, timeout=30)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise Violation("%s's store as the kill left it: integrity_check says %r" %
                        (node.name, rows[:10]))
    return count


def check_log(node, verify):
    """Every author's chain is seqs 1..n, nothing damaged (nor a bad signature with verify).
    Returns ({author: [entry id by seq]}, {author: how many of its entries are needs})."""
    args = ["log", "--verify"] if verify else ["log"]
    r = node.run("--json", *args)
    if r.returncode != 0:
        raise Violation("%s: accord log%s exited %d: %s" %
                        (node.name, " --verify" if verify else "", r.returncode,
                         r.stderr.strip()[:500]))
    log = json.loads(r.stdout)["log"]
    if log["failed"] != "0":
        raise Violation("%s: log reports %s damaged entries" % (node.name, log["failed"]))
    chains = {}
    needs = {}
    for e in log["entries"]:
        if e["kind"] == "ENTRY_KIND_NEED":
            needs[e["author"]] = needs.get(e["author"], 0) + 1
        if e["damage"] != "DAMAGE_UNSPECIFIED":
            raise Violation("%s: entry %s (%s seq %s) is %s" %
                            (node.name, e["id"], e["author"][:8], e["seq"], e["damage"]))
        if verify and e["signature"] != "SIGNATURE_VERIFIED":
            raise Violation("%s: entry %s (%s seq %s) signature %s" %
                            (node.name, e["id"], e["author"][:8], e["seq"], e["signature"]))
        chains.setdefault(e["author"], {})
        seq = int(e["seq"])
        if seq in chains[e["author"]]:
            raise Violation("%s: author %s has two entries at seq %d" %
                            (node.name, e["author"][:8], seq))
        chains[e["author"]][seq] = e["id"]
    out = {}
    for author, by_seq in chains.items():
        n = len(by_seq)
        if min(by_seq) != 1 or max(by_seq) != n:
            missing = sorted(set(range(1, max(by_seq) + 1)) - set(by_seq))
            raise Violation("%s: author %s's chain has %d entries up to seq %d; missing %s" %
                            (node.name, author[:8], n, max(by_seq), missing[:10]))
        out[author] = [by_seq[s] for s in range(1, n + 1)]
    if verify and int(log["verified"]) != len(log["entries"]):
        raise Violation("%s: %s of %d entries verified" %
                        (node.name, log["verified"], len(log["entries"])))
    return out, needs


def check_acknowledged(node, texts, whose):
    """Every text in `texts` is one of `node`'s needs, listed with `accord needs --all`: the
    client follows the daemon's pages, as one answer on the local socket holds at most 16 MiB
    (kMaxIpcFrameBytes) and a long run passes 100,000 needs."""
    have = {n["text"] for n in node.json("needs", "--all")["notes"]["notes"]}
    missing = [t for t in texts if t not in have]
    if missing:
        raise Violation("%s lacks %d acknowledged writes of %s, e.g. %r" %
                        (node.name, len(missing), whose, missing[:5]))


def wait_synced(a, b, timeout_s=SYNC_TIMEOUT_S):
    """Until both sides hold the same number of entries and the same state digest; returns the
    seconds it took."""
    started = time.monotonic()
    deadline = started + timeout_s
    last = None
    while time.monotonic() < deadline:
        sa, sb = a.status(), b.status()
        last = (sa["entries"], sb["entries"], sa["state_digest"][:12], sb["state_digest"][:12])
        if sa["entries"] == sb["entries"] and sa["state_digest"] == sb["state_digest"]:
            return time.monotonic() - started
        time.sleep(0.05)
    raise Violation("no sync within %d s: entries %s/%s, digests %s/%s" %
                    ((timeout_s,) + last))


# ---- The loop.

class Writer(threading.Thread):
    """Writes needs through the real client until stopped; records each exit 0."""

    def __init__(self, node, prefix, acknowledged, counters):
        super().__init__(daemon=True)
        self.node, self.prefix, self.acknowledged, self.counters = node, prefix, acknowledged, counters
        self.stop_event = threading.Event()

    def run(self):
        n = 0
        while not self.stop_event.is_set() and n < 1000:
            text = "%s n%d" % (self.prefix, n)
            n += 1
            r = self.node.run("need", "add", text, timeout=20)
            self.counters["cli_attempts"] += 1
            if r.returncode == 0:
                self.acknowledged.append(text)
            else:
                self.counters["cli_refused"] += 1
                time.sleep(0.01)


def pair(alice, bob):
    invite = alice.json("invite", "--no-wait")["invite"]
    r = bob.run("--json", "join", invite["code"], "--peer", alice.address)
    if r.returncode != 0:
        raise Violation("join exited %d: %s" % (r.returncode, r.stderr.strip()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cycles", nargs="?", type=int, default=50)
    parser.add_argument("--build-dir", default=os.environ.get("ACCORD_BUILD_DIR", "build"))
    parser.add_argument("--initial", type=int, default=20000,
                        help="entries Alice writes before pairing (default 20000)")
    parser.add_argument("--burst", type=int, default=100,
                        help="entries Alice writes on her socket during each cycle's writes "
                        "(default 100)")
    parser.add_argument("--backlog", type=int, default=300,
                        help="entries Alice writes while Bob is down, before a second kill "
                        "during his catch-up, when he holds a random part of it "
                        "(default 300, two sync batches or so; 0: no second kill)")
    parser.add_argument("--max-delay", type=float, default=0.8,
                        help="the kill lands uniformly in [0, this] seconds (default 0.8)")
    parser.add_argument("--verify-every", type=int, default=10,
                        help="log --verify on the restarted side every N cycles (default 10; "
                        "`log` without it still checks seqs and damage every cycle)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the homes even on success")
    args = parser.parse_args()
    build_dir = os.path.abspath(args.build_dir)
    for binary in ("daemon/accordd", "client/accord"):
        if not os.access(os.path.join(build_dir, binary), os.X_OK):
            sys.exit("crash-loop: %s/%s is not built (ninja -C %s accordd accord)" %
                     (build_dir, binary, build_dir))
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    root = tempfile.mkdtemp(prefix="accord-crash-")
    alice = Node("alice", os.path.join(root, "alice"), build_dir)
    bob = Node("bob", os.path.join(root, "bob"), build_dir)
    scratch = os.path.join(root, "crash-image")
    print("crash-loop: %d cycles, seed %d, homes in %s" % (args.cycles, seed, root), flush=True)

    acked = {"alice": [], "bob": []}    # texts, in order of acknowledgement
    device_key = {}
    counters = {"cli_attempts": 0, "cli_refused": 0}
    figures = {"kills_bob": 0, "kills_alice": 0, "mid_sync": 0, "mid_burst": 0, "catch_up_kills": 0,
               "bulk_acked": 0, "max_sync_s": 0.0}
    started = time.monotonic()
    initial_at = None
    phases = {}
    ok = False
    cycle = done = 0

    def report(cycles, entries, authors):
        cli_acked = len(acked["alice"]) + len(acked["bob"]) - figures["bulk_acked"]
        print("  cycles                     %d" % cycles)
        print("  kills                      %d (receiver %d, sender %d)" %
              (figures["kills_bob"] + figures["kills_alice"], figures["kills_bob"],
               figures["kills_alice"]))
        print("  receiver kills in catch-up %d (a second kill after alice wrote a backlog)" %
              figures["catch_up_kills"])
        print("  receiver kills mid-sync    %d (bob's store behind alice's count before the kill)"
              % figures["mid_sync"])
        print("  kills mid-burst            %d (alice's socket burst still being written)" %
              figures["mid_burst"])
        print("  entries                    %s (initial %d, %s authors)" %
              (entries, args.initial, authors))
        print("  acknowledged writes        %d (client %d of %d attempts, socket %d)" %
              (cli_acked + figures["bulk_acked"], cli_acked, counters["cli_attempts"],
               figures["bulk_acked"]))
        print("  longest sync after restart %.2f s" % figures["max_sync_s"])
        print("  time per phase             %s" %
              ", ".join("%s %.0f s" % kv for kv in phases.items()))
        print("  total time                 %.1f s (initial writes and pairing %s s)" %
              (time.monotonic() - started,
               "%.1f" % (initial_at - started) if initial_at is not None else "-"), flush=True)

    try:
        alice.start()
        bob.start()
        for node in (alice, bob):
            r = node.run("init", "--name", node.name)
            if r.returncode != 0:
                raise Violation("%s: init exited %d: %s" % (node.name, r.returncode, r.stderr))
            status = node.status()
            node.port = int(status["listen_address"].rsplit(":", 1)[1])
            device_key[node.name] = status["device_key"]
        texts = ["initial entry %d" % i for i in range(args.initial)]
        bulk_write(alice.socket_path, texts, acked["alice"])
        if len(acked["alice"]) != args.initial:
            raise Violation("alice acknowledged %d of %d initial entries" %
                            (len(acked["alice"]), args.initial))
        figures["bulk_acked"] += len(acked["alice"])
        initial_at = time.monotonic()
        print("crash-loop: %d entries on alice in %.1f s; pairing" %
              (alice.entries(), initial_at - started), flush=True)
        pair(alice, bob)

        last = [time.monotonic()]

        def mark(phase):  # charges the time since the last mark to `phase`
            now = time.monotonic()
            phases[phase] = phases.get(phase, 0.0) + now - last[0]
            last[0] = now

        for cycle in range(1, args.cycles + 1):
            last[0] = time.monotonic()
            victim = alice if cycle % 10 == 0 else bob
            other = bob if victim is alice else alice
            writers = [Writer(alice, "alice c%d" % cycle, acked["alice"], counters),
                       Writer(bob, "bob c%d" % cycle, acked["bob"], counters)]
            stop_bulk = threading.Event()
            burst_acked = []
            burst = threading.Thread(
                target=bulk_write, daemon=True,
                args=(alice.socket_path, ["burst c%d e%d" % (cycle, i) for i in range(args.burst)],
                      burst_acked, stop_bulk))
            for w in writers:
                w.start()
            burst.start()
            time.sleep(rng.uniform(0, args.max_delay))
            alice_before = alice.entries()
            bulk_running = burst.is_alive()
            victim.kill9()
            figures["kills_" + victim.name] += 1
            stop_bulk.set()
            for w in writers:
                w.stop_event.set()
            for t in writers + [burst]:
                t.join(timeout=CLI_TIMEOUT_S + 5)
                if t.is_alive():
                    raise Violation("a writer did not stop within %d s" % (CLI_TIMEOUT_S + 5))
            acked["alice"].extend(burst_acked)
            figures["bulk_acked"] += len(burst_acked)
            mark("writes and kill")

            at_kill = check_crash_image(victim, scratch)
            if victim is bob and at_kill < alice_before:
                figures["mid_sync"] += 1
            if bulk_running:
                figures["mid_burst"] += 1
            mark("crash image")

            if victim is bob and args.backlog > 0:
                # A second kill while Bob catches up on what Alice wrote while he was down:
                # this one lands in the middle of received batches most of the time.
                backlog = ["backlog c%d e%d" % (cycle, i) for i in range(args.backlog)]
                backlog_acked = []
                bulk_write(alice.socket_path, backlog, backlog_acked)
                if len(backlog_acked) != len(backlog):
                    raise Violation("alice acknowledged %d of %d backlog entries" %
                                    (len(backlog_acked), len(backlog)))
                acked["alice"].extend(backlog_acked)
                figures["bulk_acked"] += len(backlog_acked)
                alice_before = alice.entries()
                bob_before = store_entries(bob.database)
                # The kill lands when Bob's store holds a random part of the backlog (or, if
                # he is quicker than the polling, once he holds it all).
                bob.start()
                wait_for_arrivals(bob.database,
                                  rng.randint(1, max(1, alice_before - bob_before - 1)),
                                  SYNC_TIMEOUT_S)
                bob.kill9()
                figures["kills_bob"] += 1
                figures["catch_up_kills"] += 1
                if check_crash_image(bob, scratch) < alice_before:
                    figures["mid_sync"] += 1
                mark("catch-up kill")

            victim.start()
            mark("restart")
            check_integrity(victim.database, "%s's store after restart" % victim.name)
            # Before the sync completes a joiner's own needs may not be listed yet (they count
            # once the inviter's entry admitting it arrives), so right after the restart the
            # writer's chain is counted; the texts are checked once both sides agree.
            _, needs = check_log(victim, verify=cycle % args.verify_every == 0)
            own = needs.get(device_key[victim.name], 0)
            if own < len(acked[victim.name]):
                raise Violation("%s's chain holds %d needs after the restart but %d were "
                                "acknowledged" % (victim.name, own, len(acked[victim.name])))
            mark("log")

            took = wait_synced(alice, bob)
            figures["max_sync_s"] = max(figures["max_sync_s"], took)
            mark("sync")
            # Equal digests mean equal folded state, so one side's list stands for both; the
            # other side's is read every tenth cycle and at the end all the same.
            everything = acked["alice"] + acked["bob"]
            check_acknowledged(victim, everything, "alice and bob")
            if cycle % 10 == 0 or cycle == args.cycles:
                check_acknowledged(other, everything, "alice and bob")
            check_integrity(other.database, "%s's store" % other.name)
            mark("needs")
            if cycle % 10 == 0 or cycle == args.cycles:
                print("crash-loop: cycle %d/%d, %d entries, %.0f s" %
                      (cycle, args.cycles, alice.entries(), time.monotonic() - started),
                      flush=True)
            done = cycle

        chains_a, _ = check_log(alice, verify=True)
        chains_b, _ = check_log(bob, verify=True)
        if chains_a != chains_b:
            raise Violation("alice's and bob's chains differ after the final sync")
        entries = alice.entries()
        ok = True
        print("crash-loop: passed, seed %d" % seed)
        report(args.cycles, entries, len(chains_a))
    except KeyboardInterrupt:
        # A long run stopped early (SIGINT): the figures of the cycles that passed every check.
        try:
            entries = alice.entries()
        except Exception:  # alice may be the one down
            entries = "?"
        print("crash-loop: interrupted in cycle %d (seed %d); %d cycles passed every check "
              "(the kills and writes below include the interrupted one's)" % (cycle, seed, done),
              flush=True)
        report(done, entries, "?")
        print("  homes and daemon logs kept in %s" % root, flush=True)
    except Violation as v:
        print("crash-loop: FAILED in cycle %d (seed %d): %s\n  homes and daemon logs kept in %s"
              % (cycle, seed, v, root), file=sys.stderr)
    except Exception:
        import traceback
        traceback.print_exc()
        print("crash-loop: FAILED in cycle %d (seed %d): an error in the loop itself\n"
              "  homes and daemon logs kept in %s" % (cycle, seed, root), file=sys.stderr)
    finally:
        for node in (alice, bob):
            try:
                node.stop()
            except Exception:  # still stop the other one
                node.kill9()
            if node.log is not None:
                node.log.close()
        if ok and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1  # an interrupted run is not a pass


if __name__ == "__main__":
    sys.exit(main())
