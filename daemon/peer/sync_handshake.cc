#include "daemon/peer/sync_handshake.h"

#include <algorithm>
#include <string>

namespace accord::peer {

namespace noise = crypto::noise;

namespace {

crypto::DhKeyPair CloneKeyPair(const crypto::DhKeyPair& key) {
  return crypto::DhKeyPair::FromSecret(key.secret().Clone());
}

noise::HandshakeConfig BaseConfig(noise::Role role, const crypto::DhKeyPair& me,
                                  const log::PactId& pact) {
  noise::HandshakeConfig config;
  config.protocol_name = std::string(kSyncProtocolName);
  config.role = role;
  config.prologue = SyncPrologue(pact);
  config.local_static = CloneKeyPair(me);
  // No fixed_ephemeral: production handshakes draw a fresh random ephemeral key.
  return config;
}

Error Malformed(const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "sync handshake: " + what);
}

}  // namespace

Bytes SyncPrologue(const log::PactId& pact) {
  Bytes prologue(kSyncPrologueLabel.begin(), kSyncPrologueLabel.end());
  AppendBytes(prologue, pact);
  return prologue;
}

Result<SyncInitiator> SyncInitiator::Create(const crypto::DhKeyPair& me,
                                            const crypto::DhPublicKey& responder,
                                            const log::PactId& pact) {
  noise::HandshakeConfig config = BaseConfig(noise::Role::kInitiator, me, pact);
  config.remote_static = responder;
  Result<noise::HandshakeState> state = noise::HandshakeState::Create(std::move(config));
  if (!state.ok()) return state.error();
  return SyncInitiator(std::move(state).value());
}

Result<Bytes> SyncInitiator::WriteMessage1(const Tai64n& now) { return state_.WriteMessage(now); }

Result<noise::TransportSession> SyncInitiator::ReadMessage2(ByteView message2) {
  // A wrong length fails inside Noise: too short before any DH, too long at the tag.
  Result<Bytes> payload = state_.ReadMessage(message2);
  if (!payload.ok()) return payload.error();
  // Only the holder of the responder's keys can make a msg2 that decrypts; even then, data
  // has no place here (the initiator speaks first).
  if (!payload->empty()) return Malformed("msg2 payload is not empty");
  return state_.Split();
}

Result<SyncResponder> SyncResponder::Create(const crypto::DhKeyPair& me, const log::PactId& pact) {
  Result<noise::HandshakeState> state =
      noise::HandshakeState::Create(BaseConfig(noise::Role::kResponder, me, pact));
  if (!state.ok()) return state.error();
  return SyncResponder(std::move(state).value());
}

Result<SyncResponder::Message1> SyncResponder::ReadMessage1(ByteView message1) {
  message1_ok_ = false;
  // Every failure inside Noise (short, altered, made for another key or pact) leaves the
  // handshake dead, so the responder cannot be coaxed into continuing.
  Result<Bytes> payload = state_.ReadMessage(message1);
  if (!payload.ok()) return payload.error();
  // Only a holder of a static key can produce a msg1 that decrypts; its payload must still
  // be exactly one timestamp.
  if (payload->size() != kTai64nBytes || !state_.remote_static().has_value()) {
    return Malformed("msg1 payload is not a timestamp");
  }
  Message1 out;
  out.initiator = *state_.remote_static();
  std::copy_n(payload->begin(), kTai64nBytes, out.timestamp.begin());
  message1_ok_ = true;
  return out;
}

Result<std::pair<Bytes, noise::TransportSession>> SyncResponder::WriteMessage2() {
  if (!message1_ok_) {
    return MakeError(ErrorCode::kRefused, "sync handshake: msg2 before a valid msg1");
  }
  message1_ok_ = false;
  Result<Bytes> message2 = state_.WriteMessage(ByteView());
  if (!message2.ok()) return message2.error();
  Result<noise::TransportSession> session = state_.Split();
  if (!session.ok()) return session.error();
  return std::make_pair(std::move(message2).value(), std::move(session).value());
}

}  // namespace accord::peer
