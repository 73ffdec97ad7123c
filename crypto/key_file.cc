#include "crypto/key_file.h"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace accord::crypto {

namespace {

namespace fs = std::filesystem;

// Layout (SECURITY §6.1). Every file starts with magic || flags.
constexpr uint8_t kMagic[] = {'A', 'C', 'C', 'K', 'E', 'Y', '0', '1'};
constexpr size_t kMagicBytes = sizeof(kMagic);    // bytes
constexpr size_t kPrefixBytes = kMagicBytes + 1;  // bytes, magic || flags
// Flags: 0 plain v1 (read only: written before the checksum existed), 1 locked, 2 plain v2
// (with a BLAKE2b-256 checksum).
constexpr uint8_t kFlagPlainV1 = 0;
constexpr uint8_t kFlagLocked = 1;
constexpr uint8_t kFlagPlain = 2;
// ed25519 seed || x25519 secret || storage key.
constexpr size_t kSecretsBytes = 32 + 32 + 32;                      // bytes
constexpr size_t kPlainV1FileBytes = kPrefixBytes + kSecretsBytes;  // bytes
// Plain: prefix || secrets || BLAKE2b-256(key = kChecksumKey, prefix || secrets). The checksum
// tells damage from a different identity; it is no defence against someone who can write it.
constexpr size_t kChecksumBytes = 32;                                   // bytes
constexpr size_t kPlainFileBytes = kPlainV1FileBytes + kChecksumBytes;  // bytes
constexpr std::string_view kChecksumKey = "accord/key-file/checksum/v2";
// Locked: prefix || alg(1) || opslimit(8) || memlimit(8) || salt(16) || nonce(24) || AEAD.
constexpr size_t kAlgOffset = kPrefixBytes;
constexpr size_t kOpsOffset = kAlgOffset + 1;
constexpr size_t kMemOffset = kOpsOffset + 8;
constexpr size_t kSaltOffset = kMemOffset + 8;
constexpr size_t kSaltBytes = crypto_pwhash_argon2id_SALTBYTES;  // bytes
constexpr size_t kNonceOffset = kSaltOffset + kSaltBytes;
constexpr size_t kLockedAdBytes = kNonceOffset + kXNonceBytes;  // bytes, all before the AEAD
constexpr size_t kLockedFileBytes = kLockedAdBytes + kSecretsBytes + kAeadTagBytes;  // bytes
static_assert(kSaltBytes == 16 && kLockedFileBytes == 178 && kPlainFileBytes == 137);
// A key file is tiny; anything bigger is not ours and is refused before reading it all.
constexpr size_t kMaxKeyFileBytes = 4096;  // bytes

// Bounds on stored Argon2id parameters, checked before crypto_pwhash runs, so that a
// tampered header cannot make us allocate or compute without limit. The upper bounds are
// far above SENSITIVE (4 passes, 1 GiB).
constexpr uint64_t kMinOpsLimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;  // passes
constexpr uint64_t kMaxOpsLimit = 16;                                   // passes
constexpr uint64_t kMinMemLimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;  // bytes
constexpr uint64_t kMaxMemLimit = uint64_t{4} << 30;                    // bytes, 4 GiB

std::string Quote(const fs::path& p) { return p.string(); }

// The whole file, read into guarded memory: a plain key file is the secrets themselves.
struct RawKeyFile {
  Secret<kMaxKeyFileBytes> bytes;
  size_t size = 0;
  ByteView view() const { return bytes.view().first(size); }
};

Result<RawKeyFile> ReadRawKeyFile(const fs::path& path) {
  RawKeyFile raw;
  Result<size_t> size =
      ReadPrivateFile(path, std::span<uint8_t>(raw.bytes.data(), raw.bytes.size()));
  if (!size.ok()) {
    if (size.code() == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound,
                       "no key file at " + Quote(path) + "; run `accord init` to create one");
    }
    Error error = size.error();
    error.message = "key file: " + error.message;
    return error;
  }
  raw.size = *size;
  return raw;
}

