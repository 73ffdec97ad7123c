#include "crypto/padding.h"

#include <sodium.h>

namespace accord::crypto {

Bytes Pad(ByteView data, size_t block) {
  Bytes out(PaddedSize(data.size(), block), 0);
  std::copy(data.begin(), data.end(), out.begin());
  size_t padded_len = 0;
  // Cannot fail: the buffer has room for the padded size.
  (void)sodium_pad(&padded_len, out.data(), data.size(), block, out.size());
  out.resize(padded_len);
  return out;
}

std::optional<Bytes> Unpad(ByteView padded, size_t block) {
  if (block == 0 || padded.empty() || padded.size() % block != 0) return std::nullopt;
  size_t unpadded_len = 0;
  if (sodium_unpad(&unpadded_len, padded.data(), padded.size(), block) != 0) return std::nullopt;
  return Bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(unpadded_len));
}

}  // namespace accord::crypto
