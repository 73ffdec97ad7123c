#include "base/bytes.h"

namespace accord {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string ToHex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0f]);
  }
  return out;
}

std::optional<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  Bytes out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

void PutU32Be(uint8_t* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

void PutU64Be(uint8_t* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

uint32_t GetU32Be(const uint8_t* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | in[i];
  return v;
}

uint64_t GetU64Be(const uint8_t* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | in[i];
  return v;
}

void AppendU8(Bytes& out, uint8_t v) { out.push_back(v); }

void AppendU32Be(Bytes& out, uint32_t v) {
  size_t at = out.size();
  out.resize(at + 4);
  PutU32Be(out.data() + at, v);
}

void AppendU64Be(Bytes& out, uint64_t v) {
  size_t at = out.size();
  out.resize(at + 8);
  PutU64Be(out.data() + at, v);
}

void AppendBytes(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

void AppendLengthPrefixed(Bytes& out, ByteView b) {
  AppendU32Be(out, static_cast<uint32_t>(b.size()));
  AppendBytes(out, b);
}

}  // namespace accord
