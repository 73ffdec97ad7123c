// Secret<N>: N secret bytes in guarded, locked memory (sodium_malloc), wiped when destroyed.
// Move-only; copying a secret is always explicit (Clone). Any thread, no sharing.
// Nothing outside crypto/ sees libsodium; this header does not include it.
#ifndef ACCORD_CRYPTO_SECRET_H_
#define ACCORD_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/bytes.h"

namespace accord::crypto {

namespace internal {
uint8_t* SecureAlloc(size_t n);         // zeroed, guarded; aborts on failure (out of memory)
void SecureFree(uint8_t* p, size_t n);  // wipes, then frees; p may be null
bool ConstantTimeEqual(const uint8_t* a, const uint8_t* b, size_t n);
void FillRandom(uint8_t* p, size_t n);
// For libsodium calls that cannot fail on valid inputs: a failure there is our bug or a
// broken library, and continuing could use uninitialised key material. Prints and aborts.
[[noreturn]] void Fatal(const char* what);
}  // namespace internal

// Overwrites plaintext or key bytes held in ordinary memory (sodium_memzero: not elided).
void Wipe(std::span<uint8_t> bytes);
inline void Wipe(std::string& s) {
  Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(s.data()), s.size()));
}

template <size_t N>
class Secret {
 public:
  Secret() : p_(internal::SecureAlloc(N)) {}
  ~Secret() { internal::SecureFree(p_, N); }
  Secret(Secret&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Secret& operator=(Secret&& o) noexcept {
    if (this != &o) {
      internal::SecureFree(p_, N);
      p_ = o.p_;
      o.p_ = nullptr;
    }
    return *this;
  }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  static Secret Random() {
    Secret s;
    internal::FillRandom(s.p_, N);
    return s;
  }
  // REQUIRES: bytes.size() == N
  static Secret FromBytes(ByteView bytes) {
    Secret s;
    for (size_t i = 0; i < N; ++i) s.p_[i] = bytes[i];
    return s;
  }
  Secret Clone() const { return FromBytes(view()); }

  static constexpr size_t size() { return N; }
  // REQUIRES: not moved-from
  uint8_t* data() { return p_; }
  const uint8_t* data() const { return p_; }
  ByteView view() const { return ByteView(p_, N); }
  bool Equals(const Secret& o) const { return internal::ConstantTimeEqual(p_, o.p_, N); }

 private:
  uint8_t* p_;
};

using SecretKey = Secret<32>;  // symmetric keys: epoch keys, person key, storage key

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_SECRET_H_
