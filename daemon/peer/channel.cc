#include "daemon/peer/channel.h"

#include "daemon/peer/frames.h"

namespace accord::peer {

static_assert(kMaxChannelPlaintext + crypto::noise::kTagLen == kMaxFrameBytes,
              "a sealed plaintext of the maximum size must fit one frame");

SecureChannel::SecureChannel(crypto::noise::TransportSession session, uint64_t max_frames)
    : session_(std::move(session)), max_frames_(max_frames) {
  KillIfCapped();
}

void SecureChannel::KillIfCapped() {
  if (session_.IsDead() || sealed() >= max_frames_ || opened() >= max_frames_) dead_ = true;
}

Result<Bytes> SecureChannel::Seal(ByteView plaintext) {
  if (dead_) return MakeError(ErrorCode::kRefused, "channel: closed");
  if (plaintext.size() > kMaxChannelPlaintext) {
    dead_ = true;
    return MakeError(ErrorCode::kTooLarge, "channel: plaintext exceeds one frame");
  }
  Result<Bytes> ciphertext = session_.Encrypt(plaintext);
  if (!ciphertext.ok()) {
    dead_ = true;
    return ciphertext.error();
  }
  KillIfCapped();  // this frame still goes out; the next one needs a new handshake
  return EncodeFrame(*ciphertext);
}

Result<Bytes> SecureChannel::Open(ByteView frame_payload) {
  if (dead_) return MakeError(ErrorCode::kRefused, "channel: closed");
  Result<Bytes> plaintext = session_.Decrypt(frame_payload);
  if (!plaintext.ok()) {
    dead_ = true;
    // Too short, too long or not authentic: to the peer all of them are one answer.
    return MakeError(ErrorCode::kDecryptFailed,
                     "channel: frame did not decrypt (" + plaintext.error().message + ")");
  }
  KillIfCapped();
  return plaintext;
}

}  // namespace accord::peer
