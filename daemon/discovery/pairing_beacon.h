// The pairing beacon (SECURITY §3.2), the one beacon in clear: {nameplate, nonce, port}, sent
// only while an invitation is open, so that `accord join CODE` finds the inviter. And the
// choices it serves: which inviter a joiner dials, which nameplate an inviter takes. Pure.
#ifndef ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_
#define ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_

#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::discovery {

constexpr size_t kPairingBeaconBytes = 19;  // bytes: nameplate(1) | nonce(16) | port(2 BE)

struct PairingBeacon {
  uint32_t nameplate = 0;           // 1..99, the code's public part
  std::array<uint8_t, 16> nonce{};  // random per invitation: tells two invitations apart
  uint16_t tcp_port = 0;            // where the inviter listens
  friend bool operator==(const PairingBeacon&, const PairingBeacon&) = default;
};

// REQUIRES: nameplate in 1..99, tcp_port != 0.
Bytes EncodePairingBeacon(const PairingBeacon& beacon);
// kInvalidArgument for a wrong length, a nameplate outside 1..99 or port 0.
Result<PairingBeacon> DecodePairingBeacon(ByteView datagram);

// A pairing beacon as a joiner heard it: `host` is the sender's address (IPv6 link-local
// with its %scope), without brackets or port.
struct HeardInvite {
  std::string host;
  PairingBeacon beacon;
};

struct InviterChoice {
  enum class Kind { kNone, kOne, kAmbiguous };
  Kind kind = Kind::kNone;
  std::vector<HeardInvite> candidates;  // one per invitation (nonce); IPv4 preferred
};

// The inviter for `nameplate` among what was heard. One invitation heard from several
// addresses (its IPv4 and IPv6) is one; two invitations with one nameplate are kAmbiguous:
// the joiner asks rather than guesses.
InviterChoice ChooseInviter(std::span<const HeardInvite> heard, uint32_t nameplate);

// A nameplate for a new invitation, uniform (by `draw`, any random number) among 1..99 not
// in `in_use`; if all are in use, among all of them.
uint32_t FreeNameplate(const std::set<uint32_t>& in_use, uint32_t draw);

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_PAIRING_BEACON_H_
