#include "client/export_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace accord::client {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t Entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(ExportFile, IsCreatedWithMode0600) {
  accord::testing::TempDir dir;
  const fs::path out = dir.path() / "export.json";
  const mode_t old_mask = ::umask(0);  // even a permissive umask gives 0600
  {
    Result<ExportFile> f = ExportFile::Create(out);
    ASSERT_TRUE(f.ok()) << f.error().message;
    ASSERT_TRUE(f->Write("{}").ok());
    ASSERT_TRUE(f->Commit().ok());
  }
  ::umask(old_mask);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(Read(out), "{}");
  EXPECT_EQ(Entries(dir.path()), 1u);
}

TEST(ExportFile, ASymbolicLinkAtThePathIsRefusedAndItsTargetUntouched) {
  accord::testing::TempDir dir;
  const fs::path target = dir.path() / "target";
  std::ofstream(target) << "keep";
  const fs::path link = dir.path() / "export.json";
  fs::create_symlink(target, link);
  Result<ExportFile> f = ExportFile::Create(link);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(f.error().message.find("symbolic link"), std::string::npos);
  EXPECT_EQ(Read(target), "keep");
  EXPECT_TRUE(fs::is_symlink(link));
}

TEST(ExportFile, AnUnfinishedExportLeavesNothingBehind) {
  accord::testing::TempDir dir;
  const fs::path out = dir.path() / "export.md";
  {
    Result<ExportFile> f = ExportFile::Create(out);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(f->Write("half of it").ok());
  }  // no Commit: the daemon went away mid-export
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(Entries(dir.path()), 0u);
}

TEST(ExportFile, AnExistingFileIsReplacedOnlyWhenTheExportIsComplete) {
  accord::testing::TempDir dir;
  const fs::path out = dir.path() / "export.md";
  std::ofstream(out) << "old export";
  ::chmod(out.c_str(), 0644);
  Result<ExportFile> f = ExportFile::Create(out);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->Write("new export").ok());
  EXPECT_EQ(Read(out), "old export");
  ASSERT_TRUE(f->Commit().ok());
  EXPECT_EQ(Read(out), "new export");
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(ExportFile, ADirectoryAtThePathIsRefused) {
  accord::testing::TempDir dir;
  EXPECT_EQ(ExportFile::Create(dir.path()).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace accord::client
