#include "crypto/sign.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_hex.h"

#include <string_view>

namespace accord::crypto {
namespace {

using testing::Hex;
using testing::HexFixed;

struct Rfc8032Case {
  const char* name;
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, TEST 1-3 (Ed25519).
constexpr Rfc8032Case kRfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
     "39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f"
     "3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67"
     "f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519, Rfc8032VectorsReproduceKeyAndSignature) {
  for (const Rfc8032Case& c : kRfc8032) {
    SCOPED_TRACE(c.name);
    const SigningKey key = SigningKey::FromSeed(Secret<32>::FromBytes(Hex(c.seed)));
    EXPECT_EQ(ToHex(key.public_key()), c.public_key);
    const Bytes message = Hex(c.message);
    const Signature sig = key.Sign(message);
    EXPECT_EQ(ToHex(sig), c.signature);
    EXPECT_TRUE(VerifySignature(HexFixed<32>(c.public_key), message, HexFixed<64>(c.signature)));
  }
}

TEST(Ed25519, GeneratedKeyVerifiesItsOwnSignatureAndKeepsItsSeed) {
  const SigningKey key = SigningKey::Generate();
  const Bytes message = Hex("00010203");
  EXPECT_TRUE(VerifySignature(key.public_key(), message, key.Sign(message)));
  EXPECT_EQ(SigningKey::FromSeed(key.seed()).public_key(), key.public_key());
  EXPECT_NE(SigningKey::Generate().public_key(), key.public_key());
}

TEST(Ed25519, AnyFlippedMessageBitFailsVerification) {
  const SigningKey key = SigningKey::Generate();
  const Bytes message = Hex("6163636f726420656e747279206865616465720a");
  const Signature sig = key.Sign(message);
  for (size_t bit = 0; bit < message.size() * 8; ++bit) {
    Bytes tampered = message;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(VerifySignature(key.public_key(), tampered, sig)) << "bit " << bit;
  }
  Bytes longer = message;
  longer.push_back(0);
  EXPECT_FALSE(VerifySignature(key.public_key(), longer, sig));
  EXPECT_FALSE(VerifySignature(key.public_key(), ByteView(message).first(message.size() - 1), sig));
}

TEST(Ed25519, AnyFlippedSignatureBitFailsVerification) {
  const SigningKey key = SigningKey::Generate();
  const Bytes message = Hex("0102030405");
  const Signature sig = key.Sign(message);
  for (size_t bit = 0; bit < sig.size() * 8; ++bit) {
    Signature tampered = sig;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(VerifySignature(key.public_key(), message, tampered)) << "bit " << bit;
  }
}

TEST(Ed25519, SignatureByAnotherKeyFails) {
  const SigningKey a = SigningKey::Generate();
  const SigningKey b = SigningKey::Generate();
  const Bytes message = Hex("abcdef");
  EXPECT_FALSE(VerifySignature(b.public_key(), message, a.Sign(message)));
}

TEST(Ed25519, NonCanonicalScalarIsRejected) {
  // S + L (L = the group order) satisfies the verification equation exactly like S, so a
  // lax verifier accepts it: signatures would be malleable.
  const SigningKey key = SigningKey::Generate();
  const Bytes message = Hex("0badc0de");
  Signature sig = key.Sign(message);
  ASSERT_TRUE(VerifySignature(key.public_key(), message, sig));
  const Bytes order = Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {  // little-endian S lives in bytes 32..63
    const unsigned sum = sig[32 + i] + order[i] + carry;
    sig[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(VerifySignature(key.public_key(), message, sig));
}

TEST(Ed25519, IdentityKeyWithIdentitySignatureIsRejected) {
  // With A = R = the identity point and S = 0, [S]B = R + [k]A holds for every message; only
  // the small-order checks stop this universal forgery.
  const SigningPublicKey identity =
      HexFixed<32>("0100000000000000000000000000000000000000000000000000000000000000");
  Signature sig{};
  sig[0] = 1;
  EXPECT_FALSE(VerifySignature(identity, AsBytes("any message"), sig));
}

}  // namespace
}  // namespace accord::crypto
