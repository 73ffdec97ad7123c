#include "daemon/discovery/beacon.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "crypto/aead.h"
#include "crypto/secret.h"

namespace accord::discovery {
namespace {

constexpr int64_t kNow = 1'750'000'000;  // seconds since the Unix epoch (June 2025)

BeaconContent SomeContent() {
  BeaconContent c;
  c.device = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  c.tcp_port = 41234;
  c.unix_minutes = static_cast<uint32_t>(kNow / 60);
  c.instance = 0xfeedfacecafebeefULL;
  return c;
}

crypto::XNonce NonceOf(uint8_t first) {
  crypto::XNonce n;
  for (size_t i = 0; i < n.size(); ++i) n[i] = static_cast<uint8_t>(first + i);
  return n;
}

// A beacon sealed the way SealBeacon does, around any 32-byte plaintext.
Bytes SealCrafted(const crypto::SecretKey& key, const crypto::XNonce& nonce,
                  const std::array<uint8_t, 32>& plaintext) {
  Bytes out(nonce.begin(), nonce.end());
  AppendBytes(out, crypto::SealBody(key, nonce, AsBytes("accord-beacon-v1"), plaintext));
  return out;
}

std::array<uint8_t, 32> GoodPlaintext() {
  std::array<uint8_t, 32> p{};
  p[0] = 1;
  for (size_t i = 1; i <= 8; ++i) p[i] = static_cast<uint8_t>(i);
  p[9] = 0x30;  // port 0x3039 = 12345
  p[10] = 0x39;
  PutU32Be(p.data() + 11, static_cast<uint32_t>(kNow / 60));
  PutU64Be(p.data() + 15, 7);
  return p;
}

class BeaconTest : public testing::Test {
 protected:
  crypto::SecretKey epoch4_ = crypto::SecretKey::Random();
  crypto::SecretKey epoch5_ = crypto::SecretKey::Random();
  crypto::SecretKey disc4_ = DiscoveryKey(epoch4_);
  crypto::SecretKey disc5_ = DiscoveryKey(epoch5_);
  std::vector<EpochDiscoveryKey> keys_ = {{5, &disc5_}, {4, &disc4_}};
};

TEST_F(BeaconTest, SealThenOpenGivesTheContentAndTheEpoch) {
  const Bytes beacon = SealBeacon(disc5_, NonceOf(3), SomeContent());
  ASSERT_EQ(beacon.size(), kBeaconBytes);
  Result<OpenedBeacon> opened = OpenBeacon(keys_, beacon, kNow);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->content, SomeContent());
  EXPECT_EQ(opened->epoch, 5u);
}

TEST_F(BeaconTest, TheNonceTravelsFirstAndInClear) {
  const crypto::XNonce nonce = NonceOf(9);
  const Bytes beacon = SealBeacon(disc5_, nonce, SomeContent());
  EXPECT_TRUE(std::equal(nonce.begin(), nonce.end(), beacon.begin()));
}

TEST_F(BeaconTest, EveryFlippedBitIsRejected) {
  const Bytes beacon = SealBeacon(disc5_, NonceOf(1), SomeContent());
  ASSERT_TRUE(OpenBeacon(keys_, beacon, kNow).ok());
  for (size_t bit = 0; bit < kBeaconBytes * 8; ++bit) {
    Bytes tampered = beacon;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Result<OpenedBeacon> opened = OpenBeacon(keys_, tampered, kNow);
    ASSERT_FALSE(opened.ok()) << "bit " << bit;
    EXPECT_EQ(opened.code(), ErrorCode::kDecryptFailed) << "bit " << bit;
  }
}

TEST_F(BeaconTest, TruncatedAndExtendedDatagramsAreRefusedBeforeAnyCrypto) {
  const Bytes beacon = SealBeacon(disc5_, NonceOf(1), SomeContent());
  for (size_t len = 0; len < kBeaconBytes; ++len) {
    Result<OpenedBeacon> opened = OpenBeacon(keys_, ByteView(beacon).first(len), kNow);
    EXPECT_EQ(opened.code(), ErrorCode::kInvalidArgument) << "length " << len;
  }
  for (size_t extra = 1; extra <= 64; ++extra) {
    Bytes longer = beacon;
    longer.resize(beacon.size() + extra, 0);
    EXPECT_EQ(OpenBeacon(keys_, longer, kNow).code(), ErrorCode::kInvalidArgument)
        << "extra " << extra;
  }
  // No key at all: a wrong length still says so, and the right length has nothing to open it.
  EXPECT_EQ(OpenBeacon({}, ByteView(beacon).first(71), kNow).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(OpenBeacon({}, beacon, kNow).code(), ErrorCode::kDecryptFailed);
}

TEST_F(BeaconTest, AnotherPactsKeyDoesNotOpenIt) {
  const crypto::SecretKey stranger = DiscoveryKey(crypto::SecretKey::Random());
  const Bytes beacon = SealBeacon(stranger, NonceOf(1), SomeContent());
  EXPECT_EQ(OpenBeacon(keys_, beacon, kNow).code(), ErrorCode::kDecryptFailed);
}

TEST_F(BeaconTest, TheEpochKeyItselfDoesNotOpenIt) {
  const Bytes beacon = SealBeacon(disc5_, NonceOf(1), SomeContent());
  const std::vector<EpochDiscoveryKey> raw = {{5, &epoch5_}};
  EXPECT_EQ(OpenBeacon(raw, beacon, kNow).code(), ErrorCode::kDecryptFailed);
}

TEST_F(BeaconTest, ThePreviousEpochsKeyOpensItInEitherOrder) {
  const Bytes old_beacon = SealBeacon(disc4_, NonceOf(2), SomeContent());
  const std::vector<EpochDiscoveryKey> current_first = {{5, &disc5_}, {4, &disc4_}};
  const std::vector<EpochDiscoveryKey> previous_first = {{4, &disc4_}, {5, &disc5_}};
  for (const auto* keys : {&current_first, &previous_first}) {
    Result<OpenedBeacon> opened = OpenBeacon(*keys, old_beacon, kNow);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->epoch, 4u);
    EXPECT_EQ(opened->content, SomeContent());
  }
  Result<OpenedBeacon> current =
      OpenBeacon(previous_first, SealBeacon(disc5_, NonceOf(3), SomeContent()), kNow);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->epoch, 5u);
}

