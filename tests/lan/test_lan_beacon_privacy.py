"""Beacon privacy on the simulated LAN (SECURITY §7.2, test 22), then a stranger.

Every datagram to the beacon ports is captured on the switch for about three minutes across a
discovery pairing, an epoch change (a second device of Alice's joins by discovery, she removes
it, and her next write rotates the pact to epoch 2) and several restarts. Sealed beacons (UDP 41643): every one 72 bytes, no
8-byte substring shared by any two, none holding a member name, the pact id, a device key or
"accord". Pairing beacons (UDP 41644): 19 bytes, only while the invite is open. Then a
stranger host replays the captured beacons and floods random ones at 1,000/s: both daemons
keep running, neither connects to the stranger, and sync between the partners is not slower.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lan  # noqa: E402
from beacon_checks import leaks, secret_needles, shared_windows  # noqa: E402
from lan import BEACON_GROUP, BEACON_PORT, BROADCAST, PAIRING_PORT, Capture, Lan  # noqa: E402

CAPTURE_SECONDS = 180.0  # the capture's length, restarts included
RESTART_EVERY = 30.0  # seconds between restarts (alternating Alice and Bob)
SEALED_BYTES = 72
PAIRING_BYTES = 19
MIN_SEALED = 12  # beacons: fewer means the capture saw too little to judge
MIN_SEALED_AFTER_ROTATION = 4  # beacons by Alice or Bob after the epoch change
PAIRING_GRACE = 3.0  # seconds after the pairing in which a last pairing beacon may still pass
FLOOD_RATE = 1000.0  # datagrams per second
FLOOD_SECONDS = 20.0
SYNC_SAMPLES = 3
SYNC_TIMEOUT = 10.0  # seconds
SLOWDOWN_SLACK = 0.5  # seconds a sync under flood may take beyond twice the quiet one


class BeaconPrivacy(unittest.TestCase):
    def test_beacons_reveal_nothing_and_a_stranger_changes_nothing(self):
        with Lan(hosts=4) as net:
            a, b, c, stranger = net.hosts
            capture = Capture(net)
            started = time.monotonic()
            alice, bob, joined = lan.start_discovery_pact(net)
            laptop, rotated_at = self.rotate_by_removing_a_device(alice, bob, c)
            paired_at = time.time()

            restarts = 0
            while time.monotonic() - started < CAPTURE_SECONDS - RESTART_EVERY:
                time.sleep(RESTART_EVERY)
                (alice if restarts % 2 == 0 else bob).restart()
                restarts += 1
                lan.wait_connected(alice, bob, 15)
            time.sleep(max(0.0, CAPTURE_SECONDS - (time.monotonic() - started)))
            datagrams = capture.stop()

            status = alice.status()
            names = [m["name"] for m in status["members"]]
            keys = sorted({k for m in status["members"]
                           for k in m["device_keys"] + [m["member_id"]]})
            self.assertEqual(set(names), {"Alice", "Bob"})
            needles = secret_needles(names + ["laptop"],
                                     [joined["pact_id"], laptop.device_key()] + keys)

            sealed = [d for d in datagrams if d.dport == BEACON_PORT]
            pairing = [d for d in datagrams if d.dport == PAIRING_PORT]
            lan.figure("lan_beacons_captured", len(sealed))
            lan.figure("lan_pairing_beacons_captured", len(pairing))
            hours = CAPTURE_SECONDS / 3600.0
            lan.figure("lan_beacon_bytes_per_hour_per_device_with_restarts",
                       sum(len(d.payload) for d in sealed) / 2 / hours)
            self.assertGreaterEqual(len(sealed), MIN_SEALED, datagrams)
            sources = {d.src for d in sealed}
            self.assertTrue(sources & {a.ipv4, a.ipv6}, "no beacon from alice's host")
            self.assertTrue(sources & {b.ipv4, b.ipv6}, "no beacon from bob's host")
            self.assertLessEqual(sources, {a.ipv4, a.ipv6, b.ipv4, b.ipv6, c.ipv4, c.ipv6})
            partners = {a.ipv4, a.ipv6, b.ipv4, b.ipv6}
            after = [d for d in sealed if d.time > rotated_at and d.src in partners]
            lan.figure("lan_beacons_captured_after_epoch_change", len(after))
            self.assertGreaterEqual(len(after), MIN_SEALED_AFTER_ROTATION,
                                    "too few beacons after the epoch change to judge")
            self.assertEqual([d for d in sealed if len(d.payload) != SEALED_BYTES], [])
            shared = shared_windows([d.payload for d in sealed])
            self.assertEqual(len(shared), 0, "beacons sharing 8 bytes (first, second, bytes), "
                             f"e.g. {[(sealed[i], sealed[j], w) for i, j, w in shared[:5]]}")
            for d in sealed + pairing:
                found = leaks(d.payload, needles)
                self.assertEqual(found, [], f"{d} holds {found}")

            self.assertGreater(len(pairing), 0, "no pairing beacon while an invite was open")
            self.assertEqual([d for d in pairing if len(d.payload) != PAIRING_BYTES], [])
            late = [d for d in pairing if d.time > paired_at + PAIRING_GRACE]
            self.assertEqual(late, [], "pairing beacons after the invite closed")

            # The stranger: replays, then a flood, while the partners write.
            quiet = [lan.time_sync(alice, bob, f"I need quiet sample {i}", SYNC_TIMEOUT)
                     for i in range(SYNC_SAMPLES)]
            replay = os.path.join(net.workdir, "replay.hex")
            with open(replay, "w") as f:
                f.writelines(d.payload.hex() + "\n" for d in sealed + pairing)
            stranger.udp_send([BROADCAST, BEACON_GROUP], BEACON_PORT, payload_file=replay,
                              rate=FLOOD_RATE, seconds=FLOOD_SECONDS)
            stranger.udp_send([BROADCAST, BEACON_GROUP], PAIRING_PORT, payload_file=replay,
                              rate=FLOOD_RATE, seconds=FLOOD_SECONDS)
            flood = stranger.udp_send([BROADCAST], BEACON_PORT,
                                      random=int(FLOOD_RATE * FLOOD_SECONDS),
                                      size=SEALED_BYTES, rate=FLOOD_RATE,
                                      seconds=FLOOD_SECONDS + 5, wait=False)
            time.sleep(2)  # the flood is under way
            flooded = [lan.time_sync(alice, bob, f"I need flooded sample {i}", SYNC_TIMEOUT)
                       for i in range(SYNC_SAMPLES)]
            flooded.append(lan.time_sync(bob, alice, "I need a flooded reply", SYNC_TIMEOUT))
            summary = flood.finish()
            lan.figure("lan_flood_datagrams_sent", summary["sent"])
            lan.figure("lan_sync_quiet_median_s", lan.median(quiet))
            lan.figure("lan_sync_flooded_median_s", lan.median(flooded))
            self.assertGreater(summary["sent"], FLOOD_RATE * FLOOD_SECONDS * 0.8, summary)

            self.assertTrue(alice.running(), alice.log_tail())
            self.assertTrue(bob.running(), bob.log_tail())
            for daemon, partner in ((alice, bob), (bob, alice)):
                peers = daemon.status()["peers"]
                self.assertEqual({p["device_key"] for p in peers}, {partner.device_key()})
                for p in peers:
                    self.assertNotIn(stranger.ipv4, p.get("address", ""), p)
                    self.assertNotIn(stranger.ipv6, p.get("address", ""), p)
            self.assertTrue(alice.connected_to(bob) and bob.connected_to(alice))
            self.assertLessEqual(lan.median(flooded),
                                 2 * lan.median(quiet) + SLOWDOWN_SLACK,
                                 f"quiet {quiet}, flooded {flooded}")

    def rotate_by_removing_a_device(self, alice, bob, host):
        """A second device of Alice's on `host` joins by discovery (`invite --device`), then
        Alice removes it and writes: the write rotates the pact to a new epoch first. The
        laptop's daemon is stopped. Returns (laptop, wall time of the rotation)."""
        laptop = host.daemon(host.home("laptop"))
        lan.pair(alice, laptop, joiner_name="laptop", invite_args=["--device"])
        lan.wait_connected(alice, laptop, 15)
        removed = alice.accord("device", "remove", laptop.device_key()[:8])
        self.assertTrue(removed.ok, removed)
        alice.add_need("I need the laptop gone")
        rotated_at = time.time()
        entries = alice.accord("log").json["log"]["entries"]
        starts = [e for e in entries if e["kind"] == "ENTRY_KIND_EPOCH_START"
                  and e["author"] == alice.device_key()]
        self.assertEqual(len(starts), 1, entries)
        lan.wait_until(lambda: bob.has_need("I need the laptop gone"), 15,
                       what="bob reading the need written in the new epoch", lan=host.lan)
        laptop.stop()
        return laptop, rotated_at


if __name__ == "__main__":
    lan.main(budget_seconds=400)
