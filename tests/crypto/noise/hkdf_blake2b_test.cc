// HMAC-BLAKE2b and Noise HKDF against values from an independent implementation: Python's
// hmac module over hashlib.blake2b (RFC 2104 with BLAKE2b's 128-byte block).
#include "crypto/noise/hkdf_blake2b.h"

#include <gtest/gtest.h>

#include <string_view>

namespace accord::crypto::noise {
namespace {

Bytes Repeat(uint8_t byte, size_t n) { return Bytes(n, byte); }

std::string HexOf(const Secret<kHashLen>& s) { return ToHex(s.view()); }

TEST(HmacBlake2b, EmptyKeyAndMessageMatchReference) {
  EXPECT_EQ(HexOf(HmacBlake2b(ByteView(), {})),
            "198cd2006f66ff83fbbd913f78aca2251caf4f19fe9475aade8cf2091b99a684"
            "66775177424f58286886cbae8229644cec747237d4b721735485e17372fdf59c");
}

TEST(HmacBlake2b, ShortKeyMatchesReferenceAndIsNotKeyedBlake2b) {
  const Bytes key = Repeat(0x0b, 20);
  const std::string hmac = HexOf(HmacBlake2b(key, {AsBytes("Hi There")}));
  EXPECT_EQ(hmac,
            "358a6a184924894fc34bee5680eedf57d84a37bb38832f288e3b27dc63a98cc8"
            "c91e76da476b508bc6b2d408a248857452906e4a20b48c6b4b55d2df0fe1dd24");
  // BLAKE2b-512 in its own keyed mode over the same input (also from Python): the trap
  // SECURITY Appendix B warns about.
  EXPECT_NE(hmac,
            "35e968d3b8ea56fa47e9d929f1f1b523ae90fe7fe0462b3caf2e45648043f7c5"
            "a3009e942a8c8690ce192baf408ab0c14659a9ba983e9049c18f4efe74b7e4df");
}

TEST(HmacBlake2b, KeyOfExactlyOneBlockIsUsedAsIs) {
  Bytes key(kBlockLen);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(HexOf(HmacBlake2b(key, {AsBytes("exactly one block of key")})),
            "627a036ea054239fb9949ca91a664f83ba687e2d032bd2832e86b99b52455ca8"
            "9f4d1a69eedef488c45d3505095d4654b5086d6266df42e491c4b4a76590c371");
}

TEST(HmacBlake2b, KeyLongerThanOneBlockIsHashedFirst) {
  EXPECT_EQ(HexOf(HmacBlake2b(Repeat(0xaa, 131),
                              {AsBytes("Test Using Larger Than Block-Size Key - Hash Key First")})),
            "a54b2943b2a20227d41ca46c0945af09bc1faefb2f49894c23aebc557fb79c48"
            "89dca74408dc865086667aedee4a3185c53a49c80b814c4c5813ea0c8b38a8f8");
}

TEST(HmacBlake2b, MessageSplitIntoPartsEqualsTheConcatenation) {
  const Bytes key = Repeat(0x42, 64);
  EXPECT_EQ(HexOf(HmacBlake2b(key, {AsBytes("Hi "), AsBytes(""), AsBytes("There")})),
            HexOf(HmacBlake2b(key, {AsBytes("Hi There")})));
}

TEST(Hkdf, ThreeOutputsMatchReference) {
  const Bytes chaining_key(kHashLen, 0);
  HkdfTriple out = Hkdf3(chaining_key, AsBytes("input key material"));
  EXPECT_EQ(HexOf(out.first),
            "19ca27b1c2d4f1e3ac2ce98eae5206ffa5d03dc9e6f45319f4d677ea0123a8fa"
            "6a53ee90f6cbbf2d76725788dd96ba11c077a27d9ec14b493024ed27c31e1030");
  EXPECT_EQ(HexOf(out.second),
            "058bcdc785bba54f4111b619670f0509b5267f12ed8fcfe868f8d3060a1b279e"
            "a7dc6c89b944289d6f9c1f4a1fa17eb58952d4c52c08d13795823390100e4677");
  EXPECT_EQ(HexOf(out.third),
            "b34cf03c11bc86043e869a31d67c81705513a66ae03e033653c8d9d0e6777ac9"
            "85ad54e0fea92eace374cc76458ce3fc6f2b0a9e83d1a24e30bd3de1099f44f9");
}

TEST(Hkdf, TwoOutputsAreThePrefixOfThree) {
  const Bytes chaining_key = Repeat(0x07, kHashLen);
  const Bytes ikm = Repeat(0x99, 32);
  HkdfPair two = Hkdf2(chaining_key, ikm);
  HkdfTriple three = Hkdf3(chaining_key, ikm);
  EXPECT_TRUE(two.first.Equals(three.first));
  EXPECT_TRUE(two.second.Equals(three.second));
  EXPECT_FALSE(two.first.Equals(two.second));
}

TEST(Hash, IsUnkeyedBlake2b512OfTheConcatenation) {
  // BLAKE2b-512("abc"), RFC 7693 Appendix A.
  EXPECT_EQ(ToHex(Hash({AsBytes("a"), AsBytes("bc")})),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

}  // namespace
}  // namespace accord::crypto::noise
