// Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit message counter (Noise §5.1).
// One thread at a time; it is a value owned by a SymmetricState or a TransportSession.
// Framing, replay policy and session death belong to the owners, not here.
#ifndef ACCORD_CRYPTO_NOISE_CIPHER_STATE_H_
#define ACCORD_CRYPTO_NOISE_CIPHER_STATE_H_

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret.h"

namespace accord::crypto::noise {

constexpr size_t kCipherKeyLen = 32;             // bytes, ChaChaPoly key
constexpr size_t kTagLen = 16;                   // bytes, Poly1305 tag appended to every ciphertext
constexpr size_t kMaxMessageLen = 65535;         // bytes, Noise's cap on any message (§3)
constexpr uint64_t kReservedNonce = UINT64_MAX;  // Noise reserves 2^64-1; reaching it is fatal

class CipherState {
 public:
  CipherState() = default;  // empty key: Encrypt/Decrypt pass data through (early handshake)
  explicit CipherState(const Secret<kCipherKeyLen>& key) { InitializeKey(key); }
  CipherState(CipherState&&) = default;
  CipherState& operator=(CipherState&&) = default;

  // Sets k and resets n to 0.
  void InitializeKey(const Secret<kCipherKeyLen>& key);
  bool HasKey() const { return key_.has_value(); }
  // Noise's SetNonce; used by tests to reach the reserved nonce without 2^64 messages.
  void SetNonce(uint64_t n) { nonce_ = n; }
  uint64_t nonce() const { return nonce_; }

  // ciphertext = ChaCha20-Poly1305-IETF(k, 0^4 || LE64(n), ad, plaintext), then n += 1.
  // Errors: kTooLarge when the ciphertext would exceed kMaxMessageLen, kCryptoFailure when n
  // is the reserved nonce. Nothing changes on error.
  Result<Bytes> EncryptWithAd(ByteView ad, ByteView plaintext);
  // Errors: kTooLarge, kInvalidArgument (shorter than a tag), kCryptoFailure (reserved
  // nonce), kDecryptFailed (authentication failed). n advances only on success.
  Result<Bytes> DecryptWithAd(ByteView ad, ByteView ciphertext);

 private:
  std::optional<Secret<kCipherKeyLen>> key_;
  uint64_t nonce_ = 0;
};

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_CIPHER_STATE_H_
