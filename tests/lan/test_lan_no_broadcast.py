"""A LAN that filters broadcast and multicast (nft on Bob's host): after both restart, the
partners connect through remembered addresses, and `accord doctor` on Bob's host fails and
names the missing beacons. Before the filter, doctor on Bob's host passes.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from lan import Lan  # noqa: E402

CONNECT_TIMEOUT = 30.0  # seconds for remembered addresses to connect the partners
DOCTOR_TIMEOUT = 20.0  # seconds for doctor to see the start beacons after a restart
EXIT_USAGE = 2  # accord's exit code for a usage error (an unknown command among them)


def doctor(daemon):
    return daemon.accord("doctor", json=False, timeout=60)


class NoBroadcast(unittest.TestCase):
    def test_remembered_addresses_connect_and_doctor_names_the_missing_beacons(self):
        with Lan(hosts=2) as net:
            a, b = net.hosts
            alice, bob, _ = lan.start_discovery_pact(net)
            lan.restart_both(alice, bob, CONNECT_TIMEOUT)
            last = []

            def doctor_passes():
                last[:] = [doctor(bob)]
                return last[0].returncode == 0
            try:
                lan.wait_until(doctor_passes, DOCTOR_TIMEOUT, interval=1.0,
                               what="doctor on bob's host to pass on an open LAN", lan=net)
            except lan.LanError as e:
                self.fail(f"{e}\nlast doctor run: {last[0]!r}")

            b.block_broadcast_multicast()
            elapsed = lan.restart_both(alice, bob, CONNECT_TIMEOUT)
            lan.figure("lan_reconnect_without_beacons_s", elapsed)
            lan.time_sync(alice, bob, "I need a quiet evening once a week", 10)

            r = doctor(bob)
            print(r.out, r.err, sep="\n")
            self.assertNotIn(r.returncode, (0, EXIT_USAGE), f"doctor: {r!r}")
            self.assertIn("beacon", (r.out + r.err).lower(), f"doctor: {r!r}")


if __name__ == "__main__":
    lan.main(budget_seconds=200)
