#include "daemon/peer/tai64n.h"

namespace accord::peer {
namespace {

constexpr uint64_t kTai64Bias = uint64_t{1} << 62;  // TAI64 label of second 0
constexpr int64_t kNanosPerSecond = 1'000'000'000;  // nanoseconds

}  // namespace

Tai64n Tai64nFromUnixNanos(int64_t unix_nanos) {
  // Floor division: the nanosecond part is always in [0, 1e9), also before 1970.
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    seconds -= 1;
  }
  Tai64n out;
  // |seconds| < 2^34, so the biased label stays positive and below 2^63.
  PutU64Be(out.data(), kTai64Bias + static_cast<uint64_t>(seconds));
  PutU32Be(out.data() + 8, static_cast<uint32_t>(nanos));
  return out;
}

int64_t UnixNanosFromTai64n(const Tai64n& label) {
  const uint64_t biased = GetU64Be(label.data());
  const uint32_t nanos = GetU32Be(label.data() + 8);
  // Past 2^62 + 2^33 s (year 2242) is not a clock anyone runs: read as 0, like before 1970.
  if (biased < kTai64Bias || biased - kTai64Bias > (uint64_t{1} << 33)) return 0;
  return static_cast<int64_t>(biased - kTai64Bias) * kNanosPerSecond + nanos;
}

}  // namespace accord::peer
