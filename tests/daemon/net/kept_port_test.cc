#include "daemon/net/kept_port.h"

#include <gtest/gtest.h>

#include <fstream>

#include "crypto/private_file.h"
#include "tests/support/temp_dir.h"

namespace accord::daemon {
namespace {

class KeptPortTest : public ::testing::Test {
 protected:
  std::filesystem::path File() const { return dir_.path() / "peer-port"; }
  void WriteRaw(const std::string& text) {
    ASSERT_TRUE(crypto::WriteNewPrivateFile(File(), AsBytes(text)).ok());
  }
  accord::testing::TempDir dir_;
};

TEST_F(KeptPortTest, APortKeptOnceReadsBackTheSame) {
  EXPECT_EQ(ReadKeptPort(File()).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(KeepPort(File(), 41877).ok());
  Result<uint16_t> port = ReadKeptPort(File());
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(*port, 41877);
}

TEST_F(KeptPortTest, AKeptPortIsNeverReplaced) {
  ASSERT_TRUE(KeepPort(File(), 41877).ok());
  EXPECT_EQ(KeepPort(File(), 5000).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*ReadKeptPort(File()), 41877);
}

TEST_F(KeptPortTest, AnythingButAPortIsReportedAsDamageNamingTheFile) {
  for (const std::string& bad : {"", "0\n", "65536\n", "12a\n", "-1\n", "99999999999999\n"}) {
    std::filesystem::remove(File());
    WriteRaw(bad);
    Result<uint16_t> port = ReadKeptPort(File());
    ASSERT_FALSE(port.ok()) << bad;
    EXPECT_EQ(port.code(), ErrorCode::kCorrupt) << bad;
    EXPECT_NE(port.error().message.find("peer-port"), std::string::npos);
  }
}

TEST_F(KeptPortTest, AFileReadableByOthersIsRefused) {
  ASSERT_TRUE(KeepPort(File(), 41877).ok());
  std::filesystem::permissions(File(), std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  EXPECT_EQ(ReadKeptPort(File()).code(), ErrorCode::kInsecureFile);
}

}  // namespace
}  // namespace accord::daemon
