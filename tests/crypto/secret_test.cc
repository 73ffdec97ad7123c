#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace accord::crypto {
namespace {

// Copying a secret must be explicit (Clone); moves must not throw so containers move them.
static_assert(!std::is_copy_constructible_v<Secret<32>>);
static_assert(!std::is_copy_assignable_v<Secret<32>>);
static_assert(std::is_nothrow_move_constructible_v<Secret<32>>);
static_assert(std::is_nothrow_move_assignable_v<Secret<32>>);

Bytes Pattern(size_t n, uint8_t start) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(start + i);
  return b;
}

bool ViewEquals(ByteView a, const Bytes& b) { return Bytes(a.begin(), a.end()) == b; }

TEST(Secret, StartsAllZero) {
  Secret<48> s;
  EXPECT_TRUE(ViewEquals(s.view(), Bytes(48, 0)));
}

TEST(Secret, FromBytesKeepsEveryByte) {
  const Bytes bytes = Pattern(32, 7);
  Secret<32> s = Secret<32>::FromBytes(bytes);
  EXPECT_TRUE(ViewEquals(s.view(), bytes));
}

TEST(Secret, MoveConstructionLeavesTheSourceEmpty) {
  const Bytes bytes = Pattern(32, 1);
  Secret<32> a = Secret<32>::FromBytes(bytes);
  Secret<32> b(std::move(a));
  // data() on a moved-from secret is only read here to prove ownership moved.
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(ViewEquals(b.view(), bytes));
}

TEST(Secret, MoveAssignmentReplacesTheValueAndEmptiesTheSource) {
  const Bytes first = Pattern(32, 1);
  const Bytes second = Pattern(32, 100);
  Secret<32> a = Secret<32>::FromBytes(first);
  Secret<32> b = Secret<32>::FromBytes(second);
  a = std::move(b);
  EXPECT_EQ(b.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(ViewEquals(a.view(), second));
}

TEST(Secret, SelfMoveAssignmentKeepsTheValue) {
  const Bytes bytes = Pattern(32, 9);
  Secret<32> a = Secret<32>::FromBytes(bytes);
  Secret<32>& alias = a;
  a = std::move(alias);
  EXPECT_TRUE(ViewEquals(a.view(), bytes));
}

TEST(Secret, CloneIsEqualButIndependent) {
  Secret<32> a = Secret<32>::Random();
  Secret<32> b = a.Clone();
  EXPECT_TRUE(a.Equals(b));
  EXPECT_NE(a.data(), b.data());
  b.data()[0] ^= 1;
  EXPECT_FALSE(a.Equals(b));
}

TEST(Secret, EqualsLooksAtTheLastByte) {
  Bytes bytes = Pattern(32, 3);
  Secret<32> a = Secret<32>::FromBytes(bytes);
  bytes[31] ^= 0x80;
  Secret<32> b = Secret<32>::FromBytes(bytes);
  EXPECT_FALSE(a.Equals(b));
}

TEST(Secret, RandomSecretsDifferAndAreNotZero) {
  Secret<32> a = Secret<32>::Random();
  Secret<32> b = Secret<32>::Random();
  EXPECT_FALSE(a.Equals(b));
  EXPECT_FALSE(a.Equals(Secret<32>()));
}

TEST(SecureAlloc, ReturnsZeroedMemoryAndFreeAcceptsNull) {
  uint8_t* p = internal::SecureAlloc(100);
  ASSERT_NE(p, nullptr);
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(p[i], 0) << i;
  internal::SecureFree(p, 100);
  internal::SecureFree(nullptr, 100);
}

}  // namespace
}  // namespace accord::crypto
