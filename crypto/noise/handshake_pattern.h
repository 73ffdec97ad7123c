// Noise handshake patterns (§7) and protocol-name parsing, as data for the HandshakeState's
// generic token interpreter. Any thread; pure. Executing the tokens lives in handshake_state.
// Only the 25519_ChaChaPoly_BLAKE2b suite and the pskN modifier are accepted.
#ifndef ACCORD_CRYPTO_NOISE_HANDSHAKE_PATTERN_H_
#define ACCORD_CRYPTO_NOISE_HANDSHAKE_PATTERN_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace accord::crypto::noise {

enum class Token : uint8_t { kE, kS, kEE, kES, kSE, kSS, kPsk };

struct HandshakePattern {
  std::string name;                         // e.g. "XXpsk3"
  std::vector<Token> initiator_premessage;  // keys the responder knows in advance (only kS)
  std::vector<Token> responder_premessage;  // keys the initiator knows in advance (only kS)
  // Message i is written by the initiator when i is even, by the responder when odd.
  std::vector<std::vector<Token>> messages;
  int psk_count = 0;  // psk tokens; non-zero turns on the psk rule for token e (§9.2)

  bool IsPskHandshake() const { return psk_count > 0; }
  bool InitiatorHasPremessageStatic() const;
  bool ResponderHasPremessageStatic() const;
  // Whether the given side ever sends its static key or uses it in a DH; then it needs one.
  bool UsesLocalStatic(bool initiator) const;
};

// "IK", "XX", "XXpsk3", "NN", "KK", ... : the base patterns this project supports (the
// interactive ones pinned by the published vectors) plus any pskN modifiers joined with '+'.
// kInvalidArgument for an unknown pattern or a malformed or out-of-range modifier.
Result<HandshakePattern> LookupPattern(std::string_view name);

// "Noise_<pattern>_25519_ChaChaPoly_BLAKE2b" -> the pattern. Any other DH, cipher or hash is
// kInvalidArgument: one suite, no negotiation (SECURITY §4.2).
Result<HandshakePattern> PatternFromProtocolName(std::string_view protocol_name);

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_HANDSHAKE_PATTERN_H_
