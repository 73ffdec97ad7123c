#include "crypto/noise/transport_session.h"

namespace accord::crypto::noise {

void TransportSession::Kill() {
  dead_ = true;
  // Drop both keys now rather than at destruction: nothing may use them again.
  send_ = CipherState();
  receive_ = CipherState();
}

Result<Bytes> TransportSession::Encrypt(ByteView plaintext) {
  if (dead_) return MakeError(ErrorCode::kRefused, "noise: transport session is closed");
  Result<Bytes> out = send_.EncryptWithAd(ByteView(), plaintext);
  if (!out.ok()) Kill();
  return out;
}

Result<Bytes> TransportSession::Decrypt(ByteView ciphertext) {
  if (dead_) return MakeError(ErrorCode::kRefused, "noise: transport session is closed");
  Result<Bytes> out = receive_.DecryptWithAd(ByteView(), ciphertext);
  if (!out.ok()) Kill();
  return out;
}

}  // namespace accord::crypto::noise
