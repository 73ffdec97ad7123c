"""The harness proves itself: topology, broadcast/multicast, capture, nft rules, address change,
cleanup (on exit, on signals, of stale runs), and two of today's daemons paired with --peer
syncing across the simulated LAN, blocked by a partition and resumed by its heal.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import beacon_checks  # noqa: E402
import lan  # noqa: E402
from lan import BEACON_GROUP, BEACON_PORT, BROADCAST, Capture, Lan, LanError  # noqa: E402

PROBES = 5  # datagrams per destination in the reachability checks
LISTEN_SECONDS = 30.0  # upper bound on a receiver's life


def send_and_collect(sender, receivers, to, count=PROBES, port=BEACON_PORT):
    """`sender` sends `count` random datagrams to each of `to`; returns what each receiver got."""
    listeners = [r.udp_listen(port, LISTEN_SECONDS, group=BEACON_GROUP) for r in receivers]
    sender.udp_send(to, port, random=count, size=72, rate=200)
    time.sleep(0.5)  # datagrams in flight on a veth pair; the receivers stop right after
    return [ln.stop() for ln in listeners]


def root_links():
    return sorted(lan.sh(["ip", "-o", "link", "show"]).stdout.split("\n"))


class Topology(unittest.TestCase):
    def test_hosts_have_their_addresses_and_the_root_namespace_is_untouched(self):
        links_before = [line.split(":")[1] for line in root_links() if line]
        with Lan(hosts=3) as net:
            names = net.names()
            ours = re.compile(re.escape(net.prefix) + r"(sw|h\d+)$")
            self.assertEqual(set(names), {n for n in lan.namespaces() if ours.match(n)})
            self.assertEqual(len(names), 4)  # a switch and three hosts
            for i, host in enumerate(net.hosts):
                addrs = lan.sh(["ip", "-n", host.ns, "addr", "show", "dev", "eth0"]).stdout
                self.assertIn(f"inet 10.231.0.{10 + i}/24 brd 10.231.0.255", addrs)
                self.assertIn(f"inet6 {host.ipv6}/64", addrs)
                self.assertNotIn("tentative", addrs)
                lo = lan.sh(["ip", "-n", host.ns, "link", "show", "lo"]).stdout
                self.assertIn("UP", lo)
            ports = lan.sh(["ip", "-n", net.switch, "link", "show", "master", "br0"]).stdout
            for host in net.hosts:
                self.assertIn(f" {host.port}@", ports)
            self.assertEqual([line.split(":")[1] for line in root_links() if line], links_before)
        self.assertFalse(set(names) & set(lan.namespaces()))

    def test_unicast_broadcast_and_multicast_reach_the_right_hosts_and_the_capture(self):
        with Lan(hosts=3) as net:
            a, b, c = net.hosts
            capture = Capture(net)
            got_b, got_c = send_and_collect(a, [b, c],
                                            [b.ipv4, BROADCAST, "255.255.255.255", BEACON_GROUP])
            seen = capture.stop()
            self.assertEqual(len(got_b), 4 * PROBES)
            self.assertEqual(len(got_c), 3 * PROBES)  # no unicast to c
            self.assertEqual({src for src, _ in got_b}, {a.ipv4, a.ipv6})
            # The capture saw each datagram exactly once, with its source and payload.
            self.assertEqual(len(seen), 4 * PROBES, seen)
            self.assertEqual(sorted(d.payload for d in seen), sorted(p for _, p in got_b))
            self.assertEqual({d.src for d in seen}, {a.ipv4, a.ipv6})
            self.assertEqual({d.dst for d in seen},
                             {b.ipv4, BROADCAST, "255.255.255.255", BEACON_GROUP})
            self.assertTrue(all(d.dport == BEACON_PORT for d in seen))
            self.assertEqual({d.iface for d in seen}, {a.port})

    def test_address_change_moves_the_host(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            old = b.ipv4
            b.set_ipv4("10.231.0.50")
            addrs = lan.sh(["ip", "-n", b.ns, "addr", "show", "dev", "eth0"]).stdout
            self.assertIn("inet 10.231.0.50/24", addrs)
            self.assertNotIn(f"inet {old}/", addrs)
            routes = lan.sh(["ip", "-n", b.ns, "route", "show", "default"]).stdout
            self.assertIn("default via 10.231.0.1", routes)
            (got,) = send_and_collect(a, [b], [old, b.ipv4])
            self.assertEqual(len(got), PROBES)  # only the new address answers


class Rules(unittest.TestCase):
    def test_blocking_broadcast_and_multicast_keeps_unicast(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            b.block_broadcast_multicast()
            capture = Capture(net)
            (got_b,) = send_and_collect(a, [b], [b.ipv4, BROADCAST, BEACON_GROUP])
            self.assertEqual(len(got_b), PROBES, "only unicast reaches b")
            (got_a,) = send_and_collect(b, [a], [a.ipv4, BROADCAST, "255.255.255.255",
                                                 BEACON_GROUP])
            self.assertEqual(len(got_a), PROBES, "only b's unicast leaves b")
            from_b = [d for d in capture.stop() if d.src in (b.ipv4, b.ipv6)]
            self.assertEqual({d.dst for d in from_b}, {a.ipv4})
            b.allow_broadcast_multicast()
            (got_b,) = send_and_collect(a, [b], [BROADCAST, BEACON_GROUP])
            self.assertEqual(len(got_b), 2 * PROBES)

    def test_drop_all_to_cuts_one_pair_both_ways_until_heal(self):
        with Lan(hosts=3) as net:
            a, b, c = net.hosts
            a.drop_all_to(b)
            got_b, got_c = send_and_collect(a, [b, c], [b.ipv4, c.ipv4])
            self.assertEqual(len(got_b), 0, "a's unicast reached b")
            self.assertEqual(len(got_c), PROBES)
            got_a, got_c = send_and_collect(b, [a, c], [a.ipv4, BROADCAST, BEACON_GROUP])
            self.assertEqual(len(got_a), 0, "b's datagrams reached a")
            self.assertEqual(len(got_c), 2 * PROBES)
            (got_b,) = send_and_collect(a, [b], [BROADCAST])
            self.assertEqual(len(got_b), PROBES, "one side alone does not drop its broadcasts")
            b.drop_all_to(a)
            (got_b,) = send_and_collect(a, [b], [BROADCAST, BEACON_GROUP])
            self.assertEqual(len(got_b), 0, "both sides dropping is a full partition")
            a.heal()
            b.heal()
            (got_b,) = send_and_collect(a, [b], [b.ipv4, BEACON_GROUP])
            self.assertEqual(len(got_b), 2 * PROBES)
            (got_a,) = send_and_collect(b, [a], [a.ipv4, BROADCAST])
            self.assertEqual(len(got_a), 2 * PROBES)

    def test_random_loss_drops_about_the_given_share(self):
        sent = 400
        with Lan(hosts=2) as net:
            a, b = net.hosts
            a.random_loss(50)
            (got,) = send_and_collect(a, [b], [b.ipv4], count=sent)
            # Binomial(400, 0.5): 120..280 is more than 8 standard deviations either side.
            self.assertGreater(len(got), 120)
            self.assertLess(len(got), 280)
            a.stop_loss()
            (got,) = send_and_collect(a, [b], [b.ipv4], count=100)
            self.assertEqual(len(got), 100)


CHILD = r"""
import json, os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
import lan
with lan.Lan(hosts=2) as net:
    sleeper = net.hosts[0].popen(["sleep", "120"])
    print(json.dumps({"names": net.names(), "sleeper": sleeper.pid, "workdir": net.workdir}),
          flush=True)
    time.sleep(120)
