#include "daemon/discovery/pairing_beacon.h"

#include <algorithm>
#include <cassert>

namespace accord::discovery {
namespace {

constexpr size_t kNameplateAt = 0;
constexpr size_t kNonceAt = 1;
constexpr size_t kPortAt = 17;
static_assert(kPortAt + 2 == kPairingBeaconBytes);

bool ValidNameplate(uint32_t nameplate) {
  return nameplate >= kMinPairingNameplate && nameplate <= kMaxPairingNameplate;
}

// The receiver writes IPv4 senders as dotted quads (an IPv4-mapped IPv6 sender included);
// every IPv6 text has a colon.
bool IsIpv4(const std::string& host) { return host.find(':') == std::string::npos; }

}  // namespace

Bytes EncodePairingBeacon(const PairingBeacon& beacon) {
  assert(ValidNameplate(beacon.nameplate) && beacon.tcp_port != 0);
  Bytes out(kPairingBeaconBytes);
  out[kNameplateAt] = static_cast<uint8_t>(beacon.nameplate);
  std::copy(beacon.nonce.begin(), beacon.nonce.end(), out.begin() + kNonceAt);
  out[kPortAt] = static_cast<uint8_t>(beacon.tcp_port >> 8);
  out[kPortAt + 1] = static_cast<uint8_t>(beacon.tcp_port);
  return out;
}

Result<PairingBeacon> DecodePairingBeacon(ByteView datagram) {
  if (datagram.size() != kPairingBeaconBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a pairing beacon is " + std::to_string(kPairingBeaconBytes) + " bytes, not " +
                         std::to_string(datagram.size()));
  }
  PairingBeacon beacon;
  beacon.nameplate = datagram[kNameplateAt];
  if (!ValidNameplate(beacon.nameplate)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "pairing beacon nameplate " + std::to_string(beacon.nameplate) + " is not in 1..99");
  }
  std::copy_n(datagram.begin() + kNonceAt, beacon.nonce.size(), beacon.nonce.begin());
  beacon.tcp_port = static_cast<uint16_t>((datagram[kPortAt] << 8) | datagram[kPortAt + 1]);
  if (beacon.tcp_port == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing beacon names TCP port 0");
  }
  return beacon;
}

InviterChoice ChooseInviter(std::span<const HeardInvite> heard, uint32_t nameplate) {
  InviterChoice choice;
  for (const HeardInvite& invite : heard) {
    if (invite.beacon.nameplate != nameplate) continue;
    auto same =
        std::find_if(choice.candidates.begin(), choice.candidates.end(),
                     [&](const HeardInvite& c) { return c.beacon.nonce == invite.beacon.nonce; });
    if (same == choice.candidates.end()) {
      choice.candidates.push_back(invite);
    } else if (!IsIpv4(same->host) && IsIpv4(invite.host)) {
      *same = invite;
    }
  }
  switch (choice.candidates.size()) {
    case 0:
      choice.kind = InviterChoice::Kind::kNone;
      break;
    case 1:
      choice.kind = InviterChoice::Kind::kOne;
      break;
    default:
      choice.kind = InviterChoice::Kind::kAmbiguous;
      break;
  }
  return choice;
}

uint32_t FreeNameplate(const std::set<uint32_t>& heard_in_use, uint32_t draw) {
  std::vector<uint32_t> free;
  free.reserve(kMaxPairingNameplate);
  for (uint32_t n = kMinPairingNameplate; n <= kMaxPairingNameplate; ++n) {
    if (!heard_in_use.contains(n)) free.push_back(n);
  }
  if (free.empty()) {
    return kMinPairingNameplate + draw % (kMaxPairingNameplate - kMinPairingNameplate + 1);
  }
  return free[draw % free.size()];
}

}  // namespace accord::discovery
