#include "tests/fuzz/fuzz_support.h"

#include <google/protobuf/stubs/logging.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "crypto/random.h"

namespace accord::fuzz {
namespace {

// splitmix64: not cryptographic, and it must not be: fuzzing needs the same bytes each run.
uint64_t g_state = 0;

uint64_t NextWord() {
  uint64_t z = (g_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

const char* ImplementationName() { return "accord-fuzz-splitmix64"; }
uint32_t Random() { return static_cast<uint32_t>(NextWord() >> 32); }
void Stir() {}
uint32_t Uniform(const uint32_t upper_bound) {
  if (upper_bound < 2) return 0;
  // Rejection sampling, as libsodium's own: no modulo bias.
  const uint32_t min = (1u + ~upper_bound) % upper_bound;
  for (;;) {
    const uint32_t r = Random();
    if (r >= min) return r % upper_bound;
  }
}
void Buf(void* const buf, const size_t size) {
  auto* out = static_cast<uint8_t*>(buf);
  for (size_t i = 0; i < size; i += 8) {
    const uint64_t word = NextWord();
    for (size_t j = 0; j < 8 && i + j < size; ++j)
      out[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
}
int Close() { return 0; }

randombytes_implementation g_implementation = {
    ImplementationName, Random, Stir, Uniform, Buf, Close,
};

}  // namespace

void Init() {
  if (randombytes_set_implementation(&g_implementation) != 0 || !crypto::Init()) {
    std::fprintf(stderr, "fuzz: libsodium failed to initialise\n");
    std::abort();
  }
  ResetRandom(0);
  // protobuf logs every invalid UTF-8 string it parses; at fuzzing speed that is all output.
  google::protobuf::SetLogHandler(nullptr);
}

void ResetRandom(uint64_t seed) { g_state = seed; }

void WriteSeedsIfAsked(std::string_view target, const std::function<std::vector<Bytes>()>& seeds) {
  const char* dir = std::getenv("ACCORD_FUZZ_WRITE_SEEDS");
  if (dir == nullptr || *dir == '\0') return;
  const std::filesystem::path out = std::filesystem::path(dir) / std::string(target);
  std::filesystem::create_directories(out);
  const std::vector<Bytes> all = seeds();
  for (size_t i = 0; i < all.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "seed-%02zu", i);
    std::ofstream file(out / name, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(all[i].data()),
               static_cast<std::streamsize>(all[i].size()));
    if (!file) {
      std::fprintf(stderr, "fuzz: cannot write %s\n", (out / name).c_str());
      std::exit(1);
    }
  }
  std::fprintf(stderr, "fuzz: wrote %zu seeds to %s\n", all.size(), out.c_str());
  std::exit(0);
}

void Explain(std::string_view what) {
  static const bool explain = std::getenv("ACCORD_FUZZ_EXPLAIN") != nullptr;
  if (explain) std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
}

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::fflush(stderr);
  __builtin_trap();
}

uint8_t Input::Byte() { return pos_ < size_ ? data_[pos_++] : 0; }

uint16_t Input::U16() {
  const uint16_t high = Byte();
  return static_cast<uint16_t>(high << 8 | Byte());
}

ByteView Input::Chunk() {
  const size_t want = U16();
  const size_t take = std::min(want, size_ - std::min(pos_, size_));
  ByteView chunk(data_ + pos_, take);
  pos_ += take;
  return chunk;
}

ByteView Input::Rest() {
  if (pos_ >= size_) return ByteView();
  ByteView rest(data_ + pos_, size_ - pos_);
  pos_ = size_;
  return rest;
}

void AppendChunk(Bytes& out, ByteView chunk) {
  const size_t n = std::min<size_t>(chunk.size(), 0xffff);
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n & 0xff));
  out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace accord::fuzz
