"""Time from the second daemon's start to connected, in the simulated home LAN (issue 11).

Pairs Alice and Bob through discovery once, then 20 times stops both, starts Alice's daemon,
then Bob's, and measures until each lists the other as connected; prints every sample and the
median as `figure: lan_reconnect_median_s`. Root, `ip` and `nft` needed; Debian's python:
  /usr/bin/python3 bench/lan_reconnect.py --accord build/client/accord \
      --accordd build/daemon/accordd [--samples 20]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lan"))
import lan  # noqa: E402

WAIT_TIMEOUT = 30.0  # seconds before one sample counts as a failure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20)
    args, rest = parser.parse_known_args()
    lan.parse_binaries(rest)
    why = lan.can_run()
    if why:
        print(f"skipped: {why}")
        return lan.EXIT_SKIP
    lan.cleanup_stale()
    with lan.Lan(hosts=2) as net:
        alice, bob, _ = lan.start_discovery_pact(net)
        samples = []
        for i in range(args.samples):
            samples.append(lan.restart_both(alice, bob, WAIT_TIMEOUT))
            print(f"sample {i + 1}: {samples[-1]:.3f} s", flush=True)
        lan.figure("lan_reconnect_median_s", lan.median(samples))
        lan.figure("lan_reconnect_max_s", max(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
