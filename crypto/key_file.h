// The device key file (SECURITY §6.1): written atomically, mode 0600 in a 0700 directory,
// refused when group/world accessible, owned by another uid, or a symlink. Optionally
// wrapped by a passphrase with Argon2id ("locked mode"). Called from the daemon's main thread.
// Formats (SECURITY §6.1): plain v2 carries a BLAKE2b-256 checksum so that a damaged byte is
// reported as damage, never read as another identity; plain v1 (no checksum, written before)
// still loads as it is; the daemon checks every key file against its store (docs/identity.md).
#ifndef ACCORD_CRYPTO_KEY_FILE_H_
#define ACCORD_CRYPTO_KEY_FILE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "crypto/identity.h"
#include "crypto/private_file.h"  // EnsurePrivateDir

namespace accord::crypto {

// Argon2id cost. Stored in the file and authenticated, so lowering it breaks the AEAD.
struct KdfParams {
  uint64_t opslimit;
  uint64_t memlimit;               // bytes
  static KdfParams Moderate();     // crypto_pwhash_*_MODERATE: for users
  static KdfParams Interactive();  // crypto_pwhash_*_INTERACTIVE
  static KdfParams ForTests();     // libsodium's minimum cost: fast tests, never for users
};

// Writes plain v2 or locked through WriteNewPrivateFile (0600 temp file, fsync, rename,
// fsync(dir), 0700 dir).
// kAlreadyExists if `path` exists. With a passphrase the secrets are Argon2id-wrapped;
// an empty passphrase or out-of-range `params` is kInvalidArgument.
Status WriteKeyFile(const std::filesystem::path& path, const DeviceIdentity& identity,
                    std::optional<std::string_view> passphrase = std::nullopt,
                    KdfParams params = KdfParams::Moderate());

// kNotFound, kInsecureFile (mode, owner, symlink, directory), kCorrupt (bad magic, size,
// flags, checksum or implausible KDF parameters; the message names the file and says to
// restore it from a backup), kWrongPassphrase (locked file and a wrong or missing
// passphrase, or any modified byte the AEAD catches: the two cannot be told apart). A
// passphrase given for a plain file is ignored.
Result<DeviceIdentity> ReadKeyFile(const std::filesystem::path& path,
                                   std::optional<std::string_view> passphrase = std::nullopt);

// True if the key file at `path` is passphrase-wrapped. Same errors as ReadKeyFile.
Result<bool> KeyFileIsLocked(const std::filesystem::path& path);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_KEY_FILE_H_
