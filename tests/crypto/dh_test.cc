#include "crypto/dh.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_hex.h"

#include <string_view>

namespace accord::crypto {
namespace {

using testing::Hex;

DhPublicKey HexKey(std::string_view hex) {
  const Bytes b = Hex(hex);
  DhPublicKey out{};
  EXPECT_EQ(b.size(), out.size()) << hex;
  std::copy_n(b.begin(), std::min(out.size(), b.size()), out.begin());
  return out;
}

// RFC 7748 §6.1.
constexpr std::string_view kAliceSecret =
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
constexpr std::string_view kAlicePublic =
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
constexpr std::string_view kBobSecret =
    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
constexpr std::string_view kBobPublic =
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
constexpr std::string_view kShared =
    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519, Rfc7748PublicKeysAndSharedSecretMatch) {
  const DhKeyPair alice = DhKeyPair::FromSecret(Secret<32>::FromBytes(Hex(kAliceSecret)));
  const DhKeyPair bob = DhKeyPair::FromSecret(Secret<32>::FromBytes(Hex(kBobSecret)));
  EXPECT_EQ(ToHex(alice.public_key()), kAlicePublic);
  EXPECT_EQ(ToHex(bob.public_key()), kBobPublic);

  Result<Secret<32>> ab = Dh(alice.secret(), HexKey(kBobPublic));
  Result<Secret<32>> ba = Dh(bob.secret(), HexKey(kAlicePublic));
  ASSERT_TRUE(ab.ok()) << ab.error().message;
  ASSERT_TRUE(ba.ok()) << ba.error().message;
  EXPECT_EQ(ToHex(ab->view()), kShared);
  EXPECT_EQ(ToHex(ba->view()), kShared);
}

TEST(X25519, GeneratedPairsAgreeAndDifferFromOthers) {
  const DhKeyPair a = DhKeyPair::Generate();
  const DhKeyPair b = DhKeyPair::Generate();
  const DhKeyPair c = DhKeyPair::Generate();
  Result<Secret<32>> ab = Dh(a.secret(), b.public_key());
  Result<Secret<32>> ba = Dh(b.secret(), a.public_key());
  Result<Secret<32>> ac = Dh(a.secret(), c.public_key());
  ASSERT_TRUE(ab.ok() && ba.ok() && ac.ok());
  EXPECT_TRUE(ab->Equals(*ba));
  EXPECT_FALSE(ab->Equals(*ac));
  EXPECT_EQ(DhKeyPair::FromSecret(a.secret()).public_key(), a.public_key());
}

// u-coordinates of small-order points (order 1, 2, 4, 8) and their non-canonical
// encodings; X25519 with any of them yields an all-zero output.
constexpr std::string_view kSmallOrderPoints[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

TEST(X25519, SmallOrderPeerKeyIsACryptoFailure) {
  const DhKeyPair mine = DhKeyPair::Generate();
  for (std::string_view point : kSmallOrderPoints) {
    Result<Secret<32>> shared = Dh(mine.secret(), HexKey(point));
    EXPECT_EQ(shared.code(), ErrorCode::kCryptoFailure) << point;
  }
}

TEST(SealedBox, RoundTripsToTheRecipient) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  const Bytes message = Hex("65706f6368206b6579206d6174657269616c");
  Result<Bytes> sealed = SealToKey(recipient.public_key(), message);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->size(), message.size() + 48);  // ephemeral key 32 + tag 16
  Result<Bytes> opened = OpenSealed(recipient, *sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, message);
}

TEST(SealedBox, EmptyMessageRoundTrips) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  Result<Bytes> sealed = SealToKey(recipient.public_key(), {});
  ASSERT_TRUE(sealed.ok());
  Result<Bytes> opened = OpenSealed(recipient, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->empty());
}

TEST(SealedBox, SealingTwiceGivesDifferentBoxes) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  Result<Bytes> a = SealToKey(recipient.public_key(), AsBytes("same"));
  Result<Bytes> b = SealToKey(recipient.public_key(), AsBytes("same"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(SealedBox, WrongRecipientCannotOpen) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  const DhKeyPair other = DhKeyPair::Generate();
  Result<Bytes> sealed = SealToKey(recipient.public_key(), AsBytes("for recipient only"));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(OpenSealed(other, *sealed).code(), ErrorCode::kDecryptFailed);
}

TEST(SealedBox, AnyFlippedByteFailsToOpen) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  Result<Bytes> sealed = SealToKey(recipient.public_key(), AsBytes("tamper me"));
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    Bytes tampered = *sealed;
    tampered[i] ^= 0x01;
    ASSERT_EQ(OpenSealed(recipient, tampered).code(), ErrorCode::kDecryptFailed) << i;
  }
}

TEST(SealedBox, TruncatedBoxFailsWithoutCrashing) {
  const DhKeyPair recipient = DhKeyPair::Generate();
  Result<Bytes> sealed = SealToKey(recipient.public_key(), AsBytes("short"));
  ASSERT_TRUE(sealed.ok());
  for (size_t n = 0; n < sealed->size(); ++n) {
    ASSERT_EQ(OpenSealed(recipient, ByteView(*sealed).first(n)).code(), ErrorCode::kDecryptFailed)
        << n;
  }
}

TEST(SealedBox, SealingToASmallOrderKeyIsACryptoFailure) {
  for (std::string_view point : kSmallOrderPoints) {
    EXPECT_EQ(SealToKey(HexKey(point), AsBytes("x")).code(), ErrorCode::kCryptoFailure) << point;
  }
}

}  // namespace
}  // namespace accord::crypto