Status CheckPrefix(ByteView file, const fs::path& path) {
  if (file.size() < kPrefixBytes) {
    return MakeError(ErrorCode::kCorrupt, "key file " + Quote(path) + " is truncated (" +
                                              std::to_string(file.size()) +
                                              " bytes); restore it from a backup");
  }
  if (!std::equal(kMagic, kMagic + kMagicBytes, file.begin())) {
    return MakeError(ErrorCode::kCorrupt, Quote(path) +
                                              " is not an accord key file (bad magic); it is "
                                              "damaged, restore it from a backup");
  }
  const uint8_t flags = file[kMagicBytes];
  if (flags != kFlagPlain && flags != kFlagPlainV1 && flags != kFlagLocked) {
    return MakeError(ErrorCode::kCorrupt,
                     "key file " + Quote(path) +
                         " has unknown flags (damaged, or written by a newer accord?); "
                         "restore it from a backup");
  }
  const size_t want = flags == kFlagLocked  ? kLockedFileBytes
                      : flags == kFlagPlain ? kPlainFileBytes
                                            : kPlainV1FileBytes;
  if (file.size() != want) {
    return MakeError(ErrorCode::kCorrupt, "key file " + Quote(path) + " has the wrong size (" +
                                              std::to_string(file.size()) + " bytes, expected " +
                                              std::to_string(want) +
                                              "); it is damaged, restore it from a backup");
  }
  return Status::Ok();
}

Hash32 PlainChecksum(ByteView prefix_and_secrets) {
  return Blake2b256Keyed(AsBytes(kChecksumKey), prefix_and_secrets);
}

bool ParamsInRange(const KdfParams& p) {
  return p.opslimit >= kMinOpsLimit && p.opslimit <= kMaxOpsLimit && p.memlimit >= kMinMemLimit &&
         p.memlimit <= kMaxMemLimit;
}

Result<SecretKey> PassphraseKey(std::string_view passphrase, const uint8_t* salt,
                                const KdfParams& params) {
  SecretKey key;
  // crypto_pwhash is declared nonnull, and an empty string_view may hold a null pointer.
  const char* pass = passphrase.empty() ? "" : passphrase.data();
  if (crypto_pwhash(key.data(), key.size(), pass, passphrase.size(), salt, params.opslimit,
                    static_cast<size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // Parameters were range-checked, so this is (almost always) memory exhaustion.
    return MakeError(ErrorCode::kInternal, "Argon2id failed (out of memory for " +
                                               std::to_string(params.memlimit) + " bytes?)");
  }
  return key;
}

DeviceIdentity IdentityFromSecrets(const Secret<kSecretsBytes>& secrets) {
  const ByteView all = secrets.view();
  return DeviceIdentity{SigningKey::FromSeed(Secret<32>::FromBytes(all.subspan(0, 32))),
                        DhKeyPair::FromSecret(Secret<32>::FromBytes(all.subspan(32, 32))),
                        SecretKey::FromBytes(all.subspan(64, 32))};
}

}  // namespace

KdfParams KdfParams::Moderate() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MODERATE, crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
}

KdfParams KdfParams::Interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

KdfParams KdfParams::ForTests() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Status WriteKeyFile(const fs::path& path, const DeviceIdentity& identity,
                    std::optional<std::string_view> passphrase, KdfParams params) {
  if (passphrase.has_value()) {
    if (passphrase->empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the passphrase is empty; choose a passphrase or use no lock");
    }
    if (!ParamsInRange(params)) {
      return MakeError(ErrorCode::kInvalidArgument, "Argon2id parameters out of range");
    }
  }
  Secret<kSecretsBytes> secrets;
  std::copy_n(identity.signing.seed().data(), 32, secrets.data());
  std::copy_n(identity.dh.secret().data(), 32, secrets.data() + 32);
  std::copy_n(identity.storage_key.data(), 32, secrets.data() + 64);

  Secret<kLockedFileBytes> file;  // guarded: a plain file holds the secrets in the clear
  uint8_t* out = file.data();
  std::copy_n(kMagic, kMagicBytes, out);
  size_t size = 0;
  if (!passphrase.has_value()) {
    out[kMagicBytes] = kFlagPlain;
    std::copy_n(secrets.data(), kSecretsBytes, out + kPrefixBytes);
    const Hash32 checksum = PlainChecksum(ByteView(out, kPlainV1FileBytes));
    std::copy(checksum.begin(), checksum.end(), out + kPlainV1FileBytes);
    size = kPlainFileBytes;
  } else {
    out[kMagicBytes] = kFlagLocked;
    out[kAlgOffset] = crypto_pwhash_ALG_ARGON2ID13;
    PutU64Be(out + kOpsOffset, params.opslimit);
    PutU64Be(out + kMemOffset, params.memlimit);
    RandomBytes(std::span<uint8_t>(out + kSaltOffset, kSaltBytes));
    RandomBytes(std::span<uint8_t>(out + kNonceOffset, kXNonceBytes));
    Result<SecretKey> key = PassphraseKey(*passphrase, out + kSaltOffset, params);
    if (!key.ok()) return key.error();
    unsigned long long ct_len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + kLockedAdBytes, &ct_len, secrets.data(),
                                                   kSecretsBytes, out, kLockedAdBytes, nullptr,
                                                   out + kNonceOffset, key->data()) != 0 ||
        ct_len != kSecretsBytes + kAeadTagBytes) {
      internal::Fatal("crypto_aead_xchacha20poly1305_ietf_encrypt (key file)");
    }
    size = kLockedFileBytes;
  }
  return WriteNewPrivateFile(path, file.view().first(size));
}

