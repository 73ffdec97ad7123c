#include "crypto/private_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace accord::crypto {
namespace {

namespace fs = std::filesystem;

mode_t FileModeOf(const fs::path& p) {
  struct stat st;
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

TEST(EnsurePrivateDir, CreatesMissingDirectoriesWithMode0700) {
  accord::testing::TempDir tmp;
  const fs::path dir = tmp.path() / "a" / "b" / "keys";
  const mode_t old = ::umask(0);
  Status s = EnsurePrivateDir(dir);
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(FileModeOf(dir), 0700u);
  EXPECT_EQ(FileModeOf(tmp.path() / "a"), 0700u);
  EXPECT_TRUE(EnsurePrivateDir(dir).ok());  // idempotent
}

TEST(EnsurePrivateDir, FixesTheModeEvenUnderAStrictUmask) {
  accord::testing::TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  const mode_t old = ::umask(0700);  // would otherwise create a d--------- directory
  Status s = EnsurePrivateDir(dir);
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(FileModeOf(dir), 0700u);
}

TEST(EnsurePrivateDir, RefusesAnyGroupOrOtherBit) {
  accord::testing::TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  ASSERT_TRUE(EnsurePrivateDir(dir).ok());
  for (mode_t mode : {mode_t{0750}, mode_t{0705}, mode_t{0710}, mode_t{0701}, mode_t{0755}}) {
    ASSERT_EQ(::chmod(dir.c_str(), mode), 0);
    EXPECT_EQ(EnsurePrivateDir(dir).code(), ErrorCode::kInsecureFile) << mode;
  }
}

TEST(EnsurePrivateDir, RefusesASymlinkEvenToAPrivateDirectory) {
  accord::testing::TempDir tmp;
  const fs::path real = tmp.path() / "real";
  ASSERT_TRUE(EnsurePrivateDir(real).ok());
  const fs::path link = tmp.path() / "link";
  fs::create_directory_symlink(real, link);
  EXPECT_EQ(EnsurePrivateDir(link).code(), ErrorCode::kInsecureFile);
}

TEST(EnsurePrivateDir, RefusesARegularFile) {
  accord::testing::TempDir tmp;
  const fs::path file = tmp.path() / "keys";
  std::ofstream(file) << "x";
  EXPECT_EQ(EnsurePrivateDir(file).code(), ErrorCode::kInsecureFile);
}

TEST(PrivateFile, WriteThenReadGivesTheSameBytes) {
  accord::testing::TempDir tmp;
  const fs::path path = tmp.path() / "d" / "secret";
  const Bytes data = {1, 2, 3, 4, 5, 250};
  ASSERT_TRUE(WriteNewPrivateFile(path, data).ok());
  EXPECT_EQ(FileModeOf(path), 0600u);
  std::array<uint8_t, 16> buf{};
  Result<size_t> n = ReadPrivateFile(path, buf);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(Bytes(buf.begin(), buf.begin() + *n), data);
}

TEST(PrivateFile, ReadAcceptsAFileExactlyTheBufferSizeAndRefusesOneByteMore) {
  accord::testing::TempDir tmp;
  const fs::path exact = tmp.path() / "d" / "exact";
  const fs::path over = tmp.path() / "d" / "over";
  ASSERT_TRUE(WriteNewPrivateFile(exact, Bytes(8, 7)).ok());
  ASSERT_TRUE(WriteNewPrivateFile(over, Bytes(9, 7)).ok());
  std::array<uint8_t, 8> buf{};
  Result<size_t> n = ReadPrivateFile(exact, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 8u);
  EXPECT_EQ(ReadPrivateFile(over, buf).code(), ErrorCode::kCorrupt);
}

TEST(PrivateFile, EmptyFileReadsAsZeroBytes) {
  accord::testing::TempDir tmp;
  const fs::path path = tmp.path() / "d" / "empty";
  ASSERT_TRUE(WriteNewPrivateFile(path, {}).ok());
  std::array<uint8_t, 8> buf{};
  Result<size_t> n = ReadPrivateFile(path, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
}

TEST(PrivateFile, FailedWriteLeavesOnlyTheOriginal) {
  accord::testing::TempDir tmp;
  const fs::path path = tmp.path() / "d" / "file";
  ASSERT_TRUE(WriteNewPrivateFile(path, Bytes{1}).ok());
  EXPECT_EQ(WriteNewPrivateFile(path, Bytes{2}).code(), ErrorCode::kAlreadyExists);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(path.parent_path())) ++entries;
  EXPECT_EQ(entries, 1);
  std::array<uint8_t, 4> buf{};
  Result<size_t> n = ReadPrivateFile(path, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(buf[0], 1);
}

TEST(PrivateFile, RelativePathUsesTheCurrentDirectory) {
  accord::testing::TempDir tmp;
  const fs::path cwd = fs::current_path();
  ASSERT_EQ(::chmod(tmp.path().c_str(), 0700), 0);
  fs::current_path(tmp.path());
  Status written = WriteNewPrivateFile("relative", Bytes{9});
  std::array<uint8_t, 4> buf{};
  Result<size_t> n = ReadPrivateFile("relative", buf);
  fs::current_path(cwd);
  ASSERT_TRUE(written.ok()) << written.error().message;
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1u);
}

TEST(PrivateFile, RemoveInterruptedWritesRemovesOnlyThatFilesTemporaries) {
  accord::testing::TempDir tmp;
  const fs::path key = tmp.path() / "keys" / "device.key";
  ASSERT_TRUE(WriteNewPrivateFile(key, Bytes{1, 2, 3}).ok());
  const fs::path dir = key.parent_path();
  auto touch = [&](const std::string& name) { std::ofstream(dir / name) << "secret"; };
  touch(".device.key.tmp-0011223344556677");       // a crash's leftover: removed
  touch(".device.key.tmp-8899aabbccddeeff");       // another: removed
  touch(".device.key.tmp-not-hex-at-all!");        // not the writer's name: kept
  touch(".device.key.next.tmp-0011223344556677");  // another file's: kept
  touch("device.key.tmp-0011223344556677");        // no leading dot: kept
  fs::create_symlink(dir / "device.key", dir / ".device.key.tmp-1111111111111111");  // kept

  Result<size_t> removed = RemoveInterruptedWrites(key);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, 2u);
  EXPECT_FALSE(fs::exists(dir / ".device.key.tmp-0011223344556677"));
  EXPECT_FALSE(fs::exists(dir / ".device.key.tmp-8899aabbccddeeff"));
  EXPECT_TRUE(fs::exists(dir / ".device.key.tmp-not-hex-at-all!"));
  EXPECT_TRUE(fs::exists(dir / ".device.key.next.tmp-0011223344556677"));
  EXPECT_TRUE(fs::exists(dir / "device.key.tmp-0011223344556677"));
  EXPECT_TRUE(fs::is_symlink(dir / ".device.key.tmp-1111111111111111"));
  EXPECT_TRUE(fs::exists(key));  // the file itself is never touched
  EXPECT_EQ(*RemoveInterruptedWrites(key), 0u);
  EXPECT_EQ(*RemoveInterruptedWrites(tmp.path() / "absent" / "device.key"), 0u);
}

}  // namespace
}  // namespace accord::crypto
