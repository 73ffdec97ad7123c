#include "daemon/discovery/beacon.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/random.h"
#include "daemon/discovery/cadence.h"

namespace accord::discovery {
namespace {

constexpr int64_t kNow = 1'790'000'000;  // unix seconds

class BeaconTest : public ::testing::Test {
 protected:
  BeaconTest()
      : epoch_key_(crypto::SecretKey::Random()),
        key_(DiscoveryKey(epoch_key_)),
        old_key_(DiscoveryKey(crypto::SecretKey::Random())) {
    content_.device = {1, 2, 3, 4, 5, 6, 7, 8};
    content_.tcp_port = 41877;
    content_.unix_minutes = static_cast<uint32_t>(kNow / 60);
    content_.instance = 0x0102030405060708ull;
  }
  Bytes Seal() const { return SealBeacon(key_, crypto::RandomXNonce(), content_); }
  Result<OpenedBeacon> Open(ByteView datagram, int64_t now = kNow) const {
    EpochDiscoveryKey keys[] = {{7, &key_}, {6, &old_key_}};
    return OpenBeacon(keys, datagram, now);
  }

  crypto::SecretKey epoch_key_;
  crypto::SecretKey key_;
  crypto::SecretKey old_key_;
  BeaconContent content_;
};

TEST_F(BeaconTest, ABeaconIsSeventyTwoBytesAndOpensToWhatWasSealed) {
  Bytes b = Seal();
  ASSERT_EQ(b.size(), kBeaconBytes);
  ASSERT_EQ(kBeaconBytes, 72u);
  Result<OpenedBeacon> opened = Open(b);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->content, content_);
  EXPECT_EQ(opened->epoch, 7u);
}

TEST_F(BeaconTest, EveryFlippedBitIsRejected) {
  const Bytes good = Seal();
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    Bytes bad = good;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(Open(bad).ok()) << "bit " << bit;
  }
}

TEST_F(BeaconTest, WrongLengthsAreRejectedBeforeAnyDecryption) {
  Bytes b = Seal();
  for (size_t n : {size_t{0}, size_t{1}, kBeaconBytes - 1, kBeaconBytes + 1, size_t{512}}) {
    Bytes other(n, 0);
    std::copy_n(b.begin(), std::min(n, b.size()), other.begin());
    Result<OpenedBeacon> r = Open(other);
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.code(), ErrorCode::kInvalidArgument) << n;
  }
}

TEST_F(BeaconTest, AnotherPactsKeyDoesNotOpenItButThePreviousEpochsDoes) {
  crypto::SecretKey stranger = DiscoveryKey(crypto::SecretKey::Random());
  EpochDiscoveryKey strangers[] = {{1, &stranger}};
  EXPECT_EQ(OpenBeacon(strangers, Seal(), kNow).code(), ErrorCode::kDecryptFailed);
  Bytes under_old = SealBeacon(old_key_, crypto::RandomXNonce(), content_);
  Result<OpenedBeacon> opened = Open(under_old);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->epoch, 6u);
  EpochDiscoveryKey reversed[] = {{6, &old_key_}, {7, &key_}};  // order does not matter
  ASSERT_TRUE(OpenBeacon(reversed, Seal(), kNow).ok());
  EXPECT_EQ(OpenBeacon(reversed, Seal(), kNow)->epoch, 7u);
}

TEST_F(BeaconTest, TheBeaconKeyIsNotTheEpochKey) {
  EXPECT_FALSE(key_.Equals(epoch_key_));
  EpochDiscoveryKey raw[] = {{7, &epoch_key_}};
  EXPECT_FALSE(OpenBeacon(raw, Seal(), kNow).ok());
  EXPECT_TRUE(DiscoveryKey(epoch_key_).Equals(key_));  // derived, so every device agrees
}

TEST_F(BeaconTest, TimesWithinTenMinutesEitherWayAreAcceptedAndBeyondRefused) {
  const Bytes b = Seal();
  const int64_t sent = int64_t{content_.unix_minutes} * 60;
  EXPECT_TRUE(Open(b, sent + 10 * 60).ok());
  EXPECT_TRUE(Open(b, sent - 10 * 60).ok());
  EXPECT_EQ(Open(b, sent + 12 * 60).code(), ErrorCode::kRefused);
  EXPECT_EQ(Open(b, sent - 11 * 60).code(), ErrorCode::kRefused);
  EXPECT_EQ(Open(b, 0).code(), ErrorCode::kRefused);
}

TEST_F(BeaconTest, AnUnknownVersionOrNonZeroPaddingIsRefusedEvenUnderTheRightKey) {
  // Sealed by hand with the same AEAD: what a future or broken sender could produce.
  for (size_t at : {size_t{0}, size_t{23}, size_t{31}}) {
    std::array<uint8_t, kBeaconPlaintextBytes> plain{};
    plain[0] = 1;
    plain[10] = 1;  // a port
    PutU32Be(plain.data() + 11, content_.unix_minutes);
    plain[at] = at == 0 ? 2 : 1;
    crypto::XNonce nonce = crypto::RandomXNonce();
    Bytes sealed = crypto::SealBody(key_, nonce, AsBytes("accord-beacon-v1"), plain);
    Bytes datagram(nonce.begin(), nonce.end());
    datagram.insert(datagram.end(), sealed.begin(), sealed.end());
    EXPECT_EQ(Open(datagram).code(), ErrorCode::kCorrupt) << at;
  }
}

// SECURITY §7.2: nothing links two beacons of a device but what no application can hide.
TEST_F(BeaconTest, NoEightByteSubstringRepeatsAcrossTenThousandBeaconsOfOneDevice) {
  constexpr int kBeacons = 10000;
  std::unordered_map<std::string, int> first_seen_in;
  first_seen_in.reserve(kBeacons * 65);
  const std::string device(content_.device.begin(), content_.device.end());
  const std::string key(reinterpret_cast<const char*>(key_.data()), key_.size());
  for (int i = 0; i < kBeacons; ++i) {
    Bytes b = Seal();
    const std::string s(b.begin(), b.end());
    ASSERT_EQ(s.find(device), std::string::npos);
    ASSERT_EQ(s.find("accord"), std::string::npos);
    ASSERT_EQ(s.find(key.substr(0, 8)), std::string::npos);
    for (size_t at = 0; at + 8 <= s.size(); ++at) {
      auto [it, added] = first_seen_in.emplace(s.substr(at, 8), i);
      ASSERT_TRUE(added || it->second == i)
          << "beacons " << it->second << " and " << i << " share 8 bytes at offset " << at;
    }
  }
}

TEST(BeaconCadenceTest, BeaconsAreFortyFiveSecondsApartPlusOrMinusTwentyPercent) {
  EXPECT_EQ(NextBeaconDelay(0.0), std::chrono::milliseconds(36000));
  EXPECT_EQ(NextBeaconDelay(0.5), std::chrono::milliseconds(45000));
  EXPECT_LE(NextBeaconDelay(0.999999), std::chrono::milliseconds(54000));
  EXPECT_GE(NextBeaconDelay(0.999999), std::chrono::milliseconds(53999));
}

}  // namespace
}  // namespace accord::discovery
