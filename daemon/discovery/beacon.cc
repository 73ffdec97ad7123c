#include "daemon/discovery/beacon.h"

#include <algorithm>
#include <string_view>

#include "crypto/hash.h"

namespace accord::discovery {
namespace {

constexpr std::string_view kBeaconAd = "accord-beacon-v1";
constexpr std::string_view kDiscoveryContext = "accord/discovery/v1";

// Plaintext offsets (beacon.h).
constexpr size_t kVersionAt = 0;
constexpr size_t kDeviceAt = 1;
constexpr size_t kPortAt = 9;
constexpr size_t kMinutesAt = 11;
constexpr size_t kInstanceAt = 15;
constexpr size_t kPaddingAt = 23;
static_assert(kPaddingAt + 9 == kBeaconPlaintextBytes);

using Plaintext = std::array<uint8_t, kBeaconPlaintextBytes>;

Plaintext Encode(const BeaconContent& content) {
  Plaintext p{};
  p[kVersionAt] = kBeaconVersion;
  std::copy(content.device.begin(), content.device.end(), p.begin() + kDeviceAt);
  p[kPortAt] = static_cast<uint8_t>(content.tcp_port >> 8);
  p[kPortAt + 1] = static_cast<uint8_t>(content.tcp_port);
  PutU32Be(p.data() + kMinutesAt, content.unix_minutes);
  PutU64Be(p.data() + kInstanceAt, content.instance);
  return p;
}

Result<BeaconContent> Decode(ByteView p) {
  if (p.size() != kBeaconPlaintextBytes) {
    return MakeError(ErrorCode::kInternal, "beacon plaintext has the wrong size");
  }
  if (p[kVersionAt] != kBeaconVersion) {
    return MakeError(ErrorCode::kBadBody,
                     "beacon version " + std::to_string(p[kVersionAt]) + " is not ours");
  }
  if (!std::all_of(p.begin() + kPaddingAt, p.end(), [](uint8_t b) { return b == 0; })) {
    return MakeError(ErrorCode::kBadBody, "beacon padding is not zero");
  }
  BeaconContent content;
  std::copy_n(p.begin() + kDeviceAt, content.device.size(), content.device.begin());
  content.tcp_port = static_cast<uint16_t>((p[kPortAt] << 8) | p[kPortAt + 1]);
  content.unix_minutes = GetU32Be(p.data() + kMinutesAt);
  content.instance = GetU64Be(p.data() + kInstanceAt);
  if (content.tcp_port == 0) return MakeError(ErrorCode::kBadBody, "beacon names TCP port 0");
  return content;
}

}  // namespace

crypto::SecretKey DiscoveryKey(const crypto::SecretKey& epoch_key) {
  Hash32 derived = crypto::Blake2b256Keyed(epoch_key.view(), AsBytes(kDiscoveryContext));
  crypto::SecretKey key = crypto::SecretKey::FromBytes(derived);
  crypto::Wipe(derived);
  return key;
}

Bytes SealBeacon(const crypto::SecretKey& discovery_key, const crypto::XNonce& nonce,
                 const BeaconContent& content) {
  const Plaintext plaintext = Encode(content);
  const Bytes sealed = crypto::SealBody(discovery_key, nonce, AsBytes(kBeaconAd), plaintext);
  Bytes out;
  out.reserve(kBeaconBytes);
  AppendBytes(out, nonce);
  AppendBytes(out, sealed);
  return out;
}

Result<OpenedBeacon> OpenBeacon(std::span<const EpochDiscoveryKey> keys, ByteView datagram,
                                int64_t now_unix_seconds) {
  if (datagram.size() != kBeaconBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "a beacon is " + std::to_string(kBeaconBytes) +
                                                      " bytes, not " +
                                                      std::to_string(datagram.size()));
  }
  crypto::XNonce nonce;
  std::copy_n(datagram.begin(), nonce.size(), nonce.begin());
  const ByteView sealed = datagram.subspan(nonce.size());
  for (const EpochDiscoveryKey& k : keys) {
    if (k.key == nullptr) continue;
    Result<Bytes> plaintext = crypto::OpenBody(*k.key, nonce, AsBytes(kBeaconAd), sealed);
    if (!plaintext.ok()) continue;
    Result<BeaconContent> content = Decode(*plaintext);
    if (!content.ok()) return content.error();
    const int64_t sent_seconds = int64_t{content->unix_minutes} * 60;
    const int64_t max_skew_seconds = std::chrono::seconds(kBeaconMaxSkew).count();
    // Bounds on `now` rather than a difference: any int64 `now` is safe.
    if (now_unix_seconds < sent_seconds - max_skew_seconds ||
        now_unix_seconds > sent_seconds + max_skew_seconds) {
      return MakeError(ErrorCode::kRefused, "stale beacon: sent more than " +
                                                std::to_string(kBeaconMaxSkew.count()) +
                                                " minutes from now");
    }
    return OpenedBeacon{*content, k.epoch};
  }
  return MakeError(ErrorCode::kDecryptFailed, "no discovery key opens this beacon");
}

}  // namespace accord::discovery
