// A real accordd with a damaged or missing key file next to a store that holds entries: it
// refuses to start with one clear line and leaves the store as it was; --start-over moves the
// store aside (nothing deleted) and a new identity can then be created.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void FlipByte(const fs::path& p, size_t offset) {
  std::string bytes = ReadAll(p);
  ASSERT_GT(bytes.size(), offset);
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  const int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);  // same inode and mode
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

class IdentityTest : public CliTest {
 protected:
  fs::path home() const { return daemon_->home(); }
  fs::path key_file() const { return home() / "keys" / "device.key"; }
  // Runs accordd in the foreground; a daemon that refuses exits at once, one that runs is
  // killed at the timeout (exit -1).
  CommandResult RunDaemon(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {AccorddBinary(), "--home", home().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunProcess(argv, "", 10);
  }
  void WriteNeeds() {
    Init();
    Ok({"need", "add", "I need a quiet morning"});
    Ok({"need", "add", "I need a walk alone"});
    ASSERT_EQ(daemon_->Stop(), 0);
  }
  size_t Needs() { return Json({"needs"})["notes"]["notes"].size(); }
  static size_t Lines(const std::string& s) {
    size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
  }
};

TEST_F(IdentityTest, AFlippedKeyByteIsRefusedAtStartAndTheStoreIsUntouched) {
  WriteNeeds();
  const std::string db_before = ReadAll(home() / "accord.db");
  FlipByte(key_file(), 14);
  CommandResult r = RunDaemon();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("<3>"), std::string::npos) << r.err;  // an error for journald
  EXPECT_NE(r.err.find(key_file().string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("restore it from a backup"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(home() / "accord.db"), db_before);
  // With the byte repaired the same device is back, with its entries.
  FlipByte(key_file(), 14);
  ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  EXPECT_EQ(Needs(), 2u);
}

TEST_F(IdentityTest, AMissingKeyIsRefusedAtStartAndStartOverMovesTheStoreAside) {
  WriteNeeds();
  const std::string key = ReadAll(key_file());
  const std::string db_before = ReadAll(home() / "accord.db");
  fs::remove(key_file());
  CommandResult r = RunDaemon();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(Lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("no key file at " + key_file().string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("restore"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("accordd --start-over"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("run accord init"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(home() / "accord.db"), db_before);
  EXPECT_FALSE(fs::exists(key_file()));

  // Starting over: the old store and keys are moved aside, never deleted.
  daemon_ = std::make_unique<Daemon>(home(), std::vector<std::string>{"--start-over"});
  ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  EXPECT_NE(daemon_->Log().find("moved to"), std::string::npos) << daemon_->Log();
  std::vector<fs::path> aside;
  for (const auto& e : fs::directory_iterator(home()))
    if (e.path().filename().string().rfind("set-aside-", 0) == 0) aside.push_back(e.path());
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(ReadAll(aside[0] / "accord.db"), db_before);
  EXPECT_TRUE(fs::is_directory(aside[0] / "keys"));
  // A new device: init works and starts from nothing.
  Init("Alice");
  EXPECT_EQ(Needs(), 0u);
  EXPECT_NE(ReadAll(key_file()), key);
}

TEST_F(IdentityTest, InitWithAMissingKeyNeverRunsOverTheStore) {
  WriteNeeds();
  const std::string db_before = ReadAll(home() / "accord.db");
  fs::remove(key_file());
  EXPECT_FALSE(daemon_->Start());  // refuses, so there is no daemon to run init against
  CommandResult init = Run({"init", "--name", "Mallory"});
  EXPECT_EQ(init.exit_code, 3) << init.err;  // daemon not running
  EXPECT_FALSE(fs::exists(key_file()));
  EXPECT_EQ(ReadAll(home() / "accord.db"), db_before);
}

TEST_F(IdentityTest, HelpNamesStartOver) {
  CommandResult r = RunProcess({AccorddBinary(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--start-over"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace accord::testing
