"""A Jepsen-style nemesis on the simulated LAN (issue 15): four people on four hosts, a random
schedule of partitions (random halves, a bridge host, one host isolated), heals, SIGKILLs and
restarts, and a host's clock set ±5 minutes off (libfaketime), with writes through the real
client on every side throughout. At the end everything is healed and restarted; the checker
then requires that every write the client acknowledged (exit 0) is on every device, that all
state digests are equal within CONVERGE_BOUND seconds of the final heal, and that no feed
forked.

`--steps N` (default 40, what CI runs) and `--seed S` (default: random, printed) choose the
schedule; `scripts/nemesis.sh STEPS` runs a long one by hand.
"""

import argparse
import os
import random
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lan"))
import lan  # noqa: E402
from lan import Lan, LanError  # noqa: E402

PORT = 4100
NAMES = ("Alice", "Bob", "Carol", "Dave")
CONVERGE_BOUND = 10.0  # seconds from the final heal to equal digests (restarts included)
SKEW = ("+5m", "-5m")  # libfaketime offsets a host's daemon may run with
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"  # the daemon has threads
STEP_PAUSE = (0.05, 0.6)  # seconds between steps, uniform
WRITES_PER_STEP = (1, 3)

options = {"steps": 40, "seed": None}


class Nemesis:
    """The schedule's state: who is partitioned from whom, who is down, whose clock is off."""

    def __init__(self, net, daemons, rng):
        self.net, self.daemons, self.rng = net, daemons, rng
        self.acked = {}  # text -> host name, every write that exited 0
        self.counts = {"writes": 0, "refused_writes": 0, "partitions": 0, "heals": 0,
                       "kills": 0, "restarts": 0, "skews": 0}
        self.seq = 0

    # --- faults

    def cut(self, left, right):
        for a in left:
            for b in right:
                a.drop_all_to(b)
                b.drop_all_to(a)
        self.counts["partitions"] += 1

    def random_halves(self):
        hosts = list(self.net.hosts)
        self.rng.shuffle(hosts)
        k = self.rng.randint(1, len(hosts) - 1)
        self.heal()
        self.cut(hosts[:k], hosts[k:])

    def bridge(self):
        """Two sides that cannot reach each other and one host that reaches both."""
        hosts = list(self.net.hosts)
        self.rng.shuffle(hosts)
        middle, rest = hosts[0], hosts[1:]
        k = self.rng.randint(1, len(rest) - 1)
        self.heal()
        self.cut(rest[:k], rest[k:])
        del middle  # it keeps every link

    def isolate(self):
        host = self.rng.choice(self.net.hosts)
        self.heal()
        self.cut([host], [h for h in self.net.hosts if h is not host])

    def heal(self):
        for h in self.net.hosts:
            h.heal()
        self.counts["heals"] += 1

    def kill(self):
        d = self.rng.choice(self.daemons)
        if d.running():
            d.kill()
            self.counts["kills"] += 1

    def restart_down(self, skew=None):
        for d in self.daemons:
            if not d.running():
                self.start(d, skew)

    def start(self, d, skew=None):
        d.env = {}
        if skew:
            d.env = {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": skew,
                     "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_NO_CACHE": "1"}
            self.counts["skews"] += 1
        d.start(wait=True)
        self.counts["restarts"] += 1

    def skew(self):
        if not os.path.exists(FAKETIME_LIB):
            return
        d = self.rng.choice(self.daemons)
        d.kill()
        self.counts["kills"] += 1
        self.start(d, self.rng.choice(SKEW + (None,)))

    # --- writes

    def write(self):
        up = [d for d in self.daemons if d.running()]
        if not up:
            return
        d = self.rng.choice(up)
        self.seq += 1
        text = f"nemesis write {self.seq} on {d.host.name}"
        r = d.accord("need", "add", text)
        self.counts["writes"] += 1
        if r.ok:
            self.acked[text] = d.host.name
        else:
            self.counts["refused_writes"] += 1

    def step(self):
        fault = self.rng.choices(
            [self.random_halves, self.bridge, self.isolate, self.heal, self.kill,
             self.restart_down, self.skew, None],
            weights=[3, 2, 2, 3, 2, 3, 1, 4])[0]
        if fault is not None:
            fault()
        for _ in range(self.rng.randint(*WRITES_PER_STEP)):
            self.write()
        time.sleep(self.rng.uniform(*STEP_PAUSE))


def start_pact(net):
    """Four people, one per host, paired through Alice (history shared: every device then
    holds every entry and folds the same state)."""
    daemons = []
    for host, name in zip(net.hosts, NAMES):
        d = host.daemon(host.home(name.lower()), ["--listen", f"0.0.0.0:{PORT}"])
        init = d.accord("init", "--name", name)
        if not init.ok:
            raise LanError(f"init failed: {init!r}")
        daemons.append(d)
    alice = daemons[0]
    peer = f"{net.hosts[0].ipv4}:{PORT}"
    for i, joiner in enumerate(daemons[1:], start=2):
        lan.pair(alice, joiner, peer=peer,
                 invite_args=("--share-history",) if i > 2 else ())
        lan.wait_until(lambda: len(alice.status()["members"]) == i, 30,
                       what=f"{i} members on Alice", lan=net)
    for d in daemons:
        lan.wait_until(lambda: len(d.status()["members"]) == len(NAMES), 60,
                       what=f"four members on {d.host.name}", lan=net)
    return daemons


class NemesisTest(unittest.TestCase):
    def test_acknowledged_writes_survive_a_random_schedule_and_digests_converge(self):
        seed = options["seed"] if options["seed"] is not None else random.randrange(1 << 32)
        print(f"nemesis: seed {seed}, {options['steps']} steps", flush=True)
        rng = random.Random(seed)
        with Lan(hosts=4) as net:
            daemons = start_pact(net)
            nemesis = Nemesis(net, daemons, rng)
            began = time.monotonic()
            for _ in range(options["steps"]):
                nemesis.step()
            lan.figure("nemesis_schedule_s", time.monotonic() - began)

            nemesis.heal()
            healed = time.monotonic()
            nemesis.restart_down()

            def converged():
                try:
                    return len({d.digest() for d in daemons}) == 1
                except LanError:
                    return False
            lan.wait_until(converged, CONVERGE_BOUND, interval=0.1,
                           what="equal state digests after the final heal", lan=net)
            lan.figure("nemesis_converge_s", time.monotonic() - healed)
            for name, value in sorted(nemesis.counts.items()):
                lan.figure(f"nemesis_{name}", value)
            lan.figure("nemesis_acknowledged", len(nemesis.acked))

            for d in daemons:
                held = set(d.needs())
                missing = sorted(t for t in nemesis.acked if t not in held)
                self.assertEqual(missing, [], f"acknowledged writes missing on {d.host.name}\n"
                                 + net.logs_tail())
                self.assertEqual(d.status().get("forks", []), [],
                                 f"a fork on {d.host.name}\n" + net.logs_tail())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--steps", type=int, default=options["steps"])
    parser.add_argument("--seed", type=int, default=None)
    known, others = parser.parse_known_args(sys.argv[1:])
    options["steps"], options["seed"] = known.steps, known.seed
    sys.argv = sys.argv[:1] + others  # --accord, --accordd for lan.main
    lan.main(budget_seconds=max(240, 6 * options["steps"]))
