"""Discovery pairing on the simulated LAN: daemons with no --listen and no --peer; `invite` on
Alice's host, `join CODE --name Bob` on Bob's with no --peer; they pair, connect and sync.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

SYNC_TIMEOUT = 10.0  # seconds for one need to reach the partner on an open LAN


class Discovery(unittest.TestCase):
    def test_join_without_peer_finds_the_inviter_and_entries_sync(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            start = time.monotonic()
            alice, bob, joined = lan.start_discovery_pact(net)
            lan.figure("lan_discovery_pair_and_connect_s", time.monotonic() - start)
            self.assertEqual(joined["partner_name"], "Alice")
            self.assertTrue(joined["pact_id"])

            # Listening by default, on real addresses (never the wildcard).
            for daemon, host in ((alice, a), (bob, b)):
                listen = str(daemon.status().get("listen_address", ""))
                self.assertIn(host.ipv4, listen, f"{host.name} listens on {listen!r}")
                self.assertNotIn("0.0.0.0", listen)
                self.assertNotIn("[::]", listen)

            lan.figure("lan_discovery_sync_s",
                       lan.time_sync(alice, bob, "I need a walk together on Sundays",
                                     SYNC_TIMEOUT))
            lan.time_sync(bob, alice, "I need to hear about your day", SYNC_TIMEOUT)
            names = {m["name"] for m in bob.status()["members"]}
            self.assertEqual(names, {"Alice", "Bob"})


if __name__ == "__main__":
    lan.main(budget_seconds=150)
