// SecureChannel: after the sync handshake, plaintext PeerMessages to whole frames and frame
// payloads back, on one Noise TransportSession. One thread (the connection's strand).
// Plaintexts are padded to 256-byte buckets inside the encryption.
// Not here: sockets, protobuf, deciding when to re-handshake after death.
#ifndef ACCORD_DAEMON_PEER_CHANNEL_H_
#define ACCORD_DAEMON_PEER_CHANNEL_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/noise/transport_session.h"

namespace accord::peer {

// Frames per direction before a session must end: re-handshaking replaces Noise's Rekey
// (SECURITY §4.3), and it keeps counters far from the reserved nonce.
constexpr uint64_t kMaxFramesPerSession = uint64_t{1} << 20;  // frames, each way
// Plaintexts are padded to buckets before sealing (SECURITY §4.3), so frame lengths show a
// bucket, not an entry's size; the largest plaintext is the one whose padding still fits.
constexpr size_t kPaddingBlock = 256;  // bytes
constexpr size_t kMaxChannelPlaintext =
    (crypto::noise::kMaxTransportPlaintext / kPaddingBlock) * kPaddingBlock - 1;  // bytes, 65279

// Dead after any failure (SECURITY §4.3: never skip and continue) and once the frame cap is
// reached either way; a dead channel refuses everything and the connection should close.
class SecureChannel {
 public:
  // `max_frames` exists so tests can reach the cap; production uses the default.
  explicit SecureChannel(crypto::noise::TransportSession session,
                         uint64_t max_frames = kMaxFramesPerSession);
  SecureChannel(SecureChannel&&) = default;
  SecureChannel& operator=(SecureChannel&&) = default;

  // A whole frame: 2-byte length + ciphertext. REQUIRES: plaintext.size() <=
  // kMaxChannelPlaintext, else kTooLarge (and the channel dies). kRefused once dead.
  Result<Bytes> Seal(ByteView plaintext);
  // A frame payload (as FrameReader yields it) -> plaintext. A payload that does not
  // authenticate as the next message in order (altered, replayed, reordered, dropped,
  // truncated) is kDecryptFailed and kills the channel; kRefused once dead.
  Result<Bytes> Open(ByteView frame_payload);

  bool dead() const { return dead_; }
  uint64_t sealed() const { return session_.sent_count(); }
  uint64_t opened() const { return session_.received_count(); }
  // Channel binding (Noise §11.2): equal on both ends of one handshake.
  const crypto::noise::HashOutput& handshake_hash() const { return session_.handshake_hash(); }

 private:
  void KillIfCapped();

  crypto::noise::TransportSession session_;
  uint64_t max_frames_;
  bool dead_ = false;
};

}  // namespace accord::peer

#endif  // ACCORD_DAEMON_PEER_CHANNEL_H_
