// `--version` on both programs (SPEC §6): the CMake project's version on stdout, exit 0, and
// nothing else done: no daemon is asked and no home is created.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace accord::testing {
namespace {

TEST(Version, TheClientPrintsTheProjectVersionWithoutADaemon) {
  TempDir dir;
  const std::filesystem::path home = dir.path() / "home";
  CommandResult r = RunProcess({AccordBinary(), "--home", home.string(), "--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "accord " ACCORD_EXPECTED_VERSION "\n");
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(std::filesystem::exists(home));
}

TEST(Version, TheDaemonPrintsTheProjectVersionAndDoesNotStart) {
  TempDir dir;
  const std::filesystem::path home = dir.path() / "home";
  CommandResult r = RunProcess({AccorddBinary(), "--home", home.string(), "--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "accordd " ACCORD_EXPECTED_VERSION "\n");
  EXPECT_EQ(r.err, "");  // no log line: it did not start serving
  EXPECT_FALSE(std::filesystem::exists(home));
}

TEST(Version, AVersionFlagAfterACommandIsAUsageError) {
  // Only the programs themselves take --version; a command given one must not run either.
  CommandResult r = RunProcess({AccordBinary(), "status", "--version"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace accord::testing