"""


class Cleanup(unittest.TestCase):
    def test_signals_remove_namespaces_and_kill_processes(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            child = subprocess.Popen([lan.PYTHON, "-c", CHILD, lan.HERE], stdout=subprocess.PIPE,
                                     text=True)
            try:
                line = child.stdout.readline()
                self.assertTrue(line, "the child printed nothing")
                info = json.loads(line)
                self.assertTrue(set(info["names"]) <= set(lan.namespaces()))
                self.assertTrue(lan.pid_alive(info["sleeper"]))
                child.send_signal(sig)
                self.assertEqual(child.wait(30), 128 + sig)
            finally:
                if child.poll() is None:
                    child.kill()
                    child.wait()
                child.stdout.close()
            self.assertFalse(set(info["names"]) & set(lan.namespaces()))
            self.assertFalse(lan.pid_alive(info["sleeper"]))
            self.assertFalse(os.path.exists(info["workdir"]))

    def test_stale_namespaces_of_dead_runs_are_removed_and_live_ones_kept(self):
        with open("/proc/sys/kernel/pid_max") as f:
            dead = int(f.read()) + 1  # above pid_max: never a live process
        stale, live = f"acl{dead}h0", f"acl{os.getpid()}_99h0"
        lan.sh(["ip", "netns", "add", stale])
        lan.sh(["ip", "netns", "add", live])
        sleeper = subprocess.Popen(["ip", "netns", "exec", stale, "sleep", "120"])
        try:
            lan.wait_until(lambda: lan.namespace_pids(stale), 10, what="sleep in the stale netns")
            # Another lan test starting meanwhile may remove `stale` first: either way it goes.
            removed = lan.cleanup_stale()
            self.assertNotIn(live, removed)
            self.assertEqual(sleeper.wait(10), -signal.SIGKILL)
            self.assertNotIn(stale, lan.namespaces())
            self.assertIn(live, lan.namespaces())
        finally:
            if sleeper.poll() is None:
                sleeper.kill()
                sleeper.wait()
            lan.sh(["ip", "netns", "del", live], check=False)
            lan.sh(["ip", "netns", "del", stale], check=False)

    def test_wait_until_is_bounded_and_says_what_it_waited_for(self):
        start = time.monotonic()
        with self.assertRaisesRegex(LanError, "the moon"):
            lan.wait_until(lambda: False, 0.3, what="the moon")
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(lan.wait_until(lambda: 42, 0.3), 42)


class BeaconChecks(unittest.TestCase):
    def test_random_payloads_share_nothing_and_a_copied_piece_is_found(self):
        payloads = [os.urandom(72) for _ in range(200)]
        self.assertEqual(beacon_checks.shared_windows(payloads), [])
        payloads.append(os.urandom(30) + payloads[17][40:48] + os.urandom(34))
        self.assertEqual(beacon_checks.shared_windows(payloads),
                         [(17, 200, payloads[17][40:48].hex())])

    def test_names_keys_and_pact_id_are_found_in_any_spelling(self):
        key = os.urandom(32).hex()
        pact = os.urandom(16).hex()
        needles = beacon_checks.secret_needles(["Alice", "Bob"], [pact, key])
        self.assertEqual(beacon_checks.leaks(bytes(range(72)), needles), [])
        for dirty in (b"..ALICE..", b"xxbobxx", b"-Accord-", bytes.fromhex(key)[5:13],
                      bytes.fromhex(pact)[8:16], key.upper().encode(), pact[:16].encode()):
            self.assertTrue(beacon_checks.leaks(os.urandom(20) + dirty + os.urandom(20),
                                                needles), dirty)


class TodaysDaemons(unittest.TestCase):
    """Runs on today's binaries: explicit --listen and --peer, no discovery."""

    def test_paired_daemons_sync_across_the_lan_and_a_partition_blocks_then_heals(self):
        args = ["--listen", "0.0.0.0:4100", "--no-discovery"]
        with Lan(hosts=2) as net:
            a, b = net.hosts
            capture = lan.Capture(net)  # --no-discovery: not one beacon of either kind
            alice = a.daemon(a.home("alice"), args)
            bob = b.daemon(b.home("bob"), args)
            self.assertTrue(alice.accord("init", "--name", "Alice").ok)
            self.assertTrue(bob.accord("init", "--name", "Bob").ok)
            joined = lan.pair(alice, bob, peer=f"{a.ipv4}:4100")
            self.assertEqual(joined["partner_name"], "Alice")
            lan.wait_connected(alice, bob, 10)
            peer = [p for p in alice.status()["peers"] if p["device_key"] == bob.device_key()]
            self.assertTrue(peer[0]["address"].startswith(b.ipv4 + ":"), peer)

            bob.add_need("I need a quiet hour after work")
            lan.wait_until(lambda: "I need a quiet hour after work" in alice.needs(), 10,
                           what="bob's need on alice", lan=net)

            a.drop_all_to(b)
            alice.add_need("I need us to plan weekends together")
            time.sleep(3)  # long enough for a sync on this LAN (milliseconds when open)
            self.assertNotIn("I need us to plan weekends together", bob.needs(),
                             "the partition let a need through")
            a.heal()
            healed = time.monotonic()
            lan.wait_until(lambda: "I need us to plan weekends together" in bob.needs(), 60,
                           what="alice's need on bob after the heal", lan=net)
            lan.figure("lan_harness_resync_after_heal_s", time.monotonic() - healed)
            lan.wait_until(lambda: alice.digest() == bob.digest(), 10, what="equal digests",
                           lan=net)
            self.assertEqual(alice.stop(), 0, alice.log_tail())
            self.assertEqual(bob.stop(), 0, bob.log_tail())
            self.assertEqual(capture.stop(), [], "beacons sent with --no-discovery")
            names = net.names()
        self.assertFalse(set(names) & set(lan.namespaces()))


if __name__ == "__main__":
    lan.main(budget_seconds=280)
