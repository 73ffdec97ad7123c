#include "crypto/noise/hkdf_blake2b.h"

#include <sodium.h>

namespace accord::crypto::noise {
namespace {

// Streams the parts into one BLAKE2b-512 computation so nothing secret is concatenated into
// a temporary heap buffer.
void HashInto(std::initializer_list<ByteView> prefix, std::initializer_list<ByteView> parts,
              uint8_t* out) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashLen);
  for (ByteView p : prefix) crypto_generichash_update(&state, p.data(), p.size());
  for (ByteView p : parts) crypto_generichash_update(&state, p.data(), p.size());
  crypto_generichash_final(&state, out, kHashLen);
  sodium_memzero(&state, sizeof(state));
}

}  // namespace

HashOutput Hash(std::initializer_list<ByteView> parts) {
  HashOutput out;
  HashInto({}, parts, out.data());
  return out;
}

Secret<kHashLen> HmacBlake2b(ByteView key, std::initializer_list<ByteView> parts) {
  // RFC 2104: the key is zero-padded to one block; an over-long key is replaced by its hash.
  uint8_t block_key[kBlockLen] = {0};
  if (key.size() > kBlockLen) {
    HashInto({key}, {}, block_key);
  } else {
    for (size_t i = 0; i < key.size(); ++i) block_key[i] = key[i];
  }
  uint8_t ipad[kBlockLen];
  uint8_t opad[kBlockLen];
  for (size_t i = 0; i < kBlockLen; ++i) {
    ipad[i] = block_key[i] ^ 0x36;
    opad[i] = block_key[i] ^ 0x5c;
  }
  uint8_t inner[kHashLen];
  HashInto({ByteView(ipad, kBlockLen)}, parts, inner);
  Secret<kHashLen> out;
  HashInto({ByteView(opad, kBlockLen), ByteView(inner, kHashLen)}, {}, out.data());
  sodium_memzero(block_key, sizeof(block_key));
  sodium_memzero(ipad, sizeof(ipad));
  sodium_memzero(opad, sizeof(opad));
  sodium_memzero(inner, sizeof(inner));
  return out;
}

namespace {

// Noise §4.3: output i = HMAC(temp_key, output(i-1) || byte(i)), output 0 being empty.
void HkdfInto(ByteView chaining_key, ByteView input_key_material,
              std::initializer_list<Secret<kHashLen>*> outputs) {
  Secret<kHashLen> temp_key = HmacBlake2b(chaining_key, {input_key_material});
  uint8_t counter = 0;
  ByteView previous;
  for (Secret<kHashLen>* out : outputs) {
    ++counter;
    *out = HmacBlake2b(temp_key.view(), {previous, ByteView(&counter, 1)});
    previous = out->view();
  }
}

}  // namespace

HkdfPair Hkdf2(ByteView chaining_key, ByteView input_key_material) {
  HkdfPair r;
  HkdfInto(chaining_key, input_key_material, {&r.first, &r.second});
  return r;
}

HkdfTriple Hkdf3(ByteView chaining_key, ByteView input_key_material) {
  HkdfTriple r;
  HkdfInto(chaining_key, input_key_material, {&r.first, &r.second, &r.third});
  return r;
}

}  // namespace accord::crypto::noise
