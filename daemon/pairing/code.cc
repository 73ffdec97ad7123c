#include "daemon/pairing/code.h"

#include <vector>

#include "crypto/random.h"
#include "crypto/secret.h"
#include "daemon/pairing/wordlist.h"

namespace accord::pairing {
namespace {

constexpr std::string_view kExample = "7-crossbow-meadow-ember";

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '\t'; }

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Splits on runs of separators; leading and trailing ones are ignored.
std::vector<std::string> SplitParts(std::string_view s) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : s) {
    if (IsSeparator(c)) {
      if (!current.empty()) parts.push_back(current);
      crypto::Wipe(current);  // copied, not moved: a moved short string leaves its bytes behind
      current.clear();
    } else {
      current.push_back(ToLowerAscii(c));
    }
  }
  if (!current.empty()) parts.push_back(current);
  crypto::Wipe(current);
  return parts;
}

Result<uint32_t> ParseNameplate(const std::string& part) {
  const std::string hint =
      "the code must start with its number, 1 to 99 (like " + std::string(kExample) + ")";
  if (part.empty() || part.size() > 2) return Invalid(hint);
  uint32_t value = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return Invalid(hint);
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value < kMinNameplate || value > kMaxNameplate) return Invalid(hint);
  return value;
}

// The typed parts hold the secret words: wipe them however parsing ends.
struct WipeParts {
  std::vector<std::string>& parts;
  ~WipeParts() {
    for (std::string& part : parts) crypto::Wipe(part);
  }
};

const char* Ordinal(size_t i) {
  static constexpr const char* kOrdinals[kCodeWords] = {"first", "second", "third"};
  return kOrdinals[i];
}

}  // namespace

std::string CanonicalCodeText(uint32_t nameplate, const std::array<uint8_t, kCodeWords>& secret) {
  std::string text = std::to_string(nameplate);
  for (uint8_t index : secret) {
    text.push_back('-');
    text.append(WordList()[index]);
  }
  return text;
}

PairingCode GenerateCode() {
  return GenerateCode(kMinNameplate + crypto::RandomUniform(kMaxNameplate - kMinNameplate + 1));
}

PairingCode GenerateCode(uint32_t nameplate) {
  PairingCode code;
  code.nameplate = nameplate;
  for (uint8_t& index : code.secret) {
    index = static_cast<uint8_t>(crypto::RandomUniform(kWordCount));
  }
  code.text = CanonicalCodeText(code.nameplate, code.secret);
  return code;
}

Result<PairingCode> ParseCode(std::string_view typed) {
  if (typed.size() > kMaxTypedCodeLen) return Invalid("that is too long to be a pairing code");
  std::vector<std::string> parts = SplitParts(typed);
  WipeParts wipe{parts};
  if (parts.size() != 1 + kCodeWords) {
    return Invalid("a pairing code is a number and three words, like " + std::string(kExample) +
                   " (got " + std::to_string(parts.size()) + " parts)");
  }
  Result<uint32_t> nameplate = ParseNameplate(parts[0]);
  if (!nameplate.ok()) return nameplate.error();
  PairingCode code;
  code.nameplate = *nameplate;
  for (size_t i = 0; i < kCodeWords; ++i) {
    const std::string& word = parts[1 + i];
    std::optional<uint8_t> index = WordIndex(word);
    if (!index) {
      bool letters_only = true;
      for (char c : word) letters_only = letters_only && c >= 'a' && c <= 'z';
      std::string message = std::string("the ") + Ordinal(i) + " word \"" +
                            (letters_only ? word : std::string("?")) + "\" is not a pairing word";
      if (letters_only) message += "; did you mean \"" + std::string(ClosestWord(word)) + "\"?";
      return Invalid(message);
    }
    code.secret[i] = *index;
  }
  code.text = CanonicalCodeText(code.nameplate, code.secret);
  return code;
}

}  // namespace accord::pairing
