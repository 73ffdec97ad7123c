// The device key file parser (crypto/key_file.h ReadKeyFile, KeyFileIsLocked): the input is
// written as a 0600 key file in a private temporary directory and read back, without and (for
// a locked file at the cheapest Argon2id cost) with the passphrase "fuzz". Invariants: only
// kCorrupt or kWrongPassphrase for a well-placed file of any content; a file that reads gives
// an identity that writes (plain v2) and reads back to itself, byte for byte when the input was
// already plain v2; "locked" is answered for exactly the files with a valid prefix.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "crypto/key_file.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
namespace fuzz = accord::fuzz;
namespace crypto = accord::crypto;
namespace fs = std::filesystem;

constexpr size_t kFlagsOffset = 8;        // after the 8-byte magic
constexpr size_t kOpsOffset = 10;         // locked: magic, flags, alg, then opslimit (u64 BE)
constexpr size_t kMemOffset = 18;         // then memlimit (u64 BE)
constexpr uint64_t kCheapOps = 2;         // passes
constexpr uint64_t kCheapMem = 1u << 20;  // bytes: Argon2id this small runs in milliseconds
constexpr const char* kPassphrase = "fuzz";

const fs::path& Dir() {
  static const fs::path dir = [] {
    char name[] = "/tmp/accord-fuzz-key-XXXXXX";
    if (mkdtemp(name) == nullptr) fuzz::Fail("mkdtemp");
    static fs::path made = name;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(made, ec);
    });
    return made;
  }();
  return dir;
}

void WriteFile(const fs::path& path, accord::ByteView bytes) {
  fs::remove(path);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out || chmod(path.c_str(), 0600) != 0) fuzz::Fail("cannot write the key file");
}

Bytes ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint64_t U64At(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

bool SameIdentity(const crypto::DeviceIdentity& a, const crypto::DeviceIdentity& b) {
  return a.signing.public_key() == b.signing.public_key() &&
         a.dh.public_key() == b.dh.public_key() &&
         std::equal(a.storage_key.view().begin(), a.storage_key.view().end(),
                    b.storage_key.view().begin());
}

std::vector<Bytes> Seeds() {
  fuzz::ResetRandom(0x6b6579);
  const crypto::DeviceIdentity id = crypto::DeviceIdentity::Generate();
  const fs::path plain = Dir() / "seed-plain";
  const fs::path locked = Dir() / "seed-locked";
  fs::remove(plain);
  fs::remove(locked);
  if (!crypto::WriteKeyFile(plain, id).ok() ||
      !crypto::WriteKeyFile(locked, id, kPassphrase, crypto::KdfParams::ForTests()).ok())
    fuzz::Fail("cannot write seed key files");
  Bytes v2 = ReadFile(plain);
  Bytes v1(v2.begin(), v2.begin() + 9 + 96);  // plain v1: no checksum
  v1[kFlagsOffset] = 0;
  return {v2, ReadFile(locked), v1};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  Dir();
  fuzz::WriteSeedsIfAsked("key_file", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the reader's own cap; larger files are a read error
  fuzz::ResetRandom(size);
  const fs::path path = Dir() / "key";
  WriteFile(path, accord::ByteView(data, size));

  accord::Result<bool> locked = crypto::KeyFileIsLocked(path);
  std::optional<std::string_view> passphrase;
  if (locked.ok() && *locked && U64At(data + kOpsOffset) <= kCheapOps &&
      U64At(data + kMemOffset) <= kCheapMem) {
    passphrase = kPassphrase;
  }
  accord::Result<crypto::DeviceIdentity> id = crypto::ReadKeyFile(path, passphrase);
  if (!id.ok()) {
    fuzz::Explain("refused: " + id.error().message);
    fuzz::Check(id.code() == accord::ErrorCode::kCorrupt ||
                    id.code() == accord::ErrorCode::kWrongPassphrase,
                "ReadKeyFile: a code other than kCorrupt or kWrongPassphrase");
    if (id.code() == accord::ErrorCode::kWrongPassphrase)
      fuzz::Check(locked.ok() && *locked, "kWrongPassphrase for a file that is not locked");
    return 0;
  }
  fuzz::Explain("read an identity");
  fuzz::Check(locked.ok(), "a key file read, but KeyFileIsLocked refused it");
  const fs::path copy = Dir() / "copy";
  fs::remove(copy);
  fuzz::Check(crypto::WriteKeyFile(copy, *id).ok(), "a read identity does not write");
  accord::Result<crypto::DeviceIdentity> back = crypto::ReadKeyFile(copy);
  fuzz::Check(back.ok() && SameIdentity(*id, *back), "a key file does not read back to itself");
  if (!*locked && data[kFlagsOffset] == 2) {
    fuzz::Check(ReadFile(copy) == Bytes(data, data + size), "a plain v2 file is not canonical");
  }
  return 0;
}
