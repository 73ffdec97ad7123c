// The sync handshake: Noise_IK_25519_ChaChaPoly_BLAKE2b, prologue "accord-sync/1" || pact id,
// a TAI64N timestamp in msg1 (docs/transport.md). One thread per object; no I/O or clock.
// Not here: sockets and deadlines (daemon/net), membership checks and the ReplayGuard.
#ifndef ACCORD_DAEMON_PEER_SYNC_HANDSHAKE_H_
#define ACCORD_DAEMON_PEER_SYNC_HANDSHAKE_H_

#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/dh.h"
#include "crypto/noise/handshake_state.h"
#include "crypto/noise/transport_session.h"
#include "daemon/log/header.h"
#include "daemon/peer/tai64n.h"

namespace accord::peer {

inline constexpr std::string_view kSyncProtocolName = "Noise_IK_25519_ChaChaPoly_BLAKE2b";
inline constexpr std::string_view kSyncPrologueLabel = "accord-sync/1";  // then the pact id
// IK msg1 = e (32) || enc(s) (32 + 16) || enc(timestamp) (12 + 16); msg2 = e || enc("").
constexpr size_t kSyncMessage1Bytes = 32 + 48 + kTai64nBytes + 16;  // bytes, 108
constexpr size_t kSyncMessage2Bytes = 32 + 16;                      // bytes, 48

// "accord-sync/1" || pact id: both sides must agree on it or msg1 fails to decrypt.
Bytes SyncPrologue(const log::PactId& pact);

// Dials a known device: it must already know the responder's static X25519 key (IK).
class SyncInitiator {
 public:
  // `me` is cloned; it need not outlive the initiator.
  static Result<SyncInitiator> Create(const crypto::DhKeyPair& me,
                                      const crypto::DhPublicKey& responder,
                                      const log::PactId& pact);
  SyncInitiator(SyncInitiator&&) = default;
  SyncInitiator& operator=(SyncInitiator&&) = default;

  // msg1, carrying `now` (the caller's clock) as the encrypted payload.
  Result<Bytes> WriteMessage1(const Tai64n& now);
  // Reads msg2 (its payload must be empty) and splits: the initiator then sends the first
  // transport message (SECURITY §4.2, the responder's weak forward secrecy until then).
  // Any error leaves the initiator dead.
  Result<crypto::noise::TransportSession> ReadMessage2(ByteView message2);

 private:
  explicit SyncInitiator(crypto::noise::HandshakeState state) : state_(std::move(state)) {}
  crypto::noise::HandshakeState state_;
};

// Answers a dial. The caller decides between msg1 and msg2 whether to answer at all.
class SyncResponder {
 public:
  static Result<SyncResponder> Create(const crypto::DhKeyPair& me, const log::PactId& pact);
  SyncResponder(SyncResponder&&) = default;
  SyncResponder& operator=(SyncResponder&&) = default;

  struct Message1 {
    crypto::DhPublicKey initiator;  // authenticated static key: check it is a pact device
    Tai64n timestamp;               // check it with the ReplayGuard
  };
  // Fails (and the responder is dead) for a msg1 made for another static key, another
  // pact, any altered byte, a wrong length or a payload that is not one timestamp. The
  // caller answers a failure with silence.
  Result<Message1> ReadMessage1(ByteView message1);
  // REQUIRES: ReadMessage1 succeeded, and the caller accepted the initiator (membership)
  // and the timestamp (ReplayGuard); else kRefused. msg2 and the responder's session.
  Result<std::pair<Bytes, crypto::noise::TransportSession>> WriteMessage2();

 private:
  explicit SyncResponder(crypto::noise::HandshakeState state) : state_(std::move(state)) {}
  crypto::noise::HandshakeState state_;
  bool message1_ok_ = false;
};

}  // namespace accord::peer

#endif  // ACCORD_DAEMON_PEER_SYNC_HANDSHAKE_H_
