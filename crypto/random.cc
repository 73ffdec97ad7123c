#include "crypto/random.h"

#include <sodium.h>

namespace accord::crypto {

bool Init() {
  // 0: initialised now; 1: already initialised (a second call is harmless); -1: failure.
  const int rc = sodium_init();
  return rc == 0 || rc == 1;
}

void RandomBytes(std::span<uint8_t> out) {
  // randombytes_buf is declared nonnull; an empty span may carry a null pointer.
  if (out.empty()) return;
  randombytes_buf(out.data(), out.size());
}

uint32_t RandomUniform(uint32_t upper_bound) { return randombytes_uniform(upper_bound); }

}  // namespace accord::crypto
