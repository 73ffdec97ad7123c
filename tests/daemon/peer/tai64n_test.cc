// TAI64N labels: known values and byte order equal to time order.
#include "daemon/peer/tai64n.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace accord::peer {
namespace {

TEST(Tai64n, UnixEpochIsTwoToTheSixtySecondWithZeroNanoseconds) {
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(0)), "400000000000000000000000");
}

TEST(Tai64n, SecondsAndNanosecondsAreBigEndianFields) {
  // 2023-11-14T22:13:20.123456789Z: 1700000000 s = 0x6553f100, 123456789 ns = 0x075bcd15.
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(1'700'000'000'123'456'789)), "400000006553f100075bcd15");
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(1'000'000'000 + 1)), "400000000000000100000001");
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(999'999'999)), "40000000000000003b9ac9ff");
}

TEST(Tai64n, TimesBefore1970FloorToTheSecondBelow) {
  // -1 ns is 999,999,999 ns after second -1.
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(-1)), "3fffffffffffffff3b9ac9ff");
  EXPECT_EQ(ToHex(Tai64nFromUnixNanos(-1'000'000'000)), "3fffffffffffffff00000000");
}

TEST(Tai64n, ComparingBytesComparesTimes) {
  std::mt19937_64 rng(7);
  constexpr int64_t spread = 2'000'000'000;  // nanoseconds: neighbouring seconds
  std::uniform_int_distribution<int64_t> any(std::numeric_limits<int64_t>::min(),
                                             std::numeric_limits<int64_t>::max());
  std::uniform_int_distribution<int64_t> inner(std::numeric_limits<int64_t>::min() + spread,
                                               std::numeric_limits<int64_t>::max() - spread);
  std::uniform_int_distribution<int64_t> offset(-spread, spread);
  for (int i = 0; i < 20000; ++i) {
    // Half the pairs are far apart, half close together (same or neighbouring seconds).
    const bool nearby = i % 2 == 1;
    const int64_t a = nearby ? inner(rng) : any(rng);
    const int64_t b = nearby ? a + offset(rng) : any(rng);
    EXPECT_EQ(a < b, Tai64nFromUnixNanos(a) < Tai64nFromUnixNanos(b)) << a << " " << b;
    EXPECT_EQ(a == b, Tai64nFromUnixNanos(a) == Tai64nFromUnixNanos(b)) << a << " " << b;
  }
}

TEST(Tai64n, OneNanosecondLaterIsAlwaysGreaterAcrossSecondBoundaries) {
  for (int64_t t : {int64_t{-1'000'000'001}, int64_t{-1}, int64_t{0}, int64_t{999'999'999},
                    int64_t{1'700'000'000'999'999'999}}) {
    EXPECT_LT(Tai64nFromUnixNanos(t), Tai64nFromUnixNanos(t + 1)) << t;
  }
}

TEST(Tai64n, ReadsBackTheUnixTimeItWasMadeFrom) {
  for (int64_t t :
       {int64_t{0}, int64_t{1}, int64_t{999'999'999}, int64_t{1'700'000'000'123'456'789}})
    EXPECT_EQ(UnixNanosFromTai64n(Tai64nFromUnixNanos(t)), t) << t;
  EXPECT_EQ(UnixNanosFromTai64n(Tai64nFromUnixNanos(-5'000'000'000)), 0);  // before 1970
  Tai64n far{};
  far.fill(0x7f);  // a label no clock produces
  EXPECT_EQ(UnixNanosFromTai64n(far), 0);
}

}  // namespace
}  // namespace accord::peer
