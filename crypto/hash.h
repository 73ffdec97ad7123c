// BLAKE2b: entry ids, chain links, body hashes, state digests. Any thread; pure.
#ifndef ACCORD_CRYPTO_HASH_H_
#define ACCORD_CRYPTO_HASH_H_

#include "base/bytes.h"

namespace accord::crypto {

Hash32 Blake2b256(ByteView data);
// BLAKE2b-256 keyed with `key` (1..64 bytes): domain-separated derivations.
Hash32 Blake2b256Keyed(ByteView key, ByteView data);

// Streaming BLAKE2b-256 for canonical encodings built piece by piece.
class Blake2b256Hasher {
 public:
  Blake2b256Hasher();
  void Update(ByteView data);
  Hash32 Final();  // REQUIRES: called once

 private:
  alignas(64) uint8_t state_[384];  // >= sizeof(crypto_generichash_state), checked in hash.cc
};

// Timing-safe equality for MACs, tags and secrets.
bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_HASH_H_
