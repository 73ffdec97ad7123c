#include "crypto/random.h"

#include <gtest/gtest.h>

#include <array>

namespace accord::crypto {
namespace {

TEST(Random, InitCanBeCalledAgain) {
  // test_main already initialised libsodium; a second call reports success too.
  EXPECT_TRUE(Init());
}

TEST(Random, RandomBytesFillsTheWholeBuffer) {
  std::array<uint8_t, 64> a{};
  std::array<uint8_t, 64> b{};
  RandomBytes(a);
  RandomBytes(b);
  EXPECT_NE(a, b);
  EXPECT_FALSE(IsAllZero(a));
  // The last bytes are written too, not only a prefix.
  bool tail_nonzero = false;
  for (size_t i = 48; i < 64; ++i) tail_nonzero |= a[i] != 0 || b[i] != 0;
  EXPECT_TRUE(tail_nonzero);
}

TEST(Random, RandomBytesAcceptsAnEmptySpan) { RandomBytes(std::span<uint8_t>()); }

TEST(Random, RandomUniformStaysBelowTheBoundAndReachesEveryValue) {
  constexpr uint32_t kBound = 10;
  std::array<int, kBound> seen{};
  for (int i = 0; i < 2000; ++i) {
    const uint32_t v = RandomUniform(kBound);
    ASSERT_LT(v, kBound);
    ++seen[v];
  }
  for (uint32_t v = 0; v < kBound; ++v) EXPECT_GT(seen[v], 0) << v;
}

TEST(Random, RandomUniformOfOneIsAlwaysZero) {
  for (int i = 0; i < 100; ++i) EXPECT_EQ(RandomUniform(1), 0u);
}

TEST(Random, RandomFixedValuesDiffer) { EXPECT_NE(RandomFixed<16>(), RandomFixed<16>()); }

}  // namespace
}  // namespace accord::crypto
