#include "crypto/dh.h"

#include <sodium.h>

namespace accord::crypto {

static_assert(crypto_scalarmult_BYTES == 32 && crypto_scalarmult_SCALARBYTES == 32);
static_assert(crypto_box_PUBLICKEYBYTES == DhPublicKey().size());
static_assert(crypto_box_SECRETKEYBYTES == 32);

DhKeyPair DhKeyPair::Generate() { return FromSecret(Secret<32>::Random()); }

DhKeyPair DhKeyPair::FromSecret(const Secret<32>& secret) {
  // Any 32 bytes are a valid (clamped) scalar and the base point has large order, so this
  // cannot fail on valid inputs.
  DhPublicKey pk;
  if (crypto_scalarmult_base(pk.data(), secret.data()) != 0) {
    internal::Fatal("crypto_scalarmult_base");
  }
  return DhKeyPair(secret.Clone(), pk);
}

Result<Secret<32>> Dh(const Secret<32>& secret, const DhPublicKey& peer) {
  Secret<32> shared;
  // libsodium returns -1 for small-order peer points and whenever the output is all zero;
  // ignoring that would let a peer force a known shared secret.
  if (crypto_scalarmult(shared.data(), secret.data(), peer.data()) != 0) {
    return MakeError(ErrorCode::kCryptoFailure,
                     "the peer's X25519 key is invalid (small-order point)");
  }
  return shared;
}

Result<Bytes> SealToKey(const DhPublicKey& recipient, ByteView plaintext) {
  Bytes sealed(plaintext.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(sealed.data(), plaintext.data(), plaintext.size(), recipient.data()) != 0) {
    return MakeError(ErrorCode::kCryptoFailure,
                     "cannot seal to this X25519 key: it is invalid (small-order point)");
  }
  return sealed;
}

Result<Bytes> OpenSealed(const DhKeyPair& recipient, ByteView sealed) {
  if (sealed.size() < crypto_box_SEALBYTES) {
    return MakeError(ErrorCode::kDecryptFailed, "sealed box is shorter than its overhead");
  }
  Bytes plaintext(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(plaintext.data(), sealed.data(), sealed.size(),
                           recipient.public_key().data(), recipient.secret().data()) != 0) {
    sodium_memzero(plaintext.data(), plaintext.size());
    return MakeError(ErrorCode::kDecryptFailed,
                     "sealed box does not open with this device key (wrong recipient or "
                     "modified in transit)");
  }
  return plaintext;
}

}  // namespace accord::crypto
