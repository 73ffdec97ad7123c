#include "crypto/aead.h"

#include <sodium.h>

#include "crypto/random.h"

namespace accord::crypto {

static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kXNonceBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SecretKey::size());

namespace {
constexpr size_t kWrappedKeyBytes = kXNonceBytes + SecretKey::size() + kAeadTagBytes;  // bytes
}  // namespace

XNonce RandomXNonce() { return RandomFixed<kXNonceBytes>(); }

Bytes SealBody(const SecretKey& key, const XNonce& nonce, ByteView ad, ByteView plaintext) {
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long out_len = 0;
  // Fails only above crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX (~256 GiB); entry
  // bodies are bounded far below that by the caller.
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                                 plaintext.size(), ad.data(), ad.size(), nullptr,
                                                 nonce.data(), key.data()) != 0 ||
      out_len != out.size()) {
    internal::Fatal("crypto_aead_xchacha20poly1305_ietf_encrypt");
  }
  return out;
}

Result<Bytes> OpenBody(const SecretKey& key, const XNonce& nonce, ByteView ad,
                       ByteView ciphertext) {
  if (ciphertext.size() < kAeadTagBytes) {
    return MakeError(ErrorCode::kDecryptFailed, "ciphertext is shorter than its tag");
  }
  Bytes out(ciphertext.size() - kAeadTagBytes);
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size(),
                                                 nonce.data(), key.data()) != 0) {
    sodium_memzero(out.data(), out.size());  // nothing partial survives a failed open
    return MakeError(ErrorCode::kDecryptFailed,
                     "authentication failed: wrong key, or the data was modified");
  }
  return out;
}

Bytes WrapKey(const SecretKey& storage_key, ByteView purpose, const SecretKey& key) {
  const XNonce nonce = RandomXNonce();
  Bytes out(kWrappedKeyBytes);
  for (size_t i = 0; i < kXNonceBytes; ++i) out[i] = nonce[i];
  unsigned long long ct_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kXNonceBytes, &ct_len, key.data(),
                                                 key.size(), purpose.data(), purpose.size(),
                                                 nullptr, nonce.data(), storage_key.data()) != 0 ||
      ct_len != kWrappedKeyBytes - kXNonceBytes) {
    internal::Fatal("crypto_aead_xchacha20poly1305_ietf_encrypt (wrap)");
  }
  return out;
}

Result<SecretKey> UnwrapKey(const SecretKey& storage_key, ByteView purpose, ByteView wrapped) {
  if (wrapped.size() != kWrappedKeyBytes) {
    return MakeError(ErrorCode::kCorrupt, "wrapped key has the wrong length");
  }
  // Decrypt straight into guarded memory so the key never sits in an ordinary buffer.
  SecretKey key;
  unsigned long long key_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.data(), &key_len, nullptr, wrapped.data() + kXNonceBytes,
          wrapped.size() - kXNonceBytes, purpose.data(), purpose.size(), wrapped.data(),
          storage_key.data()) != 0) {
    return MakeError(ErrorCode::kDecryptFailed,
                     "wrapped key does not open: wrong storage key or purpose, or modified");
  }
  return key;
}

}  // namespace accord::crypto
