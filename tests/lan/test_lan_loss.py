"""20 % random loss in and out on Alice's host (nft numgen): 100 needs written on Alice's
device all arrive on Bob's (bounded wait).

The daemons listen on 0.0.0.0:4100 and pair with --peer, so this runs on today's binaries too.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

ENTRIES = 100
LOSS_PERCENT = 20
ARRIVE_TIMEOUT = 120.0  # seconds from the first write to all on Bob's device


class Loss(unittest.TestCase):
    def test_one_hundred_needs_arrive_under_twenty_percent_loss(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            alice, bob, _ = lan.start_peer_pact(net)
            a.random_loss(LOSS_PERCENT)
            texts = [f"I need thing number {i} under loss" for i in range(ENTRIES)]
            start = time.monotonic()
            for text in texts:
                alice.add_need(text)
            written = time.monotonic() - start
            lan.wait_until(lambda: set(texts) <= set(bob.needs()), ARRIVE_TIMEOUT, interval=0.2,
                           what=f"{ENTRIES} needs on bob under {LOSS_PERCENT} % loss", lan=net)
            lan.figure("lan_loss_write_s", written)
            lan.figure("lan_loss_all_arrived_s", time.monotonic() - start)
            a.stop_loss()
            lan.wait_until(lambda: alice.digest() == bob.digest(), 10, what="equal digests",
                           lan=net)


if __name__ == "__main__":
    lan.main(budget_seconds=200)
