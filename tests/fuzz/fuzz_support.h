// What every libFuzzer target shares: deterministic randomness (libsodium's randombytes
// replaced by a seeded generator before sodium_init), the seed writer, an input reader, and
// the invariant check. Fuzz builds only (ACCORD_FUZZ); never linked into a program.
#ifndef ACCORD_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define ACCORD_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace accord::fuzz {

// Installs the seeded randombytes implementation, then initialises libsodium. Call first, in
// LLVMFuzzerInitialize; aborts if libsodium cannot start.
void Init();

// Restarts the random stream at `seed`: a target calls it once per input, after building its
// fixed keys, so an input always sees the same "random" bytes (reproducible crashes).
void ResetRandom(uint64_t seed);

// With ACCORD_FUZZ_WRITE_SEEDS=DIR set, writes `seeds()` as DIR/<target>/seed-NN and exits 0
// (tests/fuzz/write_seeds.sh). Seeds are made by the code itself, with the target's keys.
void WriteSeedsIfAsked(std::string_view target, const std::function<std::vector<Bytes>()>& seeds);

// With ACCORD_FUZZ_EXPLAIN set, prints `what` (a target saying how far an input got), so a
// seed or reproducer can be checked by running the target on it: fuzz_x FILE.
void Explain(std::string_view what);

// An invariant that holds for every input failed: report it and crash (libFuzzer records
// the input as a crash artifact).
[[noreturn]] void Fail(const char* what);
inline void Check(bool holds, const char* what) {
  if (!holds) Fail(what);
}

// Reads a fuzz input front to back; past the end it yields zeros and empty chunks.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte();
  uint16_t U16();  // big-endian
  // A chunk: u16 big-endian length, then that many bytes (fewer if the input ends).
  ByteView Chunk();
  ByteView Rest();
  bool empty() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// The encoding Input::Chunk reads, for seed writers.
void AppendChunk(Bytes& out, ByteView chunk);

}  // namespace accord::fuzz

#endif  // ACCORD_TESTS_FUZZ_FUZZ_SUPPORT_H_
