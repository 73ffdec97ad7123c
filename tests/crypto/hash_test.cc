#include "crypto/hash.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_hex.h"

#include <string_view>

namespace accord::crypto {
namespace {

using testing::Hex;

Bytes Counting(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i);
  return b;
}

// Widely published BLAKE2b-256 digests (`b2sum -l 256`), also checked against CPython's
// hashlib.blake2b when this test was written.
TEST(Blake2b256, EmptyInputMatchesTheKnownAnswer) {
  EXPECT_EQ(ToHex(Blake2b256({})),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(Blake2b256, AbcMatchesTheKnownAnswer) {
  EXPECT_EQ(ToHex(Blake2b256(AsBytes("abc"))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

// Key 00..3f and message 00..fe as in the BLAKE2 reference KAT, but with a 32-byte digest;
// the expected value comes from CPython's hashlib.blake2b (the reference C code), an
// implementation independent of libsodium.
TEST(Blake2b256Keyed, MatchesAnIndependentImplementation) {
  EXPECT_EQ(ToHex(Blake2b256Keyed(Counting(64), Counting(255))),
            "fe7b76a61787c089141f9e10fca1e5092488d89c62ea793fb2c5b1f849b4f2cb");
  EXPECT_EQ(ToHex(Blake2b256Keyed(Counting(32), AsBytes("abc"))),
            "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
}

TEST(Blake2b256Keyed, DiffersFromUnkeyedAndBetweenKeys) {
  const Bytes data = Counting(40);
  const Hash32 plain = Blake2b256(data);
  const Hash32 k1 = Blake2b256Keyed(AsBytes("accord key one"), data);
  const Hash32 k2 = Blake2b256Keyed(AsBytes("accord key two"), data);
  EXPECT_NE(plain, k1);
  EXPECT_NE(k1, k2);
  EXPECT_EQ(k1, Blake2b256Keyed(AsBytes("accord key one"), data));
}

TEST(Blake2b256Hasher, AnySplitEqualsTheOneShotHash) {
  // 300 bytes cross two 128-byte BLAKE2b block boundaries.
  const Bytes data = Counting(300);
  const Hash32 expected = Blake2b256(data);
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    Blake2b256Hasher h;
    h.Update(ByteView(data).first(cut));
    h.Update(ByteView(data).subspan(cut));
    ASSERT_EQ(h.Final(), expected) << "cut at " << cut;
  }
}

TEST(Blake2b256Hasher, ByteAtATimeMatchesTheKnownAnswer) {
  Blake2b256Hasher h;
  for (char c : std::string_view("abc")) h.Update(AsBytes(std::string_view(&c, 1)));
  EXPECT_EQ(ToHex(h.Final()), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(Blake2b256Hasher, NoUpdateIsTheEmptyHash) {
  Blake2b256Hasher h;
  EXPECT_EQ(h.Final(), Blake2b256({}));
}

TEST(ConstantTimeEqual, ComparesLengthAndEveryByte) {
  const Bytes a = Hex("00112233445566778899aabbccddeeff");
  Bytes b = a;
  EXPECT_TRUE(ConstantTimeEqual(a, b));
  b[15] ^= 1;
  EXPECT_FALSE(ConstantTimeEqual(a, b));
  b = a;
  b[0] ^= 0x80;
  EXPECT_FALSE(ConstantTimeEqual(a, b));
  EXPECT_FALSE(ConstantTimeEqual(a, ByteView(a).first(15)));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
}

}  // namespace
}  // namespace accord::crypto
