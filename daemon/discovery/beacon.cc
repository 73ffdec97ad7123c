#include "daemon/discovery/beacon.h"

#include <algorithm>
#include <string_view>

#include "crypto/hash.h"

namespace accord::discovery {
namespace {

constexpr std::string_view kAd = "accord-beacon-v1";
constexpr std::string_view kKeyContext = "accord/discovery/v1";
constexpr uint8_t kVersion = 1;

struct Layout {
  static constexpr size_t kVersion = 0;
  static constexpr size_t kDevice = 1;
  static constexpr size_t kPort = 9;
  static constexpr size_t kMinutes = 11;
  static constexpr size_t kInstance = 15;
  static constexpr size_t kPadding = 23;  // zeros to the end
};

}  // namespace

crypto::SecretKey DiscoveryKey(const crypto::SecretKey& epoch_key) {
  Hash32 derived = crypto::Blake2b256Keyed(epoch_key.view(), AsBytes(kKeyContext));
  crypto::SecretKey key = crypto::SecretKey::FromBytes(derived);
  crypto::Wipe(derived);
  return key;
}

Bytes SealBeacon(const crypto::SecretKey& discovery_key, const crypto::XNonce& nonce,
                 const BeaconContent& content) {
  std::array<uint8_t, kBeaconPlaintextBytes> plain{};
  plain[Layout::kVersion] = kVersion;
  std::copy(content.device.begin(), content.device.end(), plain.begin() + Layout::kDevice);
  PutU16Be(plain.data() + Layout::kPort, content.tcp_port);
  PutU32Be(plain.data() + Layout::kMinutes, content.unix_minutes);
  PutU64Be(plain.data() + Layout::kInstance, content.instance);
  Bytes sealed = crypto::SealBody(discovery_key, nonce, AsBytes(kAd), plain);
  crypto::Wipe(plain);
  Bytes out(nonce.begin(), nonce.end());
  out.insert(out.end(), sealed.begin(), sealed.end());
  return out;
}

Result<OpenedBeacon> OpenBeacon(std::span<const EpochDiscoveryKey> keys, ByteView datagram,
                                int64_t now_unix_seconds) {
  if (datagram.size() != kBeaconBytes)
    return MakeError(ErrorCode::kInvalidArgument, "beacon: wrong length");
  crypto::XNonce nonce;
  std::copy_n(datagram.begin(), nonce.size(), nonce.begin());
  const ByteView sealed = datagram.subspan(nonce.size());
  for (const EpochDiscoveryKey& k : keys) {
    if (k.key == nullptr) continue;
    Result<Bytes> plain = crypto::OpenBody(*k.key, nonce, AsBytes(kAd), sealed);
    if (!plain.ok()) continue;
    const Bytes& p = *plain;
    if (p.size() != kBeaconPlaintextBytes || p[Layout::kVersion] != kVersion ||
        !std::all_of(p.begin() + Layout::kPadding, p.end(), [](uint8_t b) { return b == 0; })) {
      return MakeError(ErrorCode::kCorrupt, "beacon: unknown version or layout");
    }
    OpenedBeacon out;
    out.epoch = k.epoch;
    std::copy_n(p.begin() + Layout::kDevice, out.content.device.size(), out.content.device.begin());
    out.content.tcp_port = GetU16Be(p.data() + Layout::kPort);
    out.content.unix_minutes = GetU32Be(p.data() + Layout::kMinutes);
    out.content.instance = GetU64Be(p.data() + Layout::kInstance);
    const int64_t sent = int64_t{out.content.unix_minutes} * 60;
    const int64_t skew = std::chrono::seconds(kBeaconMaxSkew).count();
    // The minute was floored when sent: a beacon of this minute is up to 59 s "old".
    if (sent < now_unix_seconds - skew - 60 || sent > now_unix_seconds + skew)
      return MakeError(ErrorCode::kRefused, "beacon: stale time");
    if (out.content.tcp_port == 0) return MakeError(ErrorCode::kCorrupt, "beacon: no port");
    return out;
  }
  return MakeError(ErrorCode::kDecryptFailed, "beacon: no key opens it");
}

}  // namespace accord::discovery
