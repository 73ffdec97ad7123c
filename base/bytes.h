// Byte strings, hex, and big-endian integer coding used by every fixed binary layout.
// Any thread; pure functions. No crypto here (that is crypto/).
#ifndef ACCORD_BASE_BYTES_H_
#define ACCORD_BASE_BYTES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace accord {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

template <size_t N>
using FixedBytes = std::array<uint8_t, N>;

using Hash32 = FixedBytes<32>;  // BLAKE2b-256 output: entry ids, chain links, digests

std::string ToHex(ByteView bytes);
// Returns nullopt unless `hex` is an even number of [0-9a-fA-F] characters.
std::optional<Bytes> FromHex(std::string_view hex);

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsChars(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

void PutU32Be(uint8_t* out, uint32_t v);
void PutU64Be(uint8_t* out, uint64_t v);
uint32_t GetU32Be(const uint8_t* in);
uint64_t GetU64Be(const uint8_t* in);

// Appends to `out`; used by canonical encodings (state digest, transcripts).
void AppendU8(Bytes& out, uint8_t v);
void AppendU32Be(Bytes& out, uint32_t v);
void AppendU64Be(Bytes& out, uint64_t v);
void AppendBytes(Bytes& out, ByteView b);
// u32be length, then the bytes: unambiguous concatenation.
void AppendLengthPrefixed(Bytes& out, ByteView b);

template <size_t N>
bool IsAllZero(const FixedBytes<N>& b) {
  for (uint8_t x : b)
    if (x != 0) return false;
  return true;
}

}  // namespace accord

#endif  // ACCORD_BASE_BYTES_H_
