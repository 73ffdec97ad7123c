"""Restarts on the simulated LAN: both daemons stopped, Alice's started, then Bob's; they are
connected again within 2 s of the second start (by beacon), on the TCP port each kept.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

RECONNECT_BOUND = 2.0  # seconds from the second daemon's start to connected (issue 11)
WAIT_TIMEOUT = 15.0  # seconds: how long to wait before calling it a failure
SYNC_TIMEOUT = 10.0  # seconds


class Reconnect(unittest.TestCase):
    def test_both_restarted_connect_again_within_two_seconds(self):
        with Lan(hosts=2) as net:
            alice, bob, _ = lan.start_discovery_pact(net)
            listen_before = (alice.status()["listen_address"], bob.status()["listen_address"])
            elapsed = lan.restart_both(alice, bob, WAIT_TIMEOUT)
            lan.figure("lan_reconnect_s", elapsed)
            self.assertLess(elapsed, RECONNECT_BOUND,
                            "connected again, but later than 2 s after the second start\n"
                            + net.logs_tail())
            listen_after = (alice.status()["listen_address"], bob.status()["listen_address"])
            self.assertEqual(listen_before, listen_after, "the TCP port was not kept")
            lan.time_sync(bob, alice, "I need a slow breakfast on Saturdays", SYNC_TIMEOUT)


if __name__ == "__main__":
    lan.main(budget_seconds=150)
