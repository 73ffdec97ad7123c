#include "crypto/noise/handshake_state.h"

#include <algorithm>

namespace accord::crypto::noise {
namespace {

Error Invalid(const char* what) {
  return MakeError(ErrorCode::kInvalidArgument, std::string("noise: ") + what);
}

}  // namespace

Result<HandshakeState> HandshakeState::Create(HandshakeConfig config) {
  Result<HandshakePattern> pattern = PatternFromProtocolName(config.protocol_name);
  if (!pattern.ok()) return pattern.error();
  const bool initiator = config.role == Role::kInitiator;
  // Keys the pattern does not use are refused too: a caller passing one probably expects an
  // authentication the pattern does not give.
  if (pattern->UsesLocalStatic(initiator) != config.local_static.has_value()) {
    return Invalid(config.local_static ? "pattern does not use a local static key"
                                       : "pattern needs a local static key");
  }
  const bool remote_premessage =
      initiator ? pattern->ResponderHasPremessageStatic() : pattern->InitiatorHasPremessageStatic();
  if (remote_premessage != config.remote_static.has_value()) {
    return Invalid(config.remote_static ? "pattern transmits the remote static key"
                                        : "pattern needs the remote static key in advance");
  }
  if (config.psks.size() != static_cast<size_t>(pattern->psk_count)) {
    return Invalid("number of psks does not match the pattern");
  }
  return HandshakeState(std::move(config), std::move(pattern).value());
}

HandshakeState::HandshakeState(HandshakeConfig config, HandshakePattern pattern)
    : pattern_(std::move(pattern)),
      role_(config.role),
      symmetric_(config.protocol_name),
      local_static_(std::move(config.local_static)),
      local_ephemeral_(std::move(config.fixed_ephemeral)),
      remote_static_(config.remote_static),
      psks_(std::move(config.psks)) {
  symmetric_.MixHash(config.prologue);
  // Pre-messages are hashed initiator's first, whichever side we are (§5.3 Initialize).
  // Create() checked that each key named by a pre-message is present.
  if (pattern_.InitiatorHasPremessageStatic()) {
    symmetric_.MixHash(IsInitiator() ? local_static_->public_key() : *remote_static_);
  }
  if (pattern_.ResponderHasPremessageStatic()) {
    symmetric_.MixHash(IsInitiator() ? *remote_static_ : local_static_->public_key());
  }
}

bool HandshakeState::IsMyTurnToWrite() const {
  return phase_ == Phase::kInProgress && (message_index_ % 2 == 0) == IsInitiator();
}

Error HandshakeState::Fail(Error error) {
  phase_ = Phase::kDead;
  // Drop every secret now; a dead handshake must not be resumable.
  local_ephemeral_.reset();
  local_static_.reset();
  psks_.clear();
  symmetric_ = SymmetricState("");
  return error;
}

void HandshakeState::AdvanceMessage() {
  ++message_index_;
  if (message_index_ == pattern_.messages.size()) {
    phase_ = Phase::kComplete;
    local_ephemeral_.reset();
  }
}

Status HandshakeState::MixDh(Token token) {
  // For "es" the initiator uses its ephemeral and the responder's static; "se" mirrors it.
  const bool initiator = IsInitiator();
  const bool local_is_ephemeral = token == Token::kEE || (token == Token::kES && initiator) ||
                                  (token == Token::kSE && !initiator);
  const bool remote_is_ephemeral = token == Token::kEE || (token == Token::kES && !initiator) ||
                                   (token == Token::kSE && initiator);
  const std::optional<DhKeyPair>& local = local_is_ephemeral ? local_ephemeral_ : local_static_;
  const std::optional<DhPublicKey>& remote =
      remote_is_ephemeral ? remote_ephemeral_ : remote_static_;
  if (!local || !remote) {
    return MakeError(ErrorCode::kInternal, "noise: DH token before its keys are known");
  }
  Result<Secret<kDhLen>> shared = Dh(local->secret(), *remote);
  if (!shared.ok()) {
    return MakeError(ErrorCode::kCryptoFailure, "noise: DH produced the all-zero value");
  }
  symmetric_.MixKey(shared->view());
  return Status::Ok();
}

Result<Bytes> HandshakeState::WriteMessage(ByteView payload) {
  if (!IsMyTurnToWrite()) {
    return Fail(MakeError(ErrorCode::kRefused, "noise: not our turn to write"));
  }
  if (payload.size() > kMaxMessageLen) {
    return Fail(MakeError(ErrorCode::kTooLarge, "noise: payload exceeds the message limit"));
  }
  Bytes out;
  for (Token token : pattern_.messages[message_index_]) {
    switch (token) {
      case Token::kE: {
        if (!local_ephemeral_) local_ephemeral_ = DhKeyPair::Generate();
        const DhPublicKey& e = local_ephemeral_->public_key();
        AppendBytes(out, e);
        symmetric_.MixHash(e);
        if (pattern_.IsPskHandshake()) symmetric_.MixKey(e);
        break;
      }
      case Token::kS: {
        Result<Bytes> encrypted = symmetric_.EncryptAndHash(local_static_->public_key());
        if (!encrypted.ok()) return Fail(encrypted.error());
        AppendBytes(out, *encrypted);
        break;
      }
      case Token::kPsk:
        symmetric_.MixKeyAndHash(psks_[next_psk_++].view());
        break;
      default: {
        Status dh = MixDh(token);
        if (!dh.ok()) return Fail(dh.error());
      }
    }
  }
  Result<Bytes> encrypted = symmetric_.EncryptAndHash(payload);
  if (!encrypted.ok()) return Fail(encrypted.error());
  AppendBytes(out, *encrypted);
  if (out.size() > kMaxMessageLen) {
    return Fail(MakeError(ErrorCode::kTooLarge, "noise: message exceeds the message limit"));
  }
  AdvanceMessage();
  return out;
}

size_t HandshakeState::MinimumReadLength(const std::vector<Token>& tokens) const {
  // Mirrors ReadMessage: a static key and the payload carry a tag once a key has been mixed.
  bool has_key = symmetric_.HasKey();
  size_t need = 0;
  for (Token token : tokens) {
    if (token == Token::kE) {
      need += kDhLen;
      if (pattern_.IsPskHandshake()) has_key = true;
    } else if (token == Token::kS) {
      need += kDhLen + (has_key ? kTagLen : 0);
    } else {
      has_key = true;
    }
  }
  return need + (has_key ? kTagLen : 0);
}

Result<Bytes> HandshakeState::ReadMessage(ByteView message) {
  if (phase_ != Phase::kInProgress || IsMyTurnToWrite()) {
    return Fail(MakeError(ErrorCode::kRefused, "noise: not our turn to read"));
  }
  if (message.size() > kMaxMessageLen) {
    return Fail(MakeError(ErrorCode::kTooLarge, "noise: message exceeds the message limit"));
  }
  const std::vector<Token>& tokens = pattern_.messages[message_index_];
  // Checked up front, so every slice below is in bounds.
  if (message.size() < MinimumReadLength(tokens)) {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "noise: handshake message too short"));
  }
  for (Token token : tokens) {
    switch (token) {
      case Token::kE: {
        DhPublicKey re;
        std::copy_n(message.begin(), kDhLen, re.begin());
        message = message.subspan(kDhLen);
        remote_ephemeral_ = re;
        symmetric_.MixHash(re);
        if (pattern_.IsPskHandshake()) symmetric_.MixKey(re);
        break;
      }
      case Token::kS: {
        const size_t len = kDhLen + (symmetric_.HasKey() ? kTagLen : 0);
        Result<Bytes> rs = symmetric_.DecryptAndHash(message.first(len));
        if (!rs.ok()) return Fail(rs.error());
        message = message.subspan(len);
        DhPublicKey key;
        std::copy_n(rs->begin(), kDhLen, key.begin());
        remote_static_ = key;
        break;
      }
      case Token::kPsk:
        symmetric_.MixKeyAndHash(psks_[next_psk_++].view());
        break;
      default: {
        Status dh = MixDh(token);
        if (!dh.ok()) return Fail(dh.error());
      }
    }
  }
  Result<Bytes> payload = symmetric_.DecryptAndHash(message);
  if (!payload.ok()) return Fail(payload.error());
  AdvanceMessage();
  return payload;
}

Result<TransportSession> HandshakeState::Split() {
  if (phase_ != Phase::kComplete) {
    return Fail(MakeError(ErrorCode::kRefused, "noise: split before the handshake completed"));
  }
  phase_ = Phase::kSplit;
  std::pair<CipherState, CipherState> ciphers = symmetric_.Split();
  if (IsInitiator()) {
    return TransportSession(std::move(ciphers.first), std::move(ciphers.second),
                            GetHandshakeHash());
  }
  return TransportSession(std::move(ciphers.second), std::move(ciphers.first), GetHandshakeHash());
}

}  // namespace accord::crypto::noise
