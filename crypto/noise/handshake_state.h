// Noise HandshakeState (§5.3): a generic interpreter of handshake patterns, bytes in and out.
// One thread at a time; pure apart from drawing ephemeral keys. Sockets, timeouts, framing
// and deciding whether a remote static key is authorized belong to the caller.
#ifndef ACCORD_CRYPTO_NOISE_HANDSHAKE_STATE_H_
#define ACCORD_CRYPTO_NOISE_HANDSHAKE_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/dh.h"
#include "crypto/noise/handshake_pattern.h"
#include "crypto/noise/symmetric_state.h"
#include "crypto/noise/transport_session.h"
#include "crypto/secret.h"

namespace accord::crypto::noise {

constexpr size_t kDhLen = 32;   // bytes, X25519 public key and shared secret
constexpr size_t kPskLen = 32;  // bytes, Noise pre-shared symmetric key

enum class Role { kInitiator, kResponder };

struct HandshakeConfig {
  std::string protocol_name;  // e.g. "Noise_IK_25519_ChaChaPoly_BLAKE2b"
  Role role = Role::kInitiator;
  Bytes prologue;
  std::optional<DhKeyPair> local_static;     // required iff the pattern uses our static key
  std::optional<DhPublicKey> remote_static;  // required iff the peer's key is a pre-message
  std::vector<Secret<kPskLen>> psks;         // one per psk token, in the order they occur
  // Tests only: the ephemeral key to use instead of a fresh random one (published vectors).
  std::optional<DhKeyPair> fixed_ephemeral;
};

class HandshakeState {
 public:
  // kInvalidArgument for an unsupported protocol name or keys/psks that do not match it.
  static Result<HandshakeState> Create(HandshakeConfig config);
  HandshakeState(HandshakeState&&) = default;
  HandshakeState& operator=(HandshakeState&&) = default;

  // Every error (bad input, failed authentication, failed DH, misuse) leaves the handshake
  // dead: later calls return kRefused, so a caller cannot continue a half-failed handshake.
  // Errors: kTooLarge (message over kMaxMessageLen), kInvalidArgument (too short),
  // kDecryptFailed (authentication), kCryptoFailure (all-zero DH), kRefused (wrong turn/dead).
  Result<Bytes> WriteMessage(ByteView payload);
  Result<Bytes> ReadMessage(ByteView message);

  bool IsMyTurnToWrite() const;
  bool IsComplete() const { return phase_ == Phase::kComplete || phase_ == Phase::kSplit; }
  bool IsDead() const { return phase_ == Phase::kDead; }
  // Known from the start (pre-message) or once the peer's s token has been read; before the
  // handshake completes it is not yet authenticated.
  const std::optional<DhPublicKey>& remote_static() const { return remote_static_; }
  // h: during the handshake it binds the transcript so far; after it, the channel-binding value.
  const HashOutput& GetHandshakeHash() const { return symmetric_.handshake_hash(); }

  // Once, after the last message (else kRefused). Our send direction is the first
  // CipherState for the initiator, the second for the responder. The HandshakeState still
  // holds the chaining key: destroy it once split.
  Result<TransportSession> Split();

 private:
  enum class Phase { kInProgress, kComplete, kSplit, kDead };

  HandshakeState(HandshakeConfig config, HandshakePattern pattern);
  bool IsInitiator() const { return role_ == Role::kInitiator; }
  Error Fail(Error error);
  Status MixDh(Token token);
  size_t MinimumReadLength(const std::vector<Token>& tokens) const;
  void AdvanceMessage();

  HandshakePattern pattern_;
  Role role_;
  SymmetricState symmetric_;
  std::optional<DhKeyPair> local_static_;
  std::optional<DhKeyPair> local_ephemeral_;
  std::optional<DhPublicKey> remote_static_;
  std::optional<DhPublicKey> remote_ephemeral_;
  std::vector<Secret<kPskLen>> psks_;
  size_t next_psk_ = 0;
  size_t message_index_ = 0;
  Phase phase_ = Phase::kInProgress;
};

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_HANDSHAKE_STATE_H_
