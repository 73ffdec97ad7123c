#include "crypto/key_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "base/bytes.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace accord::crypto {
namespace {

namespace fs = std::filesystem;

// Layout offsets from SECURITY §6.1, restated here so the test checks the documented format.
constexpr size_t kFlagsOffset = 8;
constexpr size_t kOpsOffset = 10;
constexpr size_t kMemOffset = 18;
constexpr size_t kPlainSize = 8 + 1 + 96 + 32;  // v2: with its BLAKE2b-256 checksum
constexpr size_t kPlainV1Size = 8 + 1 + 96;
constexpr size_t kLockedSize = 8 + 1 + 1 + 8 + 8 + 16 + 24 + 96 + 16;

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// In place, keeping inode, owner and mode (a disk error, not a replacement).
void OverwriteBytes(const fs::path& p, const Bytes& bytes) {
  ASSERT_TRUE(accord::testing::OverwriteFileBytes(p, bytes)) << p;
}

void ExpectSameIdentity(const DeviceIdentity& a, const DeviceIdentity& b) {
  EXPECT_TRUE(a.signing.seed().Equals(b.signing.seed()));
  EXPECT_EQ(a.signing.public_key(), b.signing.public_key());
  EXPECT_TRUE(a.dh.secret().Equals(b.dh.secret()));
  EXPECT_EQ(a.dh.public_key(), b.dh.public_key());
  EXPECT_TRUE(a.storage_key.Equals(b.storage_key));
}

class KeyFile : public ::testing::Test {
 protected:
  fs::path dir() const { return tmp_.path() / "keys"; }
  fs::path key_path() const { return dir() / "device.key"; }

  void WritePlain() { ASSERT_TRUE(WriteKeyFile(key_path(), identity_).ok()); }
  void WriteLocked(KdfParams params = KdfParams::ForTests()) {
    Status s = WriteKeyFile(key_path(), identity_, kPassphrase, params);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  static constexpr std::string_view kPassphrase = "correct horse battery staple";
  accord::testing::TempDir tmp_;
  DeviceIdentity identity_ = DeviceIdentity::Generate();
};

TEST_F(KeyFile, PlainFileRoundTripsEveryKey) {
  WritePlain();
  EXPECT_EQ(fs::file_size(key_path()), kPlainSize);
  Result<DeviceIdentity> read = ReadKeyFile(key_path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSameIdentity(*read, identity_);
}

TEST_F(KeyFile, LockedFileRoundTripsEveryKey) {
  WriteLocked();
  EXPECT_EQ(fs::file_size(key_path()), kLockedSize);
  Result<DeviceIdentity> read = ReadKeyFile(key_path(), kPassphrase);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSameIdentity(*read, identity_);
}

TEST_F(KeyFile, LockedFileWithInteractiveCostRoundTrips) {
  WriteLocked(KdfParams::Interactive());
  Result<DeviceIdentity> read = ReadKeyFile(key_path(), kPassphrase);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSameIdentity(*read, identity_);
}

TEST_F(KeyFile, LockedFileDoesNotContainThePlainSecrets) {
  WriteLocked();
  const Bytes file = accord::testing::ReadFileBytes(key_path());
  const ByteView seed = identity_.signing.seed().view();
  EXPECT_EQ(std::search(file.begin(), file.end(), seed.begin(), seed.end()), file.end());
  const ByteView storage = identity_.storage_key.view();
  EXPECT_EQ(std::search(file.begin(), file.end(), storage.begin(), storage.end()), file.end());
}

TEST_F(KeyFile, IsWrittenMode0600InA0700DirectoryWhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
    SCOPED_TRACE(mask);
    const mode_t old = ::umask(mask);
    const fs::path nested = tmp_.path() / ("u" + std::to_string(mask)) / "keys" / "device.key";
    Status s = WriteKeyFile(nested, identity_);
    ::umask(old);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(ModeOf(nested), 0600u);
    EXPECT_EQ(ModeOf(nested.parent_path()), 0700u);
    EXPECT_TRUE(ReadKeyFile(nested).ok());
  }
}

TEST_F(KeyFile, WriteLeavesNoTemporaryFileBehind) {
  WritePlain();
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir())) {
    EXPECT_EQ(e.path().filename(), "device.key");
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(KeyFile, RefusesGroupOrWorldAccessibleFile) {
  WritePlain();
  for (mode_t mode : {mode_t{0640}, mode_t{0604}, mode_t{0620}, mode_t{0602}, mode_t{0610}}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(::chmod(key_path().c_str(), mode), 0);
    Result<DeviceIdentity> read = ReadKeyFile(key_path());
    EXPECT_EQ(read.code(), ErrorCode::kInsecureFile);
    if (!read.ok()) {
      EXPECT_NE(read.error().message.find("chmod 600 " + key_path().string()), std::string::npos)
          << read.error().message;
    }
    EXPECT_EQ(KeyFileIsLocked(key_path()).code(), ErrorCode::kInsecureFile);
  }
  ASSERT_EQ(::chmod(key_path().c_str(), 0400), 0);  // narrower than 0600 is fine
  EXPECT_TRUE(ReadKeyFile(key_path()).ok());
}

TEST_F(KeyFile, RefusesSymlinkAtTheKeyPath) {
  WritePlain();
  const fs::path link = dir() / "link.key";
  fs::create_symlink(key_path(), link);
  EXPECT_EQ(ReadKeyFile(link).code(), ErrorCode::kInsecureFile);
  EXPECT_EQ(KeyFileIsLocked(link).code(), ErrorCode::kInsecureFile);
}

TEST_F(KeyFile, RefusesSymlinkedDirectory) {
  WritePlain();
  const fs::path linked_dir = tmp_.path() / "linked";
  fs::create_directory_symlink(dir(), linked_dir);
  EXPECT_EQ(ReadKeyFile(linked_dir / "device.key").code(), ErrorCode::kInsecureFile);
  EXPECT_EQ(WriteKeyFile(linked_dir / "other.key", identity_).code(), ErrorCode::kInsecureFile);
}

TEST_F(KeyFile, RefusesAnOpenDirectory) {
  WritePlain();
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kInsecureFile);
  EXPECT_EQ(EnsurePrivateDir(dir()).code(), ErrorCode::kInsecureFile);
  EXPECT_EQ(WriteKeyFile(dir() / "other.key", identity_).code(), ErrorCode::kInsecureFile);
  EXPECT_FALSE(fs::exists(dir() / "other.key"));
  ASSERT_EQ(::chmod(dir().c_str(), 0700), 0);
  EXPECT_TRUE(ReadKeyFile(key_path()).ok());
}

TEST_F(KeyFile, RefusesAFileOwnedByAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  WritePlain();
  ASSERT_EQ(::chown(key_path().c_str(), 65534, 65534), 0);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kInsecureFile);
}

