// Randomness from the OS CSPRNG (libsodium randombytes). Any thread.
#ifndef ACCORD_CRYPTO_RANDOM_H_
#define ACCORD_CRYPTO_RANDOM_H_

#include <cstdint>
#include <span>

#include "base/bytes.h"

namespace accord::crypto {

// Must be called once before any other crypto function (in main and in test main);
// returns false if libsodium cannot initialise.
bool Init();

void RandomBytes(std::span<uint8_t> out);
uint32_t RandomUniform(uint32_t upper_bound);  // uniform in [0, upper_bound)

template <size_t N>
FixedBytes<N> RandomFixed() {
  FixedBytes<N> out;
  RandomBytes(out);
  return out;
}

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_RANDOM_H_
