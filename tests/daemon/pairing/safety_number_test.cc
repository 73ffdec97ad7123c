#include "daemon/pairing/safety_number.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/random.h"

namespace accord::pairing {
namespace {

log::DeviceKey KeyOfBytes(uint8_t start) {
  log::DeviceKey key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(start + i);
  return key;
}

log::DeviceKey Filled(uint8_t value) {
  log::DeviceKey key;
  key.fill(value);
  return key;
}

bool AllDigits(const std::string& s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

TEST(SafetyNumber, IsSixtyDigits) {
  std::string number = SafetyNumber({crypto::RandomFixed<32>()}, {crypto::RandomFixed<32>()});
  EXPECT_EQ(number.size(), kSafetyNumberDigits);
  EXPECT_TRUE(AllDigits(number)) << number;
}

TEST(SafetyNumber, IsTheSameWhateverTheArgumentOrder) {
  for (int i = 0; i < 5; ++i) {
    std::vector<log::DeviceKey> a = {crypto::RandomFixed<32>(), crypto::RandomFixed<32>()};
    std::vector<log::DeviceKey> b = {crypto::RandomFixed<32>()};
    EXPECT_EQ(SafetyNumber(a, b), SafetyNumber(b, a));
    std::vector<log::DeviceKey> a_reversed(a.rbegin(), a.rend());
    EXPECT_EQ(SafetyNumber(a, b), SafetyNumber(b, a_reversed)) << "device order is irrelevant";
  }
}

TEST(SafetyNumber, ChangesWhenAnyKeyChanges) {
  const std::vector<log::DeviceKey> a = {crypto::RandomFixed<32>(), crypto::RandomFixed<32>()};
  const std::vector<log::DeviceKey> b = {crypto::RandomFixed<32>()};
  const std::string original = SafetyNumber(a, b);
  std::set<std::string> seen = {original};
  for (size_t member = 0; member < 2; ++member) {
    const std::vector<log::DeviceKey>& keys = member == 0 ? a : b;
    for (size_t k = 0; k < keys.size(); ++k) {
      for (size_t byte : {0, 13, 31}) {
        std::vector<log::DeviceKey> changed = keys;
        changed[k][byte] ^= 0x01;
        const std::string number =
            member == 0 ? SafetyNumber(changed, b) : SafetyNumber(a, changed);
        EXPECT_NE(number, original) << "member " << member << " key " << k << " byte " << byte;
        seen.insert(number);
      }
    }
  }
  EXPECT_EQ(seen.size(), 1u + 3 * 3);
}

TEST(SafetyNumber, ChangesWhenADeviceJoinsOrLeaves) {
  const log::DeviceKey a1 = crypto::RandomFixed<32>(), a2 = crypto::RandomFixed<32>();
  const log::DeviceKey b1 = crypto::RandomFixed<32>();
  EXPECT_NE(SafetyNumber({a1}, {b1}), SafetyNumber({a1, a2}, {b1}));
  EXPECT_EQ(SafetyNumber({a1, a1}, {b1}), SafetyNumber({a1}, {b1})) << "duplicates count once";
}

// Pinned with an independent implementation in Python's hashlib (docs/pairing.md shows the
// script): member A = keys 00..1f and 20..3f (passed in reverse order), member B = 32 x a5.
TEST(SafetyNumber, MatchesTheKnownAnswerComputedWithPythonHashlib) {
  const std::vector<log::DeviceKey> a = {KeyOfBytes(0x20), KeyOfBytes(0x00)};
  const std::vector<log::DeviceKey> b = {Filled(0xa5)};
  EXPECT_EQ(MemberFingerprint(a), "000402959717334425148017625493");
  EXPECT_EQ(MemberFingerprint(b), "775702441310954224807370163821");
  EXPECT_EQ(SafetyNumber(b, a), "000402959717334425148017625493775702441310954224807370163821");
}

TEST(FormatSafetyNumber, ShowsTwelveGroupsOfFive) {
  const std::string digits = "000402959717334425148017625493775702441310954224807370163821";
  EXPECT_EQ(FormatSafetyNumber(digits),
            "00040 29597 17334 42514 80176 25493 77570 24413 10954 22480 73701 63821");
}

TEST(FormatSafetyNumber, LeavesAnythingElseUnchanged) {
  EXPECT_EQ(FormatSafetyNumber(""), "");
  EXPECT_EQ(FormatSafetyNumber("12345"), "12345");
  std::string letters(60, 'x');
  EXPECT_EQ(FormatSafetyNumber(letters), letters);
}

}  // namespace
}  // namespace accord::pairing
