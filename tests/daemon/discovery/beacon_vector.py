#!/usr/bin/python3
"""Recomputes BeaconVector.MatchesAnIndependentComputation (beacon_test.cc) without libsodium.

BLAKE2b from hashlib; XChaCha20-Poly1305 as HChaCha20 (below) + the `cryptography` package's
ChaCha20-Poly1305, first checked against Wycheproof's valid XChaCha20-Poly1305 cases.
Usage: beacon_vector.py [path to ../shared/vectors]
"""

import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

MASK = 0xFFFFFFFF


def rotl(v, c):
    return ((v << c) & MASK) | (v >> (32 - c))


def quarter_round(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK
    s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK
    s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK
    s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK
    s[b] = rotl(s[b] ^ s[c], 7)


def hchacha20(key, nonce16):
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    for _ in range(10):
        quarter_round(s, 0, 4, 8, 12)
        quarter_round(s, 1, 5, 9, 13)
        quarter_round(s, 2, 6, 10, 14)
        quarter_round(s, 3, 7, 11, 15)
        quarter_round(s, 0, 5, 10, 15)
        quarter_round(s, 1, 6, 11, 12)
        quarter_round(s, 2, 7, 8, 13)
        quarter_round(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xchacha_seal(key, nonce24, ad, plaintext):
    subkey = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(subkey).encrypt(b"\0" * 4 + nonce24[16:], plaintext, ad)


def self_check(vectors_dir):
    with open(os.path.join(vectors_dir, "wycheproof", "xchacha20_poly1305_test.json")) as f:
        groups = json.load(f)["testGroups"]
    checked = 0
    for group in groups:
        for t in group["tests"]:
            if t["result"] != "valid" or len(t["iv"]) != 48 or len(t["key"]) != 64:
                continue
            got = xchacha_seal(bytes.fromhex(t["key"]), bytes.fromhex(t["iv"]),
                               bytes.fromhex(t["aad"]), bytes.fromhex(t["msg"]))
            assert got == bytes.fromhex(t["ct"] + t["tag"]), t["tcId"]
            checked += 1
    assert checked > 0
    return checked


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../shared/vectors")
    print("wycheproof XChaCha20-Poly1305 valid cases reproduced: %d" % self_check(vectors))

    epoch_key = bytes(range(0x40, 0x60))
    discovery_key = hashlib.blake2b(b"accord/discovery/v1", key=epoch_key, digest_size=32).digest()
    nonce = bytes(range(0xA0, 0xB8))
    plaintext = (bytes([1]) + bytes(range(1, 9)) +
                 struct.pack(">HIQ", 41000, 29000000, 0x0123456789ABCDEF) + bytes(9))
    assert len(plaintext) == 32
    print("discovery key", discovery_key.hex())
    print("beacon       ", (nonce + xchacha_seal(discovery_key, nonce, b"accord-beacon-v1",
                                                  plaintext)).hex())


if __name__ == "__main__":
    main()