TEST_F(KeyFile, RefusesADirectoryOwnedByAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  WritePlain();
  ASSERT_EQ(::chown(dir().c_str(), 65534, 65534), 0);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kInsecureFile);
}

TEST_F(KeyFile, RefusesSomethingOtherThanARegularFile) {
  ASSERT_TRUE(EnsurePrivateDir(dir()).ok());
  ASSERT_EQ(::mkdir(key_path().c_str(), 0700), 0);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kInsecureFile);
  const fs::path fifo = dir() / "fifo.key";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(ReadKeyFile(fifo).code(), ErrorCode::kInsecureFile);
}

TEST_F(KeyFile, MissingFileOrDirectoryIsNotFound) {
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(EnsurePrivateDir(dir()).ok());
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kNotFound);
  EXPECT_EQ(KeyFileIsLocked(key_path()).code(), ErrorCode::kNotFound);
}

TEST_F(KeyFile, WrongPassphraseIsRefused) {
  WriteLocked();
  EXPECT_EQ(ReadKeyFile(key_path(), "correct horse battery stapler").code(),
            ErrorCode::kWrongPassphrase);
  EXPECT_EQ(ReadKeyFile(key_path(), "").code(), ErrorCode::kWrongPassphrase);
  EXPECT_EQ(ReadKeyFile(key_path(), std::string_view()).code(), ErrorCode::kWrongPassphrase);
}

TEST_F(KeyFile, LockedFileWithoutPassphraseIsRefused) {
  WriteLocked();
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kWrongPassphrase);
}

TEST_F(KeyFile, PassphraseForAPlainFileIsIgnored) {
  WritePlain();
  Result<DeviceIdentity> read = ReadKeyFile(key_path(), "unused");
  ASSERT_TRUE(read.ok());
  ExpectSameIdentity(*read, identity_);
}

TEST_F(KeyFile, AnyFlippedByteInALockedFileFails) {
  WriteLocked();
  const Bytes original = accord::testing::ReadFileBytes(key_path());
  ASSERT_EQ(original.size(), kLockedSize);
  for (size_t i = 0; i < original.size(); ++i) {
    Bytes tampered = original;
    tampered[i] ^= 0x01;
    OverwriteBytes(key_path(), tampered);
    Result<DeviceIdentity> read = ReadKeyFile(key_path(), kPassphrase);
    ASSERT_FALSE(read.ok()) << "byte " << i;
    EXPECT_TRUE(read.code() == ErrorCode::kCorrupt || read.code() == ErrorCode::kWrongPassphrase)
        << "byte " << i << ": " << ErrorCodeName(read.code());
  }
  OverwriteBytes(key_path(), original);
  EXPECT_TRUE(ReadKeyFile(key_path(), kPassphrase).ok());
}

