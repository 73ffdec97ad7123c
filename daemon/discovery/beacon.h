// The sealed LAN beacon (SECURITY §7.2, docs/discovery.md): 72 bytes only the pact's devices
// can open, nothing in clear, nothing stable between two beacons. Pure; any thread.
// Sending, hearing and rate-limiting beacons is not here (daemon/net, source_limiter.h).
#ifndef ACCORD_DAEMON_DISCOVERY_BEACON_H_
#define ACCORD_DAEMON_DISCOVERY_BEACON_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/aead.h"
#include "crypto/secret.h"

namespace accord::discovery {

constexpr uint16_t kBeaconPort = 41643;         // UDP, sealed beacons (fixed, documented)
constexpr uint16_t kPairingBeaconPort = 41644;  // UDP, pairing beacons
constexpr char kBeaconGroup[] = "ff12::a2ab";   // IPv6 transient link-local multicast

constexpr uint8_t kBeaconVersion = 1;         // the plaintext's first byte
constexpr size_t kBeaconPlaintextBytes = 32;  // bytes, padded with zeros
constexpr size_t kBeaconBytes = 72;           // bytes: nonce(24) || sealed plaintext(32 + 16)
static_assert(kBeaconBytes == crypto::kXNonceBytes + kBeaconPlaintextBytes + crypto::kAeadTagBytes);
constexpr std::chrono::minutes kBeaconMaxSkew{10};  // from the receiver's now, either side

// Wire: nonce(24) || XChaCha20-Poly1305(discovery key, nonce, ad = "accord-beacon-v1",
// plaintext). Plaintext (32): version(1) = 1 | device(8) | tcp_port(2 BE) |
// unix_minutes(4 BE) | instance(8 BE) | zero padding(9). No magic, no version in clear.
struct BeaconContent {
  std::array<uint8_t, 8> device{};  // first 8 bytes of the sender's Ed25519 device key
  uint16_t tcp_port = 0;            // where the sender listens for sync
  uint32_t unix_minutes = 0;        // when it was sealed, minutes since the Unix epoch
  uint64_t instance = 0;            // random per daemon start: a restart is a new instance
  friend bool operator==(const BeaconContent&, const BeaconContent&) = default;
};

// The beacon key of one epoch: BLAKE2b-256 keyed with the epoch key over
// "accord/discovery/v1", so it is domain-separated from every other use of that key.
crypto::SecretKey DiscoveryKey(const crypto::SecretKey& epoch_key);

// kBeaconBytes bytes. REQUIRES: `nonce` fresh (random) for every beacon.
Bytes SealBeacon(const crypto::SecretKey& discovery_key, const crypto::XNonce& nonce,
                 const BeaconContent& content);

struct EpochDiscoveryKey {
  uint64_t epoch = 0;
  const crypto::SecretKey* key = nullptr;  // REQUIRES: not null, outlives the call
};
struct OpenedBeacon {
  BeaconContent content;
  uint64_t epoch = 0;  // the epoch whose key opened it
};

// Tries each key in turn (the caller passes the current and the previous epoch's; order does
// not matter). Errors: kInvalidArgument for a datagram that is not kBeaconBytes long (before
// any crypto); kDecryptFailed if no key opens it; kBadBody for a version other than
// kBeaconVersion, non-zero padding or tcp_port 0; kRefused ("stale") for a time more than
// kBeaconMaxSkew from `now_unix_seconds`.
Result<OpenedBeacon> OpenBeacon(std::span<const EpochDiscoveryKey> keys, ByteView datagram,
                                int64_t now_unix_seconds);

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_BEACON_H_