Result<DeviceIdentity> ReadKeyFile(const fs::path& path,
                                   std::optional<std::string_view> passphrase) {
  Result<RawKeyFile> raw = ReadRawKeyFile(path);
  if (!raw.ok()) return raw.error();
  const ByteView file = raw->view();
  ACCORD_RETURN_IF_ERROR(CheckPrefix(file, path));

  Secret<kSecretsBytes> secrets;
  if (file[kMagicBytes] == kFlagPlain) {
    const Hash32 want = PlainChecksum(file.first(kPlainV1FileBytes));
    if (!ConstantTimeEqual(want, file.subspan(kPlainV1FileBytes, kChecksumBytes))) {
      return MakeError(ErrorCode::kCorrupt,
                       "key file " + Quote(path) +
                           " is damaged (its checksum does not match); restore it from a "
                           "backup. Do not run `accord init`: that would make a new identity");
    }
  }
  if (file[kMagicBytes] == kFlagPlain || file[kMagicBytes] == kFlagPlainV1) {
    std::copy_n(file.data() + kPrefixBytes, kSecretsBytes, secrets.data());
    return IdentityFromSecrets(secrets);
  }

  if (file[kAlgOffset] != crypto_pwhash_ALG_ARGON2ID13) {
    return MakeError(ErrorCode::kCorrupt,
                     "key file " + Quote(path) + " names an unknown key derivation algorithm");
  }
  const KdfParams params{GetU64Be(file.data() + kOpsOffset), GetU64Be(file.data() + kMemOffset)};
  if (!ParamsInRange(params)) {
    return MakeError(ErrorCode::kCorrupt,
                     "key file " + Quote(path) + " has implausible Argon2id parameters (" +
                         std::to_string(params.opslimit) + " passes, " +
                         std::to_string(params.memlimit) +
                         " bytes); it was modified or damaged, restore it from a backup");
  }
  if (!passphrase.has_value()) {
    return MakeError(ErrorCode::kWrongPassphrase,
                     "key file " + Quote(path) + " is locked; unlock it with its passphrase");
  }
  Result<SecretKey> key = PassphraseKey(*passphrase, file.data() + kSaltOffset, params);
  if (!key.ok()) return key.error();
  // A wrong passphrase and a modified byte look the same to the AEAD; both land here.
  unsigned long long secrets_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          secrets.data(), &secrets_len, nullptr, file.data() + kLockedAdBytes,
          kSecretsBytes + kAeadTagBytes, file.data(), kLockedAdBytes, file.data() + kNonceOffset,
          key->data()) != 0) {
    return MakeError(ErrorCode::kWrongPassphrase, "wrong passphrase for " + Quote(path) +
                                                      " (or the file was modified); try again");
  }
  return IdentityFromSecrets(secrets);
}

Result<bool> KeyFileIsLocked(const fs::path& path) {
  Result<RawKeyFile> raw = ReadRawKeyFile(path);
  if (!raw.ok()) return raw.error();
  ACCORD_RETURN_IF_ERROR(CheckPrefix(raw->view(), path));
  return raw->view()[kMagicBytes] == kFlagLocked;
}

}  // namespace accord::crypto
