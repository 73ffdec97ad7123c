// The sealed LAN beacon (SECURITY §7.2): 72 bytes that only the pact's devices can open, with
// nothing stable across beacons. Pure; any thread. Sending and hearing them is daemon/net.
#ifndef ACCORD_DAEMON_DISCOVERY_BEACON_H_
#define ACCORD_DAEMON_DISCOVERY_BEACON_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/aead.h"
#include "crypto/secret.h"

namespace accord::discovery {

constexpr uint16_t kBeaconPort = 41643;         // UDP, sealed beacons (fixed, documented)
constexpr uint16_t kPairingBeaconPort = 41644;  // UDP, pairing beacons while an invite is open
constexpr char kBeaconGroup[] = "ff12::a2ab";   // IPv6 transient link-local multicast group
constexpr size_t kBeaconPlaintextBytes = 32;    // bytes, padded
constexpr size_t kBeaconBytes =
    crypto::kXNonceBytes + kBeaconPlaintextBytes + crypto::kAeadTagBytes;  // bytes, 72
constexpr std::chrono::minutes kBeaconMaxSkew{10};  // older or newer beacons are dropped

// Inside the seal: version(1) = 1 | device(8) | tcp_port(2 BE) | unix_minutes(4 BE) |
// instance(8) | zero padding(9).
struct BeaconContent {
  std::array<uint8_t, 8> device{};  // the first bytes of the sender's Ed25519 device key
  uint16_t tcp_port = 0;            // where it listens for sync
  uint32_t unix_minutes = 0;        // when it was sent
  uint64_t instance = 0;            // random per daemon start
  friend bool operator==(const BeaconContent&, const BeaconContent&) = default;
};

// The beacon key of one epoch: keyed BLAKE2b of the epoch key, domain-separated.
crypto::SecretKey DiscoveryKey(const crypto::SecretKey& epoch_key);

// nonce || XChaCha20-Poly1305(discovery_key, nonce, ad = "accord-beacon-v1", content).
Bytes SealBeacon(const crypto::SecretKey& discovery_key, const crypto::XNonce& nonce,
                 const BeaconContent& content);

struct EpochDiscoveryKey {
  uint64_t epoch = 0;
  const crypto::SecretKey* key = nullptr;
};
struct OpenedBeacon {
  BeaconContent content;
  uint64_t epoch = 0;  // whose key opened it
};

// Tries each key (current and previous epoch). kInvalidArgument for a wrong length (before
// any crypto), kDecryptFailed if no key opens it, kCorrupt for a wrong version or padding,
// kRefused for a time more than kBeaconMaxSkew from `now_unix_seconds`.
Result<OpenedBeacon> OpenBeacon(std::span<const EpochDiscoveryKey> keys, ByteView datagram,
                                int64_t now_unix_seconds);

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_BEACON_H_
