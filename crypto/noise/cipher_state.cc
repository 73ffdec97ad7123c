#include "crypto/noise/cipher_state.h"

#include <sodium.h>

namespace accord::crypto::noise {
namespace {

static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kCipherKeyLen);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kTagLen);
static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == 12);

// Noise §12.3: 32 bits of zeros followed by the little-endian counter.
void MakeNonce(uint64_t n, uint8_t out[12]) {
  for (int i = 0; i < 4; ++i) out[i] = 0;
  for (int i = 0; i < 8; ++i) out[4 + i] = static_cast<uint8_t>(n >> (8 * i));
}

}  // namespace

void CipherState::InitializeKey(const Secret<kCipherKeyLen>& key) {
  key_ = key.Clone();
  nonce_ = 0;
}

Result<Bytes> CipherState::EncryptWithAd(ByteView ad, ByteView plaintext) {
  if (plaintext.size() > kMaxMessageLen - (HasKey() ? kTagLen : 0)) {
    return MakeError(ErrorCode::kTooLarge, "noise: plaintext exceeds the message limit");
  }
  if (!HasKey()) return Bytes(plaintext.begin(), plaintext.end());
  if (nonce_ == kReservedNonce) {
    return MakeError(ErrorCode::kCryptoFailure, "noise: nonce space exhausted");
  }
  uint8_t nonce[12];
  MakeNonce(nonce_, nonce);
  Bytes out(plaintext.size() + kTagLen);
  unsigned long long out_len = 0;
  // Fails only above crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX (~256 GiB), far beyond
  // kMaxMessageLen; a failure is a library fault, and sending `out` then would leak zeros or
  // plaintext under a tag that does not exist.
  if (crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                                plaintext.size(), ad.data(), ad.size(), nullptr,
                                                nonce, key_->data()) != 0 ||
      out_len != out.size()) {
    internal::Fatal("crypto_aead_chacha20poly1305_ietf_encrypt");
  }
  ++nonce_;
  return out;
}

Result<Bytes> CipherState::DecryptWithAd(ByteView ad, ByteView ciphertext) {
  if (ciphertext.size() > kMaxMessageLen) {
    return MakeError(ErrorCode::kTooLarge, "noise: ciphertext exceeds the message limit");
  }
  if (!HasKey()) return Bytes(ciphertext.begin(), ciphertext.end());
  if (ciphertext.size() < kTagLen) {
    return MakeError(ErrorCode::kInvalidArgument, "noise: ciphertext shorter than its tag");
  }
  if (nonce_ == kReservedNonce) {
    return MakeError(ErrorCode::kCryptoFailure, "noise: nonce space exhausted");
  }
  uint8_t nonce[12];
  MakeNonce(nonce_, nonce);
  Bytes out(ciphertext.size() - kTagLen);
  unsigned long long out_len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(),
                                                ciphertext.size(), ad.data(), ad.size(), nonce,
                                                key_->data()) != 0) {
    return MakeError(ErrorCode::kDecryptFailed, "noise: message failed authentication");
  }
  ++nonce_;
  return out;
}

}  // namespace accord::crypto::noise