TEST_F(KeyFile, LoweredKdfParametersFailTheAead) {
  WriteLocked(KdfParams{3, 2 * KdfParams::ForTests().memlimit});
  const Bytes original = accord::testing::ReadFileBytes(key_path());

  Bytes lower_ops = original;
  PutU64Be(lower_ops.data() + kOpsOffset, 2);
  OverwriteBytes(key_path(), lower_ops);
  EXPECT_EQ(ReadKeyFile(key_path(), kPassphrase).code(), ErrorCode::kWrongPassphrase);

  Bytes lower_mem = original;
  PutU64Be(lower_mem.data() + kMemOffset, KdfParams::ForTests().memlimit);
  OverwriteBytes(key_path(), lower_mem);
  EXPECT_EQ(ReadKeyFile(key_path(), kPassphrase).code(), ErrorCode::kWrongPassphrase);
}

TEST_F(KeyFile, AbsurdKdfParametersAreRejectedBeforeDerivation) {
  WriteLocked();
  const Bytes original = accord::testing::ReadFileBytes(key_path());
  for (uint64_t ops : {uint64_t{0}, uint64_t{1} << 32, ~uint64_t{0}}) {
    Bytes tampered = original;
    PutU64Be(tampered.data() + kOpsOffset, ops);
    OverwriteBytes(key_path(), tampered);
    EXPECT_EQ(ReadKeyFile(key_path(), kPassphrase).code(), ErrorCode::kCorrupt) << ops;
  }
  // Huge memlimits would make Argon2id allocate them; they must fail fast instead.
  for (uint64_t mem : {uint64_t{0}, uint64_t{1024}, uint64_t{1} << 40, ~uint64_t{0}}) {
    Bytes tampered = original;
    PutU64Be(tampered.data() + kMemOffset, mem);
    OverwriteBytes(key_path(), tampered);
    EXPECT_EQ(ReadKeyFile(key_path(), kPassphrase).code(), ErrorCode::kCorrupt) << mem;
  }
}

TEST_F(KeyFile, TruncatedFileIsCorrupt) {
  for (bool locked : {false, true}) {
    SCOPED_TRACE(locked);
    const fs::path p = dir() / (locked ? "locked.key" : "plain.key");
    ASSERT_TRUE(WriteKeyFile(p, identity_, locked ? std::optional(kPassphrase) : std::nullopt,
                             KdfParams::ForTests())
                    .ok());
    const Bytes original = accord::testing::ReadFileBytes(p);
    for (size_t n = 0; n < original.size(); ++n) {
      OverwriteBytes(p, Bytes(original.begin(), original.begin() + n));
      ASSERT_EQ(ReadKeyFile(p, kPassphrase).code(), ErrorCode::kCorrupt) << n;
      ASSERT_EQ(KeyFileIsLocked(p).code(), ErrorCode::kCorrupt) << n;
    }
  }
}

TEST_F(KeyFile, TrailingBytesAreCorrupt) {
  WritePlain();
  Bytes longer = accord::testing::ReadFileBytes(key_path());
  longer.push_back(0);
  OverwriteBytes(key_path(), longer);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kCorrupt);
}

TEST_F(KeyFile, BadMagicIsCorrupt) {
  WritePlain();
  Bytes bytes = accord::testing::ReadFileBytes(key_path());
  bytes[7] = '2';  // "ACCKEY02"
  OverwriteBytes(key_path(), bytes);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(KeyFileIsLocked(key_path()).code(), ErrorCode::kCorrupt);
}

TEST_F(KeyFile, UnknownFlagsAreCorrupt) {
  WritePlain();
  Bytes bytes = accord::testing::ReadFileBytes(key_path());
  bytes[kFlagsOffset] = 3;
  OverwriteBytes(key_path(), bytes);
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kCorrupt);
}

// Damage must be reported as damage: a plain file read with one changed byte used to be a
// valid, different identity (a new device that silently lost its own log).
TEST_F(KeyFile, AnyFlippedByteInAPlainFileIsCorruptNeverAnotherIdentity) {
  WritePlain();
  const Bytes original = accord::testing::ReadFileBytes(key_path());
  ASSERT_EQ(original.size(), kPlainSize);
  for (size_t i = 0; i < original.size(); ++i) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
      Bytes tampered = original;
      tampered[i] ^= mask;
      OverwriteBytes(key_path(), tampered);
      Result<DeviceIdentity> read = ReadKeyFile(key_path());
      ASSERT_FALSE(read.ok()) << "byte " << i << " mask " << int{mask};
      EXPECT_EQ(read.code(), ErrorCode::kCorrupt) << "byte " << i << ": " << read.error().message;
      EXPECT_NE(read.error().message.find(key_path().string()), std::string::npos)
          << read.error().message;
      EXPECT_NE(read.error().message.find("restore it from a backup"), std::string::npos)
          << "byte " << i << ": " << read.error().message;
    }
  }
  OverwriteBytes(key_path(), original);
  Result<DeviceIdentity> read = ReadKeyFile(key_path());
  ASSERT_TRUE(read.ok());
  ExpectSameIdentity(*read, identity_);
}

