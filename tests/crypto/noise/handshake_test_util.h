// Test helpers: matching initiator/responder configurations with fresh keys for any supported
// protocol, and a driver that runs a handshake to completion or to its first error.
#ifndef ACCORD_TESTS_CRYPTO_NOISE_HANDSHAKE_TEST_UTIL_H_
#define ACCORD_TESTS_CRYPTO_NOISE_HANDSHAKE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "crypto/noise/handshake_state.h"

namespace accord::crypto::noise::testing {

inline std::string ProtocolName(const std::string& pattern) {
  return "Noise_" + pattern + "_25519_ChaChaPoly_BLAKE2b";
}

// Long-term material of both parties; tests alter one side's copy to model mistakes.
struct PartyKeys {
  DhKeyPair initiator_static = DhKeyPair::Generate();
  DhKeyPair responder_static = DhKeyPair::Generate();
  Secret<kPskLen> initiator_psk = Secret<kPskLen>::Random();
  Secret<kPskLen> responder_psk = initiator_psk.Clone();
  // What the initiator believes the responder's static key is (pre-message patterns).
  DhPublicKey responder_static_as_known = responder_static.public_key();
  Bytes initiator_prologue = Bytes{'p', 'r', 'o'};
  Bytes responder_prologue = Bytes{'p', 'r', 'o'};
};

// Gives each side exactly the keys its pattern requires.
inline HandshakeConfig MakeConfig(const std::string& pattern, Role role, const PartyKeys& keys) {
  HandshakeConfig config;
  config.protocol_name = ProtocolName(pattern);
  config.role = role;
  const bool initiator = role == Role::kInitiator;
  Result<HandshakePattern> p = LookupPattern(pattern);
  if (!p.ok()) return config;  // Create() will report it
  config.prologue = initiator ? keys.initiator_prologue : keys.responder_prologue;
  if (p->UsesLocalStatic(initiator)) {
    const DhKeyPair& mine = initiator ? keys.initiator_static : keys.responder_static;
    config.local_static = DhKeyPair::FromSecret(mine.secret());
  }
  if (initiator && p->ResponderHasPremessageStatic()) {
    config.remote_static = keys.responder_static_as_known;
  }
  if (!initiator && p->InitiatorHasPremessageStatic()) {
    config.remote_static = keys.initiator_static.public_key();
  }
  for (int i = 0; i < p->psk_count; ++i) {
    config.psks.push_back((initiator ? keys.initiator_psk : keys.responder_psk).Clone());
  }
  return config;
}

struct HandshakePair {
  HandshakeState initiator;
  HandshakeState responder;
};

inline HandshakePair MakePair(const std::string& pattern, const PartyKeys& keys) {
  Result<HandshakeState> i = HandshakeState::Create(MakeConfig(pattern, Role::kInitiator, keys));
  Result<HandshakeState> r = HandshakeState::Create(MakeConfig(pattern, Role::kResponder, keys));
  if (!i.ok() || !r.ok()) {
    ADD_FAILURE() << "cannot create " << pattern << ": "
                  << (i.ok() ? r.error().message : i.error().message);
    std::abort();  // every caller passes a supported pattern; continuing would crash anyway
  }
  return HandshakePair{std::move(i).value(), std::move(r).value()};
}

// Hook to alter message `index` in flight.
using Tamper = std::function<void(size_t index, Bytes& message)>;

struct RunResult {
  Status status;                 // first error, from whichever side hit it
  size_t failed_at_message = 0;  // index of the message being written or read when it failed
  bool failed_on_read = false;
  bool payload_altered = false;  // a read succeeded but returned another payload
};

// Alternates writes and reads until both sides complete or one fails.
inline RunResult RunHandshake(HandshakePair& pair, const Tamper& tamper = nullptr) {
  bool payload_altered = false;
  for (size_t index = 0; !pair.initiator.IsComplete() || !pair.responder.IsComplete(); ++index) {
    const bool initiator_writes = pair.initiator.IsMyTurnToWrite();
    HandshakeState& writer = initiator_writes ? pair.initiator : pair.responder;
    HandshakeState& reader = initiator_writes ? pair.responder : pair.initiator;
    const std::string payload = "payload " + std::to_string(index);
    Result<Bytes> message = writer.WriteMessage(AsBytes(payload));
    if (!message.ok()) return RunResult{message.error(), index, false, payload_altered};
    if (tamper) tamper(index, *message);
    Result<Bytes> received = reader.ReadMessage(*message);
    if (!received.ok()) return RunResult{received.error(), index, true, payload_altered};
    // Only possible for a message sent before any key exists; the next read must then fail.
    if (AsChars(*received) != payload) payload_altered = true;
  }
  return RunResult{Status::Ok(), 0, false, payload_altered};
}

}  // namespace accord::crypto::noise::testing

#endif  // ACCORD_TESTS_CRYPTO_NOISE_HANDSHAKE_TEST_UTIL_H_
