#include "crypto/sign.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/hash.h"

namespace accord::crypto {

static_assert(crypto_sign_SEEDBYTES == 32);
static_assert(crypto_sign_SECRETKEYBYTES == 64);
static_assert(crypto_sign_PUBLICKEYBYTES == SigningPublicKey().size());
static_assert(crypto_sign_BYTES == Signature().size());

SigningKey::SigningKey(Secret<32> seed, Secret<64> secret_key, SigningPublicKey pk)
    : seed_(std::move(seed)), secret_key_(std::move(secret_key)), public_key_(pk) {}

SigningKey SigningKey::Generate() { return FromSeed(Secret<32>::Random()); }

SigningKey SigningKey::FromSeed(const Secret<32>& seed) {
  // Every 32-byte string is a valid seed, so a failure here is a library fault.
  Secret<64> secret_key;
  SigningPublicKey pk;
  if (crypto_sign_seed_keypair(pk.data(), secret_key.data(), seed.data()) != 0) {
    internal::Fatal("crypto_sign_seed_keypair");
  }
  return SigningKey(seed.Clone(), std::move(secret_key), pk);
}

Signature SigningKey::Sign(ByteView message) const {
  Signature sig;
  if (crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                           secret_key_.data()) != 0) {
    internal::Fatal("crypto_sign_detached");
  }
  return sig;
}

SigningKey DeriveSigningKey(const SigningKey& parent, ByteView context) {
  Hash32 derived = Blake2b256Keyed(ByteView(parent.seed().data(), parent.seed().size()), context);
  Secret<32> seed;
  std::copy(derived.begin(), derived.end(), seed.data());
  sodium_memzero(derived.data(), derived.size());
  return SigningKey::FromSeed(seed);
}

bool VerifySignature(const SigningPublicKey& key, ByteView message, const Signature& signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

}  // namespace accord::crypto
