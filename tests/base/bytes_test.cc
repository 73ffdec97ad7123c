#include "base/bytes.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(Bytes, HexRoundTrips) {
  Bytes b = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(ToHex(b), "0001abff");
  EXPECT_EQ(FromHex("0001ABff").value(), b);
}

TEST(Bytes, FromHexRejectsOddLengthAndNonHex) {
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
  EXPECT_TRUE(FromHex("").has_value());
}

TEST(Bytes, BigEndianIntegersRoundTrip) {
  uint8_t buf[8];
  PutU64Be(buf, 0x0102030405060708ULL);
  EXPECT_EQ(buf[0], 1);
  EXPECT_EQ(buf[7], 8);
  EXPECT_EQ(GetU64Be(buf), 0x0102030405060708ULL);
  PutU32Be(buf, 0xdeadbeef);
  EXPECT_EQ(GetU32Be(buf), 0xdeadbeefU);
}

TEST(Bytes, LengthPrefixKeepsConcatenationUnambiguous) {
  Bytes a, b;
  AppendLengthPrefixed(a, AsBytes("ab"));
  AppendLengthPrefixed(a, AsBytes("c"));
  AppendLengthPrefixed(b, AsBytes("a"));
  AppendLengthPrefixed(b, AsBytes("bc"));
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace accord
