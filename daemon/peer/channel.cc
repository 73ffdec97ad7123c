#include "daemon/peer/channel.h"

#include "crypto/padding.h"
#include "daemon/peer/frames.h"

namespace accord::peer {

static_assert(crypto::PaddedSize(kMaxChannelPlaintext, kPaddingBlock) + crypto::noise::kTagLen <=
                  kMaxFrameBytes,
              "a padded plaintext of the maximum size must fit one frame");
static_assert(crypto::PaddedSize(kMaxChannelPlaintext + 1, kPaddingBlock) >
                  crypto::noise::kMaxTransportPlaintext,
              "the maximum is the largest plaintext whose padding fits");

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
  Result<Bytes> ciphertext = session_.Encrypt(crypto::Pad(plaintext, kPaddingBlock));
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
  std::optional<Bytes> unpadded = crypto::Unpad(*plaintext, kPaddingBlock);
  if (!unpadded) {
    dead_ = true;  // authentic, yet not made by a correct peer
    return MakeError(ErrorCode::kDecryptFailed, "channel: frame is not padded correctly");
  }
  KillIfCapped();
  return std::move(*unpadded);
}

}  // namespace accord::peer
