#include "crypto/padding.h"

#include <gtest/gtest.h>

namespace accord::crypto {
namespace {

constexpr size_t kBlock = 256;

TEST(PaddingTest, EverySizeRoundTripsAndLandsInItsBucket) {
  for (size_t n : {0u, 1u, 100u, 254u, 255u, 256u, 257u, 511u, 512u, 65279u}) {
    Bytes data(n, 0x80);  // the marker byte value inside the data must not confuse Unpad
    const Bytes padded = Pad(data, kBlock);
    EXPECT_EQ(padded.size(), PaddedSize(n, kBlock)) << n;
    EXPECT_EQ(padded.size() % kBlock, 0u) << n;
    EXPECT_GT(padded.size(), n) << n;
    EXPECT_LE(padded.size(), n + kBlock) << n;
    std::optional<Bytes> back = Unpad(padded, kBlock);
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, data) << n;
  }
}

TEST(PaddingTest, SizesInOneBucketLookAlike) {
  EXPECT_EQ(Pad(Bytes(1, 1), kBlock).size(), Pad(Bytes(200, 1), kBlock).size());
  EXPECT_EQ(PaddedSize(65279, kBlock), 65280u);
}

TEST(PaddingTest, BadPaddingIsRefused) {
  Bytes padded = Pad(Bytes(10, 7), kBlock);
  EXPECT_FALSE(Unpad(ByteView(padded).first(padded.size() - 1), kBlock));  // not a multiple
  EXPECT_FALSE(Unpad(Bytes{}, kBlock));
  Bytes no_marker(kBlock, 0);
  EXPECT_FALSE(Unpad(no_marker, kBlock));
  Bytes junk_after_marker = padded;
  junk_after_marker.back() = 1;
  EXPECT_FALSE(Unpad(junk_after_marker, kBlock));
  EXPECT_FALSE(Unpad(padded, 0));
}

}  // namespace
}  // namespace accord::crypto
