// Hex literals for the crypto tests' known-answer vectors. Test thread only.
#ifndef ACCORD_TESTS_CRYPTO_TEST_HEX_H_
#define ACCORD_TESTS_CRYPTO_TEST_HEX_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "base/bytes.h"

namespace accord::crypto::testing {

inline Bytes Hex(std::string_view hex) {
  std::optional<Bytes> b = FromHex(hex);
  EXPECT_TRUE(b.has_value()) << hex;
  return b.value_or(Bytes{});
}

template <size_t N>
FixedBytes<N> HexFixed(std::string_view hex) {
  const Bytes b = Hex(hex);
  FixedBytes<N> out{};
  EXPECT_EQ(b.size(), N) << hex;
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

}  // namespace accord::crypto::testing

#endif  // ACCORD_TESTS_CRYPTO_TEST_HEX_H_
