#include "daemon/discovery/pairing_beacon.h"

#include <algorithm>

namespace accord::discovery {
namespace {

constexpr uint32_t kMinNameplate = 1;  // as daemon/pairing/code.h
constexpr uint32_t kMaxNameplate = 99;

bool IsV6(const std::string& host) { return host.find(':') != std::string::npos; }

}  // namespace

Bytes EncodePairingBeacon(const PairingBeacon& beacon) {
  Bytes out(kPairingBeaconBytes);
  out[0] = static_cast<uint8_t>(beacon.nameplate);
  std::copy(beacon.nonce.begin(), beacon.nonce.end(), out.begin() + 1);
  PutU16Be(out.data() + 17, beacon.tcp_port);
  return out;
}

Result<PairingBeacon> DecodePairingBeacon(ByteView datagram) {
  if (datagram.size() != kPairingBeaconBytes)
    return MakeError(ErrorCode::kInvalidArgument, "pairing beacon: wrong length");
  PairingBeacon b;
  b.nameplate = datagram[0];
  std::copy_n(datagram.begin() + 1, b.nonce.size(), b.nonce.begin());
  b.tcp_port = GetU16Be(datagram.data() + 17);
  if (b.nameplate < kMinNameplate || b.nameplate > kMaxNameplate || b.tcp_port == 0)
    return MakeError(ErrorCode::kInvalidArgument, "pairing beacon: out of range");
  return b;
}

InviterChoice ChooseInviter(std::span<const HeardInvite> heard, uint32_t nameplate) {
  InviterChoice choice;
  for (const HeardInvite& h : heard) {
    if (h.beacon.nameplate != nameplate) continue;
    auto same =
        std::find_if(choice.candidates.begin(), choice.candidates.end(),
                     [&](const HeardInvite& c) { return c.beacon.nonce == h.beacon.nonce; });
    if (same == choice.candidates.end()) {
      choice.candidates.push_back(h);
    } else if (IsV6(same->host) && !IsV6(h.host)) {
      *same = h;  // the same invitation over IPv4: the simpler address to dial
    }
  }
  if (choice.candidates.size() == 1) choice.kind = InviterChoice::Kind::kOne;
  if (choice.candidates.size() > 1) choice.kind = InviterChoice::Kind::kAmbiguous;
  return choice;
}

uint32_t FreeNameplate(const std::set<uint32_t>& in_use, uint32_t draw) {
  std::vector<uint32_t> free;
  for (uint32_t n = kMinNameplate; n <= kMaxNameplate; ++n)
    if (!in_use.count(n)) free.push_back(n);
  if (free.empty()) return kMinNameplate + draw % (kMaxNameplate - kMinNameplate + 1);
  return free[draw % free.size()];
}

}  // namespace accord::discovery
