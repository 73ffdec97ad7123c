#include "crypto/secret.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace accord::crypto::internal {

#if ACCORD_FUZZ_HEAP_SECRETS
// Fuzz trees only (crypto/CMakeLists.txt): sodium_malloc's guard pages and locking cost an
// mmap, mprotects, mlock, madvise and a munmap per secret, three quarters of a handshake
// target's time (docs/fuzzing.md). On the heap ASan checks every byte, not a page's edge.
uint8_t* SecureAlloc(size_t n) { return new uint8_t[n](); }

void SecureFree(uint8_t* p, size_t n) {
  if (p == nullptr) return;
  sodium_memzero(p, n);
  delete[] p;
}
#else
uint8_t* SecureAlloc(size_t n) {
  // sodium_malloc fills fresh memory with a canary pattern; zero it so a default Secret is
  // a well-defined all-zero value.
  auto* p = static_cast<uint8_t*>(sodium_malloc(n));
  if (p == nullptr) Fatal("sodium_malloc (out of memory or mlock limit)");
  sodium_memzero(p, n);
  return p;
}

void SecureFree(uint8_t* p, size_t n) {
  if (p == nullptr) return;
  // sodium_free wipes too; the explicit wipe keeps the guarantee if the allocator changes.
  sodium_memzero(p, n);
  sodium_free(p);
}
#endif

bool ConstantTimeEqual(const uint8_t* a, const uint8_t* b, size_t n) {
  return sodium_memcmp(a, b, n) == 0;
}

void FillRandom(uint8_t* p, size_t n) { randombytes_buf(p, n); }

void Fatal(const char* what) {
  std::fprintf(stderr, "accord: fatal crypto failure: %s\n", what);
  std::abort();
}

}  // namespace accord::crypto::internal

namespace accord::crypto {

void Wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

}  // namespace accord::crypto