TEST_F(BeaconTest, TimesUpToTenMinutesAwayAreAcceptedAndBeyondAreStale) {
  const BeaconContent content = SomeContent();
  const int64_t sent = int64_t{content.unix_minutes} * 60;
  const Bytes beacon = SealBeacon(disc5_, NonceOf(1), content);
  EXPECT_TRUE(OpenBeacon(keys_, beacon, sent).ok());
  EXPECT_TRUE(OpenBeacon(keys_, beacon, sent + 600).ok());  // the receiver is 10 min ahead
  EXPECT_TRUE(OpenBeacon(keys_, beacon, sent - 600).ok());  // the receiver is 10 min behind
  for (int64_t now : {sent + 601, sent - 601, sent + 3600, sent - 86400, int64_t{0}}) {
    Result<OpenedBeacon> opened = OpenBeacon(keys_, beacon, now);
    ASSERT_FALSE(opened.ok()) << "now " << now;
    EXPECT_EQ(opened.code(), ErrorCode::kRefused) << "now " << now;
    EXPECT_NE(opened.error().message.find("stale"), std::string::npos);
  }
}

TEST_F(BeaconTest, TheLargestTimesDoNotOverflow) {
  BeaconContent content = SomeContent();
  content.unix_minutes = UINT32_MAX;
  const Bytes beacon = SealBeacon(disc5_, NonceOf(1), content);
  EXPECT_TRUE(OpenBeacon(keys_, beacon, int64_t{UINT32_MAX} * 60).ok());
  EXPECT_EQ(OpenBeacon(keys_, beacon, kNow).code(), ErrorCode::kRefused);
  EXPECT_EQ(OpenBeacon(keys_, beacon, INT64_MIN).code(), ErrorCode::kRefused);
  EXPECT_EQ(OpenBeacon(keys_, beacon, INT64_MAX).code(), ErrorCode::kRefused);
}

