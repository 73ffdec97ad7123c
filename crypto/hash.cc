#include "crypto/hash.h"

#include <sodium.h>

#include "crypto/secret.h"

namespace accord::crypto {

static_assert(crypto_generichash_BYTES == Hash32().size());

Hash32 Blake2b256(ByteView data) {
  Hash32 out;
  if (crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0) != 0) {
    internal::Fatal("crypto_generichash");
  }
  return out;
}

Hash32 Blake2b256Keyed(ByteView key, ByteView data) {
  // Key length is a precondition (keys are our own constants), so a bad one is our bug.
  if (key.empty() || key.size() > crypto_generichash_KEYBYTES_MAX) {
    internal::Fatal("Blake2b256Keyed: key must be 1..64 bytes");
  }
  Hash32 out;
  if (crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(),
                         key.size()) != 0) {
    internal::Fatal("crypto_generichash (keyed)");
  }
  return out;
}

namespace {
// The header keeps the state as raw bytes so that it need not include <sodium.h>.
constexpr size_t kHasherStateBytes = 384;  // bytes, the size of Blake2b256Hasher::state_
constexpr size_t kHasherStateAlign = 64;   // bytes, alignas of Blake2b256Hasher::state_
static_assert(sizeof(crypto_generichash_state) <= kHasherStateBytes,
              "Blake2b256Hasher::state_ is too small for crypto_generichash_state");
static_assert(alignof(crypto_generichash_state) <= kHasherStateAlign,
              "Blake2b256Hasher::state_ is not aligned enough for crypto_generichash_state");

crypto_generichash_state* AsState(uint8_t* bytes) {
  return reinterpret_cast<crypto_generichash_state*>(bytes);
}
}  // namespace

Blake2b256Hasher::Blake2b256Hasher() {
  static_assert(sizeof(state_) == kHasherStateBytes &&
                alignof(Blake2b256Hasher) >= kHasherStateAlign);
  if (crypto_generichash_init(AsState(state_), nullptr, 0, Hash32().size()) != 0) {
    internal::Fatal("crypto_generichash_init");
  }
}

void Blake2b256Hasher::Update(ByteView data) {
  if (crypto_generichash_update(AsState(state_), data.data(), data.size()) != 0) {
    internal::Fatal("crypto_generichash_update");
  }
}

Hash32 Blake2b256Hasher::Final() {
  Hash32 out;
  if (crypto_generichash_final(AsState(state_), out.data(), out.size()) != 0) {
    internal::Fatal("crypto_generichash_final (called twice?)");
  }
  return out;
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  // Lengths are public (tags and keys have fixed sizes); only the contents are secret.
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace accord::crypto
