// Ed25519 device signing keys: signing entry headers, verifying them. Any thread.
#ifndef ACCORD_CRYPTO_SIGN_H_
#define ACCORD_CRYPTO_SIGN_H_

#include "base/bytes.h"
#include "crypto/secret.h"

namespace accord::crypto {

using SigningPublicKey = FixedBytes<32>;  // device key; also a member id
using Signature = FixedBytes<64>;

class SigningKey {
 public:
  static SigningKey Generate();
  static SigningKey FromSeed(const Secret<32>& seed);

  const SigningPublicKey& public_key() const { return public_key_; }
  const Secret<32>& seed() const { return seed_; }
  Signature Sign(ByteView message) const;

 private:
  SigningKey(Secret<32> seed, Secret<64> secret_key, SigningPublicKey pk);
  Secret<32> seed_;
  Secret<64> secret_key_;
  SigningPublicKey public_key_;
};

// A second signing key that belongs to `parent` for one purpose (e.g. a device's private
// chain in one pact): its seed is BLAKE2b-256 keyed with the parent's seed over `context`.
// Deterministic, so a device restored from its key file has it again; independent of the
// parent's public key for anyone without the seed.
SigningKey DeriveSigningKey(const SigningKey& parent, ByteView context);

// True only for a valid signature by `key` over exactly `message` (libsodium rejects
// non-canonical and small-order encodings).
[[nodiscard]] bool VerifySignature(const SigningPublicKey& key, ByteView message,
                                   const Signature& signature);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_SIGN_H_
