// ISO/IEC 7816-4 padding to a block size (libsodium's sodium_pad), so that ciphertext lengths
// reveal only a bucket, not the exact size of what was sealed (SECURITY §4.3: transport
// plaintexts are padded to 256-byte buckets).
#ifndef ACCORD_CRYPTO_PADDING_H_
#define ACCORD_CRYPTO_PADDING_H_

#include <cstddef>
#include <optional>

#include "base/bytes.h"

namespace accord::crypto {

// The padded size of `size` bytes: the next multiple of `block` strictly above `size` (there
// is always at least one byte of padding). REQUIRES: block > 0.
constexpr size_t PaddedSize(size_t size, size_t block) { return (size / block + 1) * block; }

// `data` padded to PaddedSize(data.size(), block). REQUIRES: block > 0.
Bytes Pad(ByteView data, size_t block);
// The data before the padding, or nullopt if `padded` is not validly padded to `block`
// (wrong length, no 0x80 marker, non-zero bytes after it).
std::optional<Bytes> Unpad(ByteView padded, size_t block);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_PADDING_H_
