// The pairing beacon (SECURITY §3.2), the one beacon sent in clear, only while an invitation
// is open, so `accord join CODE` finds the inviter; and the two choices it serves: which
// inviter a joiner dials, which nameplate an inviter takes. Pure; any thread.
#ifndef ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_
#define ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::discovery {

// Wire: nameplate(1) | nonce(16) | tcp_port(2 BE). No app string, nothing else.
constexpr size_t kPairingBeaconBytes = 19;     // bytes
constexpr uint32_t kMinPairingNameplate = 1;   // as pairing::kMinNameplate
constexpr uint32_t kMaxPairingNameplate = 99;  // as pairing::kMaxNameplate

struct PairingBeacon {
  uint32_t nameplate = 0;           // 1..99: the code's public part
  std::array<uint8_t, 16> nonce{};  // random per invitation: tells two invitations apart
  uint16_t tcp_port = 0;            // where the inviter listens
  friend bool operator==(const PairingBeacon&, const PairingBeacon&) = default;
};

// kPairingBeaconBytes bytes. REQUIRES: nameplate in 1..99, tcp_port != 0.
Bytes EncodePairingBeacon(const PairingBeacon& beacon);
// kInvalidArgument for a wrong length, a nameplate outside 1..99 or port 0.
Result<PairingBeacon> DecodePairingBeacon(ByteView datagram);

// A pairing beacon as the joiner heard it. `host`: the sender's IP as text, as the receiver
// saw it (IPv6 link-local with its %scope; IPv4 without a colon), no brackets, no port.
struct HeardInvite {
  std::string host;
  PairingBeacon beacon;
};

struct InviterChoice {
  enum class Kind { kNone, kOne, kAmbiguous };
  Kind kind = Kind::kNone;
  // One per invitation (nonce), in the order first heard; each at its first IPv4 address if
  // it was heard over IPv4, else at its first address.
  std::vector<HeardInvite> candidates;
};

// The inviter for `nameplate` among `heard`. One nonce heard from several addresses (a host's
// IPv4 and IPv6) is one inviter; two nonces with one nameplate are kAmbiguous, so the joiner
// asks rather than guesses.
InviterChoice ChooseInviter(std::span<const HeardInvite> heard, uint32_t nameplate);

// A nameplate for a new invitation: `draw` (any random uint32 from the caller) picks among
// 1..99 not in `heard_in_use`, or among all 1..99 if every one is in use. Uniform up to a
// modulo bias below 2^-25.
uint32_t FreeNameplate(const std::set<uint32_t>& heard_in_use, uint32_t draw);

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_
