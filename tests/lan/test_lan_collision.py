"""Two invitations with one nameplate on one LAN (SECURITY §3.2): the joiner asks instead of
guessing. Alice's invitation is real; a third host sends pairing beacons with the same
nameplate and another nonce. `join CODE` without --peer then stops, naming both addresses;
once the other invitation is gone, the same code joins Alice.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

PAIRING_PORT = 41644


class Collision(unittest.TestCase):
    def test_two_invitations_with_one_nameplate_make_the_joiner_ask(self):
        with Lan(hosts=3) as net:
            a, b, c = net.hosts
            alice = a.daemon(a.home("alice"))
            bob = b.daemon(b.home("bob"))
            self.assertTrue(alice.accord("init", "--name", "Alice").ok)
            invite = lan.Invite(alice)
            nameplate = int(invite.code.split("-")[0])
            # The other invitation: same nameplate, its own nonce, its own port.
            other = bytes([nameplate]) + os.urandom(16) + (4100).to_bytes(2, "big")
            payloads = os.path.join(net.workdir, "other-invite.hex")
            with open(payloads, "w") as f:
                f.write((other.hex() + "\n") * 60)
            sender = c.udp_send(["255.255.255.255"], PAIRING_PORT, payload_file=payloads,
                                rate=2.0, seconds=30.0, wait=False)
            refused = bob.accord("join", invite.code, "--name", "Bob", timeout=40)
            self.assertEqual(refused.returncode, 3, refused)
            self.assertIn("two invitations", refused.err)
            self.assertIn(a.ipv4, refused.err)
            self.assertIn(c.ipv4, refused.err)
            self.assertIn("--peer", refused.err)
            net.stop_process(sender.proc, 1)
            # Nothing was guessed: the code still works once only one invitation is heard.
            joined = bob.accord("join", invite.code, "--name", "Bob", timeout=40)
            self.assertTrue(joined.ok, joined)
            self.assertEqual(joined.json["join"]["partner_name"], "Alice")
            self.assertEqual(invite.finish(), 0, invite.text())


if __name__ == "__main__":
    lan.main(budget_seconds=150)