TEST_F(BeaconTest, AWellFormedCraftedPlaintextOpens) {
  // The crafting itself is right: the good plaintext opens.
  Result<OpenedBeacon> good =
      OpenBeacon(keys_, SealCrafted(disc5_, NonceOf(1), GoodPlaintext()), kNow);
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(good->content.tcp_port, 12345);
  EXPECT_EQ(good->content.instance, 7u);
  EXPECT_EQ(good->content.device, (std::array<uint8_t, 8>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_F(BeaconTest, AnotherVersionIsRefused) {
  for (uint8_t version : {0, 2, 0x80, 0xff}) {
    std::array<uint8_t, 32> p = GoodPlaintext();
    p[0] = version;
    Result<OpenedBeacon> opened = OpenBeacon(keys_, SealCrafted(disc5_, NonceOf(1), p), kNow);
    EXPECT_EQ(opened.code(), ErrorCode::kBadBody) << "version " << int{version};
  }
}

TEST_F(BeaconTest, NonZeroPaddingIsRefused) {
  for (size_t at = 23; at < 32; ++at) {
    for (uint8_t value : {0x01, 0x80}) {
      std::array<uint8_t, 32> p = GoodPlaintext();
      p[at] = value;
      Result<OpenedBeacon> opened = OpenBeacon(keys_, SealCrafted(disc5_, NonceOf(1), p), kNow);
      EXPECT_EQ(opened.code(), ErrorCode::kBadBody) << "padding byte " << at;
    }
  }
}

TEST_F(BeaconTest, PortZeroIsRefused) {
  std::array<uint8_t, 32> p = GoodPlaintext();
  p[9] = 0;
  p[10] = 0;
  EXPECT_EQ(OpenBeacon(keys_, SealCrafted(disc5_, NonceOf(1), p), kNow).code(),
            ErrorCode::kBadBody);
}

TEST(DiscoveryKey, DependsOnTheEpochKeyAndIsNotIt) {
  const crypto::SecretKey epoch = crypto::SecretKey::Random();
  const crypto::SecretKey a = DiscoveryKey(epoch);
  EXPECT_TRUE(a.Equals(DiscoveryKey(epoch)));
  EXPECT_FALSE(a.Equals(epoch));
  EXPECT_FALSE(a.Equals(DiscoveryKey(crypto::SecretKey::Random())));
}

// Computed independently of libsodium (tests/daemon/discovery/beacon_vector.py: Python's
// hashlib BLAKE2b, and HChaCha20 + the `cryptography` package's ChaCha20-Poly1305, checked
// against the Wycheproof XChaCha20-Poly1305 vectors). Pins the key derivation, the plaintext
// layout, the associated data and the wire order byte for byte.
TEST(BeaconVector, MatchesAnIndependentComputation) {
  Bytes epoch_bytes;
  for (uint8_t b = 0x40; b < 0x60; ++b) epoch_bytes.push_back(b);
  const crypto::SecretKey epoch = crypto::SecretKey::FromBytes(epoch_bytes);
  const crypto::SecretKey disc = DiscoveryKey(epoch);
  EXPECT_EQ(ToHex(disc.view()), "b186796385f12be50550fde65608d1fa9a5c6142fff169648aee8d7e771ee225");

  crypto::XNonce nonce;
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<uint8_t>(0xa0 + i);
  BeaconContent content;
  content.device = {1, 2, 3, 4, 5, 6, 7, 8};
  content.tcp_port = 41000;
  content.unix_minutes = 29'000'000;
  content.instance = 0x0123456789abcdefULL;
  const Bytes beacon = SealBeacon(disc, nonce, content);
  EXPECT_EQ(ToHex(beacon),
            "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7"
            "7445b3eeedea84fc93fd24845f3e5f1b1b241895aab4fcbf7446012912a82636"
            "4f56c4b6e1231c03897476a08d924283");

  const std::vector<EpochDiscoveryKey> keys = {{1, &disc}};
  Result<OpenedBeacon> opened = OpenBeacon(keys, beacon, int64_t{29'000'000} * 60);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->content, content);
}

}  // namespace
}  // namespace accord::discovery
