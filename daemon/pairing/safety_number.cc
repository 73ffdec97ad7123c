#include "daemon/pairing/safety_number.h"

#include <algorithm>
#include <cstdio>

#include "crypto/noise/hkdf_blake2b.h"

namespace accord::pairing {
namespace {

constexpr size_t kFingerprintBytes = 30;  // bytes of the final hash used: six 5-byte chunks
constexpr size_t kChunkBytes = 5;         // bytes per 5-digit group
constexpr uint64_t kChunkModulus = 100000;
constexpr size_t kGroupDigits = 5;

}  // namespace

std::string MemberFingerprint(const std::vector<log::DeviceKey>& devices) {
  std::vector<log::DeviceKey> sorted = devices;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  Bytes keys;
  for (const log::DeviceKey& key : sorted) AppendBytes(keys, key);

  // Signal's construction with BLAKE2b-512: the first round hashes version || keys || keys,
  // every later round hashes the previous output || keys. The rounds make grinding for a
  // second key set with a colliding number expensive.
  Bytes first = {static_cast<uint8_t>(kSafetyNumberVersion >> 8),
                 static_cast<uint8_t>(kSafetyNumberVersion & 0xff)};
  AppendBytes(first, keys);
  crypto::noise::HashOutput h = crypto::noise::Hash({first, keys});
  for (int i = 1; i < kSafetyNumberIterations; ++i) h = crypto::noise::Hash({h, keys});

  std::string digits;
  for (size_t offset = 0; offset < kFingerprintBytes; offset += kChunkBytes) {
    uint64_t chunk = 0;
    for (size_t i = 0; i < kChunkBytes; ++i) chunk = (chunk << 8) | h[offset + i];
    char group[8];
    std::snprintf(group, sizeof(group), "%05llu",
                  static_cast<unsigned long long>(chunk % kChunkModulus));
    digits += group;
  }
  return digits;
}

std::string SafetyNumber(const std::vector<log::DeviceKey>& member_a,
                         const std::vector<log::DeviceKey>& member_b) {
  std::string a = MemberFingerprint(member_a);
  std::string b = MemberFingerprint(member_b);
  return a <= b ? a + b : b + a;
}

std::string FormatSafetyNumber(const std::string& digits) {
  if (digits.size() != kSafetyNumberDigits ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return digits;
  }
  std::string out;
  for (size_t i = 0; i < digits.size(); i += kGroupDigits) {
    if (!out.empty()) out.push_back(' ');
    out.append(digits, i, kGroupDigits);
  }
  return out;
}

}  // namespace accord::pairing
