// X25519 device keys, DH, and sealed boxes to a device (epoch key distribution).
// Any thread. The X25519 key is independent of the Ed25519 key (SECURITY §2).
#ifndef ACCORD_CRYPTO_DH_H_
#define ACCORD_CRYPTO_DH_H_

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret.h"

namespace accord::crypto {

using DhPublicKey = FixedBytes<32>;

class DhKeyPair {
 public:
  static DhKeyPair Generate();
  static DhKeyPair FromSecret(const Secret<32>& secret);

  const DhPublicKey& public_key() const { return public_key_; }
  const Secret<32>& secret() const { return secret_; }

 private:
  DhKeyPair(Secret<32> secret, DhPublicKey pk) : secret_(std::move(secret)), public_key_(pk) {}
  Secret<32> secret_;
  DhPublicKey public_key_;
};

// X25519(secret, peer). kCryptoFailure when the result is all zero (small-order peer key).
Result<Secret<32>> Dh(const Secret<32>& secret, const DhPublicKey& peer);

// crypto_box_seal to a device's X25519 key, and its opening. Sealing fails with
// kCryptoFailure when `recipient` is a small-order point (it comes from a peer).
Result<Bytes> SealToKey(const DhPublicKey& recipient, ByteView plaintext);
Result<Bytes> OpenSealed(const DhKeyPair& recipient, ByteView sealed);  // kDecryptFailed

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_DH_H_
