// Epoch keys sealed to one device (SECURITY §5.4): a pinned box, and every way a box must be
// refused.
#include "crypto/epoch_seal.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_hex.h"

#include <string_view>

namespace accord::crypto {
namespace {

using testing::Hex;
using testing::HexFixed;

// The vector was made once with libsodium 1.0.18 by building a sealed box by hand with a
// fixed ephemeral key (crypto_box_seal draws it at random): epk = X25519(esk, base),
// nonce = BLAKE2b-192(epk || recipient_pk), box = epk || crypto_box_easy(m, nonce,
// recipient_pk, esk); crypto_box_seal_open opened it before it was written down.
//   recipient secret = 40 41 .. 5f, ephemeral secret = a0 a1 .. bf
//   m = pact id (10 11 .. 1f) || epoch 0x0000000100000007 (big-endian) || K (c0 c1 .. df)
constexpr std::string_view kRecipientSecret =
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
constexpr std::string_view kRecipientPublic =
    "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a";
constexpr std::string_view kEphemeralPublic =
    "605a725d2a4adfeeb1a29e17edd621c1b7593ee8cdbc44ac6c4ab6e2f805d23c";
constexpr std::string_view kPact = "101112131415161718191a1b1c1d1e1f";
constexpr uint64_t kEpoch = 0x0000000100000007;
constexpr std::string_view kKey =
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
constexpr std::string_view kPlaintext =
    "101112131415161718191a1b1c1d1e1f0000000100000007"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
constexpr std::string_view kSealed =
    "605a725d2a4adfeeb1a29e17edd621c1b7593ee8cdbc44ac6c4ab6e2f805d23c3f80f904674de577ab341d"
    "007df96c011a93818a5155f3f7fbff8531706bff1ed4ee1e73c3d66595e1f2fb4496ddc6003ed279f175e1"
    "d07e74eab715f72cc38c33107a1e3b471242";

DhKeyPair Recipient() { return DhKeyPair::FromSecret(SecretKey::FromBytes(Hex(kRecipientSecret))); }

TEST(EpochSeal, PinnedBoxOpensToTheDocumentedLayout) {
  const DhKeyPair recipient = Recipient();
  ASSERT_EQ(ToHex(recipient.public_key()), kRecipientPublic);
  const Bytes sealed = Hex(kSealed);
  ASSERT_EQ(sealed.size(), kSealedEpochKeyBytes);
  EXPECT_EQ(ToHex(ByteView(sealed).first(32)), kEphemeralPublic);

  Result<Bytes> plaintext = OpenSealed(recipient, sealed);
  ASSERT_TRUE(plaintext.ok()) << plaintext.error().message;
  EXPECT_EQ(ToHex(*plaintext), kPlaintext);

  Result<SecretKey> key = OpenEpochKey(recipient, HexFixed<16>(kPact), kEpoch, sealed);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(ToHex(key->view()), kKey);
}

TEST(EpochSeal, SealedKeyOpensForItsRecipient) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  const PactIdBytes pact = HexFixed<16>(kPact);
  const SecretKey key = SecretKey::Random();
  Result<Bytes> sealed = SealEpochKey(recipient.public_key(), pact, 42, key);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->size(), kSealedEpochKeyBytes);
  Result<SecretKey> opened = OpenEpochKey(recipient, pact, 42, *sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(opened->Equals(key));
  // The plaintext carries the layout the pinned box shows.
  Result<Bytes> plaintext = OpenSealed(recipient, *sealed);
  ASSERT_TRUE(plaintext.ok());
  EXPECT_EQ(ToHex(ByteView(*plaintext).first(24)), std::string(kPact) + "000000000000002a");
}

TEST(EpochSeal, TwoSealsOfOneKeyDiffer) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  const SecretKey key = SecretKey::Random();
  Result<Bytes> a = SealEpochKey(recipient.public_key(), HexFixed<16>(kPact), 1, key);
  Result<Bytes> b = SealEpochKey(recipient.public_key(), HexFixed<16>(kPact), 1, key);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // fresh ephemeral each time
}

TEST(EpochSeal, AnotherDeviceCannotOpenIt) {
  const DhKeyPair recipient = Recipient();
  const DhKeyPair other = DhKeyPair::Generate();
  Result<SecretKey> key = OpenEpochKey(other, HexFixed<16>(kPact), kEpoch, Hex(kSealed));
  EXPECT_EQ(key.code(), ErrorCode::kDecryptFailed);
}

TEST(EpochSeal, ABoxFromAnotherPactIsRefused) {
  PactIdBytes other = HexFixed<16>(kPact);
  other[15] ^= 1;
  Result<SecretKey> key = OpenEpochKey(Recipient(), other, kEpoch, Hex(kSealed));
  EXPECT_EQ(key.code(), ErrorCode::kDecryptFailed);
  EXPECT_NE(key.error().message.find("another pact"), std::string::npos);
}

TEST(EpochSeal, ABoxFromAnotherEpochIsRefused) {
  for (uint64_t epoch : {kEpoch - 1, kEpoch + 1, uint64_t{7}, uint64_t{0}}) {
    Result<SecretKey> key = OpenEpochKey(Recipient(), HexFixed<16>(kPact), epoch, Hex(kSealed));
    EXPECT_EQ(key.code(), ErrorCode::kDecryptFailed) << epoch;
    EXPECT_NE(key.error().message.find("another epoch"), std::string::npos) << epoch;
  }
}

TEST(EpochSeal, ATruncatedOrExtendedBoxIsRefused) {
  const Bytes sealed = Hex(kSealed);
  for (size_t n : {size_t{0}, size_t{47}, size_t{48}, sealed.size() - 1}) {
    Bytes cut(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(OpenEpochKey(Recipient(), HexFixed<16>(kPact), kEpoch, cut).code(),
              ErrorCode::kDecryptFailed)
        << n;
  }
  Bytes longer = sealed;
  longer.push_back(0);
  EXPECT_EQ(OpenEpochKey(Recipient(), HexFixed<16>(kPact), kEpoch, longer).code(),
            ErrorCode::kDecryptFailed);
}

TEST(EpochSeal, AnyFlippedBitIsRefused) {
  const Bytes sealed = Hex(kSealed);
  const DhKeyPair recipient = Recipient();
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x01;
    EXPECT_EQ(OpenEpochKey(recipient, HexFixed<16>(kPact), kEpoch, bad).code(),
              ErrorCode::kDecryptFailed)
        << "byte " << i;
  }
}

TEST(EpochSeal, SealingToASmallOrderKeyFails) {
  const DhPublicKey zero{};
  EXPECT_EQ(SealEpochKey(zero, HexFixed<16>(kPact), 1, SecretKey::Random()).code(),
            ErrorCode::kCryptoFailure);
}

}  // namespace
}  // namespace accord::crypto
