"""An address change on the simulated LAN: Bob's host loses its IPv4 address and gets a new
one (as with a new DHCP lease) under running daemons; sync resumes within 10 s.

TCP over IPv6 is dropped on Bob's host so that the partners' connection runs over the IPv4
address that changes (over the unchanged link-local address the change would not matter).
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

RESUME_BOUND = 10.0  # seconds from the address change to the new entry on the partner
NEW_ADDRESS = "10.231.0.60"


class AddressChange(unittest.TestCase):
    def test_sync_resumes_within_ten_seconds_of_a_new_address(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            b.block_tcp_ipv6()
            alice, bob, _ = lan.start_discovery_pact(net)
            lan.time_sync(alice, bob, "I need us to cook together", 10)
            seen = alice.peer(bob)["address"]
            self.assertTrue(seen.startswith(b.ipv4 + ":"), f"alice sees bob at {seen}")

            b.set_ipv4(NEW_ADDRESS)
            changed = time.monotonic()
            alice.add_need("I need a call when plans change")
            lan.wait_until(lambda: bob.has_need("I need a call when plans change"),
                           RESUME_BOUND, interval=0.05,
                           what="alice's need on bob after bob's address change", lan=net)
            lan.figure("lan_address_change_resync_s", time.monotonic() - changed)
            lan.wait_until(lambda: (alice.peer(bob) or {}).get("address", "")
                           .startswith(NEW_ADDRESS + ":"), RESUME_BOUND,
                           what="alice to list bob at his new address", lan=net)
            lan.time_sync(bob, alice, "I need a hug after long days", RESUME_BOUND)


if __name__ == "__main__":
    lan.main(budget_seconds=150)
