#include "crypto/noise/handshake_pattern.h"

#include <charconv>

namespace accord::crypto::noise {
namespace {

// Patterns as written in Noise §7.4/§7.5, one string per message, tokens separated by spaces.
// Only patterns with published vectors in ../shared/vectors/noise are listed, so every row
// here is pinned by a known-answer test; add a row together with its vectors.
struct PatternRow {
  std::string_view name;
  std::string_view initiator_premessage;
  std::string_view responder_premessage;
  std::vector<std::string_view> messages;
};

const std::vector<PatternRow>& PatternTable() {
  static const std::vector<PatternRow> table = {
      {"NN", "", "", {"e", "e ee"}},
      {"KK", "s", "s", {"e es ss", "e ee se"}},
      {"IK", "", "s", {"e es s ss", "e ee se"}},
      {"XX", "", "", {"e", "e ee s es", "s se"}},
  };
  return table;
}

std::vector<Token> ParseTokens(std::string_view text) {
  std::vector<Token> tokens;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (word == "e") tokens.push_back(Token::kE);
    if (word == "s") tokens.push_back(Token::kS);
    if (word == "ee") tokens.push_back(Token::kEE);
    if (word == "es") tokens.push_back(Token::kES);
    if (word == "se") tokens.push_back(Token::kSE);
    if (word == "ss") tokens.push_back(Token::kSS);
  }
  return tokens;
}

bool Contains(const std::vector<Token>& tokens, Token t) {
  for (Token x : tokens)
    if (x == t) return true;
  return false;
}

// Applies one "pskN" modifier (§9.2): psk0 opens the first message, pskN closes message N.
Status ApplyPskModifier(std::string_view modifier, HandshakePattern& pattern) {
  if (modifier.size() < 4 || modifier.substr(0, 3) != "psk") {
    return MakeError(ErrorCode::kInvalidArgument, "noise: unsupported pattern modifier");
  }
  std::string_view digits = modifier.substr(3);
  size_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.size() > 1 ||
      n > pattern.messages.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "noise: psk modifier out of range");
  }
  if (n == 0) {
    pattern.messages[0].insert(pattern.messages[0].begin(), Token::kPsk);
  } else {
    pattern.messages[n - 1].push_back(Token::kPsk);
  }
  ++pattern.psk_count;
  return Status::Ok();
}

}  // namespace

bool HandshakePattern::InitiatorHasPremessageStatic() const {
  return Contains(initiator_premessage, Token::kS);
}

bool HandshakePattern::ResponderHasPremessageStatic() const {
  return Contains(responder_premessage, Token::kS);
}

bool HandshakePattern::UsesLocalStatic(bool initiator) const {
  if (initiator ? InitiatorHasPremessageStatic() : ResponderHasPremessageStatic()) return true;
  // In "es" the initiator contributes e and the responder s; "se" is the reverse.
  const Token dh_with_my_static = initiator ? Token::kSE : Token::kES;
  for (size_t i = 0; i < messages.size(); ++i) {
    const bool mine = (i % 2 == 0) == initiator;
    for (Token t : messages[i]) {
      if ((mine && t == Token::kS) || t == dh_with_my_static || t == Token::kSS) return true;
    }
  }
  return false;
}

Result<HandshakePattern> LookupPattern(std::string_view name) {
  // The base name is the leading run of capitals; modifiers follow, joined by '+'.
  size_t base_len = 0;
  while (base_len < name.size() && name[base_len] >= 'A' && name[base_len] <= 'Z') ++base_len;
  const std::string_view base = name.substr(0, base_len);
  const PatternRow* row = nullptr;
  for (const PatternRow& r : PatternTable()) {
    if (r.name == base) row = &r;
  }
  if (row == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "noise: unsupported handshake pattern " + std::string(name));
  }
  HandshakePattern pattern;
  pattern.name = std::string(name);
  pattern.initiator_premessage = ParseTokens(row->initiator_premessage);
  pattern.responder_premessage = ParseTokens(row->responder_premessage);
  for (std::string_view m : row->messages) pattern.messages.push_back(ParseTokens(m));

  std::string_view modifiers = name.substr(base_len);
  while (!modifiers.empty()) {
    size_t plus = modifiers.find('+');
    ACCORD_RETURN_IF_ERROR(ApplyPskModifier(modifiers.substr(0, plus), pattern));
    if (plus == std::string_view::npos) break;
    modifiers = modifiers.substr(plus + 1);
    if (modifiers.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "noise: empty pattern modifier");
    }
  }
  return pattern;
}

Result<HandshakePattern> PatternFromProtocolName(std::string_view protocol_name) {
  constexpr std::string_view kPrefix = "Noise_";
  constexpr std::string_view kSuite = "_25519_ChaChaPoly_BLAKE2b";
  if (protocol_name.size() <= kPrefix.size() + kSuite.size() ||
      protocol_name.substr(0, kPrefix.size()) != kPrefix ||
      protocol_name.substr(protocol_name.size() - kSuite.size()) != kSuite) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "noise: unsupported protocol " + std::string(protocol_name));
  }
  return LookupPattern(
      protocol_name.substr(kPrefix.size(), protocol_name.size() - kPrefix.size() - kSuite.size()));
}

}  // namespace accord::crypto::noise
