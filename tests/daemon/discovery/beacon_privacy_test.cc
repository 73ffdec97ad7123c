// What an outsider sees in beacons (SECURITY §9, test 22): the same content sealed many times
// shares no 8-byte substring between two beacons and carries nothing recognisable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crypto/aead.h"
#include "crypto/secret.h"
#include "daemon/discovery/beacon.h"

namespace accord::discovery {
namespace {

constexpr size_t kBeacons = 10'000;
constexpr size_t kWindow = 8;  // bytes

uint64_t WindowAt(const Bytes& b, size_t at) {
  uint64_t w = 0;
  std::memcpy(&w, b.data() + at, kWindow);
  return w;
}

bool Contains(const Bytes& haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(BeaconPrivacy, TenThousandBeaconsOfOneDeviceShareNoEightByteWindow) {
  const crypto::SecretKey epoch_key = crypto::SecretKey::Random();
  const crypto::SecretKey key = DiscoveryKey(epoch_key);
  BeaconContent content;
  content.device = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};
  content.tcp_port = 41000;
  content.unix_minutes = 29'000'000;
  content.instance = 0x1122334455667788ULL;
  Bytes instance_bytes(8);
  PutU64Be(instance_bytes.data(), content.instance);

  std::unordered_map<uint64_t, size_t> first_beacon_of_window;
  first_beacon_of_window.reserve(kBeacons * (kBeaconBytes - kWindow + 1));
  size_t shared = 0;
  size_t revealing = 0;
  for (size_t i = 0; i < kBeacons; ++i) {
    const Bytes beacon = SealBeacon(key, crypto::RandomXNonce(), content);
    ASSERT_EQ(beacon.size(), kBeaconBytes);
    for (size_t at = 0; at + kWindow <= beacon.size(); ++at) {
      auto [it, inserted] = first_beacon_of_window.emplace(WindowAt(beacon, at), i);
      if (!inserted && it->second != i) ++shared;
    }
    // Any 8 bytes of the device key prefix, the keys or the instance; the app's name.
    for (ByteView secret : {ByteView(content.device), epoch_key.view(), key.view()}) {
      for (size_t at = 0; at + kWindow <= secret.size(); ++at) {
        if (Contains(beacon, secret.subspan(at, kWindow))) ++revealing;
      }
    }
    if (Contains(beacon, instance_bytes) || Contains(beacon, AsBytes("accord"))) ++revealing;
  }
  EXPECT_EQ(shared, 0u);
  EXPECT_EQ(revealing, 0u);
}

TEST(BeaconPrivacy, AllTheVariationComesFromTheNonce) {
  // Sealing is deterministic given the nonce: a repeated nonce would repeat the whole beacon
  // (and the window check above would count it), so the caller's fresh nonce is what matters.
  const crypto::SecretKey key = DiscoveryKey(crypto::SecretKey::Random());
  BeaconContent content;
  content.tcp_port = 1;
  const crypto::XNonce nonce = crypto::RandomXNonce();
  const Bytes a = SealBeacon(key, nonce, content);
  const Bytes b = SealBeacon(key, nonce, content);
  EXPECT_EQ(a, b);
  EXPECT_EQ(WindowAt(a, 30), WindowAt(b, 30));
}

}  // namespace
}  // namespace accord::discovery
