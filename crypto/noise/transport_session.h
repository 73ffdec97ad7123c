// The two CipherStates a finished Noise handshake yields, one per direction, with the rule
// that any failure ends the session (SECURITY §4.3: never skip and continue).
// One thread at a time (one connection strand). Framing (u16be length) is the caller's job.
#ifndef ACCORD_CRYPTO_NOISE_TRANSPORT_SESSION_H_
#define ACCORD_CRYPTO_NOISE_TRANSPORT_SESSION_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/noise/cipher_state.h"
#include "crypto/noise/hkdf_blake2b.h"

namespace accord::crypto::noise {

constexpr size_t kMaxTransportPlaintext = kMaxMessageLen - kTagLen;  // bytes, 65519

class TransportSession {
 public:
  TransportSession(CipherState send, CipherState receive, const HashOutput& handshake_hash)
      : send_(std::move(send)), receive_(std::move(receive)), handshake_hash_(handshake_hash) {}
  TransportSession(TransportSession&&) = default;
  TransportSession& operator=(TransportSession&&) = default;

  // Transport messages use empty associated data (Noise §5). Errors: kTooLarge for a plaintext
  // over kMaxTransportPlaintext, kCryptoFailure when the nonce space is exhausted, kRefused
  // once the session is dead. Every error kills the session.
  Result<Bytes> Encrypt(ByteView plaintext);
  // The receiver expects exactly the next counter value, so a replayed, reordered, dropped
  // or altered message fails (kDecryptFailed) and kills the session.
  Result<Bytes> Decrypt(ByteView ciphertext);

  bool IsDead() const { return dead_; }
  // For channel binding: application signatures cover this (Noise §11.2).
  const HashOutput& handshake_hash() const { return handshake_hash_; }
  uint64_t sent_count() const { return send_.nonce(); }
  uint64_t received_count() const { return receive_.nonce(); }

 private:
  void Kill();

  CipherState send_;
  CipherState receive_;
  HashOutput handshake_hash_;
  bool dead_ = false;
};

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_TRANSPORT_SESSION_H_
