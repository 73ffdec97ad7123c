// Files only their owner may touch (SECURITY §6.1): 0700 directories, 0600 files written
// atomically, never through a symlink or owned by another uid. Blocking; the daemon's main
// thread. Knows nothing about what the files contain (that is key_file.h).
#ifndef ACCORD_CRYPTO_PRIVATE_FILE_H_
#define ACCORD_CRYPTO_PRIVATE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::crypto {

// Creates `dir` (and missing parents) with mode 0700 if missing; fails with kInsecureFile
// if it exists with a wider mode, another owner, or is a symlink.
Status EnsurePrivateDir(const std::filesystem::path& dir);

// Writes `data` to `path`, which must not exist (kAlreadyExists, the existing file is left
// untouched): a 0600 temp file in the same directory (O_CREAT|O_EXCL|O_NOFOLLOW, chmod'ed
// regardless of the umask), fsync, rename without replacing, fsync of the directory. The
// temp file is removed on failure. The directory is prepared with EnsurePrivateDir.
Status WriteNewPrivateFile(const std::filesystem::path& path, ByteView data);

// Removes what a WriteNewPrivateFile of `path` interrupted by a crash left behind: its
// temporary files (`.NAME.tmp-` and 16 hex digits, regular files) in the same directory,
// which may hold a secret. Returns how many were removed. For start-up, when no write of
// `path` can be under way.
Result<size_t> RemoveInterruptedWrites(const std::filesystem::path& path);

// Reads the whole file into `out` and returns its size. Refuses (kInsecureFile) a symlink,
// a non-regular file, another owner, any group/other mode bit, or a directory failing
// EnsurePrivateDir's checks; the opened descriptor is checked again (TOCTOU). kNotFound if
// it or its directory is missing; kCorrupt if it is larger than out.size().
Result<size_t> ReadPrivateFile(const std::filesystem::path& path, std::span<uint8_t> out);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_PRIVATE_FILE_H_