TEST_F(KeyFile, DamagedPlainFileMessageNeverSuggestsInit) {
  WritePlain();
  Bytes bytes = accord::testing::ReadFileBytes(key_path());
  bytes[14] ^= 0x01;
  OverwriteBytes(key_path(), bytes);
  Result<DeviceIdentity> read = ReadKeyFile(key_path());
  ASSERT_EQ(read.code(), ErrorCode::kCorrupt);
  EXPECT_NE(read.error().message.find("damaged"), std::string::npos) << read.error().message;
  EXPECT_NE(read.error().message.find("Do not run `accord init`"), std::string::npos)
      << read.error().message;
}

// Files written before the checksum existed keep loading (the daemon checks them against
// its store instead).
TEST_F(KeyFile, PlainV1FileWithoutChecksumStillLoads) {
  WritePlain();
  Bytes bytes = accord::testing::ReadFileBytes(key_path());
  bytes[kFlagsOffset] = 0;
  bytes.resize(kPlainV1Size);
  OverwriteBytes(key_path(), bytes);
  Result<DeviceIdentity> read = ReadKeyFile(key_path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ExpectSameIdentity(*read, identity_);
  Result<bool> locked = KeyFileIsLocked(key_path());
  ASSERT_TRUE(locked.ok());
  EXPECT_FALSE(*locked);
}

TEST_F(KeyFile, OversizedFileIsCorrupt) {
  WritePlain();
  OverwriteBytes(key_path(), Bytes(5000, 0x41));
  EXPECT_EQ(ReadKeyFile(key_path()).code(), ErrorCode::kCorrupt);
}

TEST_F(KeyFile, WritingOverAnExistingFileIsRefusedAndLeavesItUnchanged) {
  WritePlain();
  const Bytes before = accord::testing::ReadFileBytes(key_path());
  const DeviceIdentity other = DeviceIdentity::Generate();
  EXPECT_EQ(WriteKeyFile(key_path(), other).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(WriteKeyFile(key_path(), other, "pass", KdfParams::ForTests()).code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(accord::testing::ReadFileBytes(key_path()), before);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(KeyFile, WritingOverADanglingSymlinkIsRefused) {
  ASSERT_TRUE(EnsurePrivateDir(dir()).ok());
  const fs::path target = tmp_.path() / "elsewhere.key";
  fs::create_symlink(target, key_path());
  EXPECT_EQ(WriteKeyFile(key_path(), identity_).code(), ErrorCode::kAlreadyExists);
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(KeyFile, EmptyPassphraseOrBadParametersAreInvalid) {
  EXPECT_EQ(WriteKeyFile(key_path(), identity_, "", KdfParams::ForTests()).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(WriteKeyFile(key_path(), identity_, "p", KdfParams{0, 1 << 20}).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(WriteKeyFile(key_path(), identity_, "p", KdfParams{2, 1024}).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(key_path()));
}

TEST_F(KeyFile, KeyFileIsLockedTellsPlainFromLocked) {
  const fs::path plain = dir() / "plain.key";
  const fs::path locked = dir() / "locked.key";
  ASSERT_TRUE(WriteKeyFile(plain, identity_).ok());
  ASSERT_TRUE(WriteKeyFile(locked, identity_, kPassphrase, KdfParams::ForTests()).ok());
  Result<bool> p = KeyFileIsLocked(plain);
  Result<bool> l = KeyFileIsLocked(locked);
  ASSERT_TRUE(p.ok() && l.ok());
  EXPECT_FALSE(*p);
  EXPECT_TRUE(*l);
}

TEST_F(KeyFile, ErrorMessagesSayWhatToDo) {
  Result<DeviceIdentity> missing = ReadKeyFile(key_path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("accord init"), std::string::npos);
  WritePlain();
  ASSERT_EQ(::chmod(dir().c_str(), 0750), 0);
  Result<DeviceIdentity> open_dir = ReadKeyFile(key_path());
  ASSERT_FALSE(open_dir.ok());
  EXPECT_NE(open_dir.error().message.find("chmod 700 " + dir().string()), std::string::npos)
      << open_dir.error().message;
}

}  // namespace
}  // namespace accord::crypto
