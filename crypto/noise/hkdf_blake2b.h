// The Noise hash layer for the BLAKE2b suite: HASH, HMAC-HASH (RFC 2104) and HKDF (Noise §4.3).
// Any thread; pure functions. Cipher and DH operations live in cipher_state / handshake_state.
// HMAC here is the RFC 2104 construction over BLAKE2b-512, NOT BLAKE2b's built-in keyed mode.
#ifndef ACCORD_CRYPTO_NOISE_HKDF_BLAKE2B_H_
#define ACCORD_CRYPTO_NOISE_HKDF_BLAKE2B_H_

#include <initializer_list>

#include "base/bytes.h"
#include "crypto/secret.h"

namespace accord::crypto::noise {

constexpr size_t kHashLen = 64;    // bytes, BLAKE2b-512 output (Noise HASHLEN)
constexpr size_t kBlockLen = 128;  // bytes, BLAKE2b block (Noise BLOCKLEN, the HMAC pad width)

using HashOutput = FixedBytes<kHashLen>;

// HASH(parts[0] || parts[1] || ...), unkeyed BLAKE2b-512.
HashOutput Hash(std::initializer_list<ByteView> parts);

// HMAC-HASH(key, parts[0] || parts[1] || ...). Keys longer than kBlockLen are hashed first.
Secret<kHashLen> HmacBlake2b(ByteView key, std::initializer_list<ByteView> parts);

// HKDF(chaining_key, input_key_material, 2 or 3): each output is kHashLen bytes; callers that
// need a cipher key keep the first 32 bytes (Noise §5.2).
struct HkdfPair {
  Secret<kHashLen> first;
  Secret<kHashLen> second;
};
struct HkdfTriple {
  Secret<kHashLen> first;
  Secret<kHashLen> second;
  Secret<kHashLen> third;
};
HkdfPair Hkdf2(ByteView chaining_key, ByteView input_key_material);
HkdfTriple Hkdf3(ByteView chaining_key, ByteView input_key_material);

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_HKDF_BLAKE2B_H_
