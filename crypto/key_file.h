// The device key file (SECURITY §6.1): written atomically, mode 0600 in a 0700 directory,
// refused when group/world accessible, owned by another uid, or a symlink. Optionally
// wrapped by a passphrase with Argon2id ("locked mode"). Called from the daemon's main thread.
#ifndef ACCORD_CRYPTO_KEY_FILE_H_
#define ACCORD_CRYPTO_KEY_FILE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "crypto/identity.h"

namespace accord::crypto {

// Argon2id cost. Stored in the file and authenticated, so lowering it breaks the AEAD.
struct KdfParams {
  uint64_t opslimit;
  uint64_t memlimit;  // bytes
  static KdfParams Moderate();     // crypto_pwhash_*_MODERATE: for users
  static KdfParams Interactive();  // crypto_pwhash_*_INTERACTIVE: for tests
};

// Creates `dir` with mode 0700 if missing; fails with kInsecureFile if it exists with a
// wider mode, another owner, or is a symlink.
Status EnsurePrivateDir(const std::filesystem::path& dir);

// Writes via tmp file (O_CREAT|O_EXCL|O_NOFOLLOW, 0600), fsync, rename, fsync(dir).
// kAlreadyExists if `path` exists. With a passphrase the secrets are Argon2id-wrapped.
Status WriteKeyFile(const std::filesystem::path& path, const DeviceIdentity& identity,
                    std::optional<std::string_view> passphrase = std::nullopt,
                    KdfParams params = KdfParams::Moderate());

// kNotFound, kInsecureFile (mode, owner, symlink, directory), kCorrupt (bad magic or size),
// kWrongPassphrase (locked file and a wrong or missing passphrase).
Result<DeviceIdentity> ReadKeyFile(const std::filesystem::path& path,
                                   std::optional<std::string_view> passphrase = std::nullopt);

// True if the key file at `path` is passphrase-wrapped. Same errors as ReadKeyFile.
Result<bool> KeyFileIsLocked(const std::filesystem::path& path);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_KEY_FILE_H_
