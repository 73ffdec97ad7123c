"""A partition on the simulated LAN (nft drops both ways on both hosts) while both partners
write, then a heal: equal state digests within 10 s of the heal.

The daemons listen on 0.0.0.0:4100 and pair with --peer, so this runs on today's binaries too.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

WRITES = 5  # needs per side during the partition
PARTITION_SECONDS = 5.0  # at least this long cut off
CONVERGE_BOUND = 10.0  # seconds from the heal to equal digests


class Partition(unittest.TestCase):
    def test_writes_on_both_sides_of_a_partition_converge_after_the_heal(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            alice, bob, _ = lan.start_peer_pact(net)
            lan.time_sync(alice, bob, "I need a plan for the holidays", 10)

            a.drop_all_to(b)
            b.drop_all_to(a)
            cut = time.monotonic()
            for i in range(WRITES):
                alice.add_need(f"Alice's need {i} written apart")
                bob.add_need(f"Bob's need {i} written apart")
            time.sleep(max(0.0, PARTITION_SECONDS - (time.monotonic() - cut)))
            self.assertNotIn("Alice's need 0 written apart", bob.needs())
            self.assertNotEqual(alice.digest(), bob.digest())

            a.heal()
            b.heal()
            healed = time.monotonic()
            lan.wait_until(lambda: alice.digest() == bob.digest(), CONVERGE_BOUND,
                           interval=0.05, what="equal state digests after the heal", lan=net)
            lan.figure("lan_partition_converge_s", time.monotonic() - healed)
            expected = {f"{who}'s need {i} written apart" for who in ("Alice", "Bob")
                        for i in range(WRITES)}
            self.assertLessEqual(expected, set(alice.needs()))
            self.assertLessEqual(expected, set(bob.needs()))


if __name__ == "__main__":
    lan.main(budget_seconds=150)
