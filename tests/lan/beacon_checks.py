"""Byte-wise checks on captured beacons (SECURITY §7.2): shared substrings and secrets.

Pure functions over payload bytes; used by test_lan_beacon_privacy.py and checked by
test_lan_harness.py. Capturing belongs in lan.py.
"""

WINDOW = 8  # bytes: no substring this long in common between two beacons


def shared_windows(payloads, window=WINDOW):
    """(i, j, hex) for each pair of payloads i < j that share a `window`-byte substring."""
    first = {}
    found = []
    for i, p in enumerate(payloads):
        for w in {p[k:k + window] for k in range(len(p) - window + 1)}:
            if w in first:
                found.append((first[w], i, w.hex()))
            else:
                first[w] = i
    return found


def secret_needles(names, hex_secrets, window=WINDOW):
    """Byte strings no beacon may hold, to compare with lowercased payloads: each name and
    "accord" (any case), every `window`-byte piece of each raw secret (pact id, keys), and
    each secret's hex spelling (whole, and its first `window` bytes' worth)."""
    needles = {n.lower().encode() for n in names if n} | {b"accord"}
    for h in hex_secrets:
        raw = bytes.fromhex(h)
        needles |= {raw[k:k + window] for k in range(len(raw) - window + 1)}
        needles |= {h.lower().encode(), h.lower()[:2 * window].encode()}
    return needles


def leaks(payload, needles):
    """The needles found in `payload` (raw pieces case-folded like the payload)."""
    low = payload.lower()
    return sorted(n for n in needles if n in low or n in payload)
