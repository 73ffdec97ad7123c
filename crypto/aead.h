// XChaCha20-Poly1305 sealing of entry bodies and of wrapped keys at rest. Any thread.
// The caller chooses the associated data (for entries: the header minus its body hash).
#ifndef ACCORD_CRYPTO_AEAD_H_
#define ACCORD_CRYPTO_AEAD_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret.h"

namespace accord::crypto {

constexpr size_t kXNonceBytes = 24;   // bytes, XChaCha20 nonce; random nonces are safe
constexpr size_t kAeadTagBytes = 16;  // bytes appended to every ciphertext

using XNonce = FixedBytes<kXNonceBytes>;

XNonce RandomXNonce();

// ciphertext = plaintext || tag, length plaintext.size() + kAeadTagBytes.
Bytes SealBody(const SecretKey& key, const XNonce& nonce, ByteView ad, ByteView plaintext);
// kDecryptFailed on any mismatch of key, nonce, ad or ciphertext; nothing partial returned.
Result<Bytes> OpenBody(const SecretKey& key, const XNonce& nonce, ByteView ad, ByteView ciphertext);

// Wrapping a secret key under the storage key, bound to `purpose` (e.g. "epoch 3"):
// nonce(24) || ciphertext. Used for keys kept in SQLite.
Bytes WrapKey(const SecretKey& storage_key, ByteView purpose, const SecretKey& key);
Result<SecretKey> UnwrapKey(const SecretKey& storage_key, ByteView purpose, ByteView wrapped);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_AEAD_H_
