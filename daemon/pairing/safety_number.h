// The 60-digit safety number two members compare out of band (SECURITY §3.3, docs/pairing.md).
// Any thread; pure. Which keys count as a member's devices is the caller's (state) business.
#ifndef ACCORD_DAEMON_PAIRING_SAFETY_NUMBER_H_
#define ACCORD_DAEMON_PAIRING_SAFETY_NUMBER_H_

#include <string>
#include <vector>

#include "daemon/log/header.h"

namespace accord::pairing {

constexpr uint16_t kSafetyNumberVersion = 1;   // first two hashed bytes, big-endian
constexpr int kSafetyNumberIterations = 5200;  // BLAKE2b-512 invocations per member
constexpr size_t kSafetyNumberDigits = 60;     // digits, 30 per member

// 30 digits for one member: keys are sorted and de-duplicated first, so order does not matter.
std::string MemberFingerprint(const std::vector<log::DeviceKey>& devices);

// The two members' fingerprints, the smaller string first: the same on both sides whatever the
// argument order.
std::string SafetyNumber(const std::vector<log::DeviceKey>& member_a,
                         const std::vector<log::DeviceKey>& member_b);

// "12345 67890 ..." (12 groups of 5 digits). Any other input is returned unchanged.
std::string FormatSafetyNumber(const std::string& digits);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_SAFETY_NUMBER_H_
