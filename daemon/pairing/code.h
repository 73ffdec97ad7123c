// Pairing codes "N-word-word-word": a public nameplate and three words (24 secret bits).
// Any thread; pure apart from GenerateCode's randomness. Never log a code or a ParseCode
// error message: both carry the secret words. Whether a code is still valid is the daemon's.
#ifndef ACCORD_DAEMON_PAIRING_CODE_H_
#define ACCORD_DAEMON_PAIRING_CODE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace accord::pairing {

constexpr uint32_t kMinNameplate = 1;  // nameplates are 1..99: one or two digits to read aloud
constexpr uint32_t kMaxNameplate = 99;
constexpr size_t kCodeWords = 3;          // words, 8 bits each
constexpr size_t kMaxTypedCodeLen = 256;  // bytes; longer input is refused before parsing

struct PairingCode {
  uint32_t nameplate = 0;
  std::array<uint8_t, kCodeWords> secret{};  // the three word indexes
  std::string text;                          // canonical "7-crossbow-meadow-ember"
};

// "7-crossbow-meadow-ember" for the given parts. REQUIRES: nameplate in 1..99.
std::string CanonicalCodeText(uint32_t nameplate, const std::array<uint8_t, kCodeWords>& secret);

// A fresh code from the OS CSPRNG: nameplate uniform in 1..99 (or the one given: a nameplate
// not in use on the LAN), words uniform. REQUIRES: nameplate in 1..99.
PairingCode GenerateCode();
PairingCode GenerateCode(uint32_t nameplate);

// Accepts what a person types: surrounding white space, any letter case, and runs of spaces or
// '-' between the parts. kInvalidArgument with a message that says what is wrong (for an
// unknown word, the closest list word).
Result<PairingCode> ParseCode(std::string_view typed);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_CODE_H_
