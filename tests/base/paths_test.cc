#include "base/paths.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace accord {
namespace {

TEST(Paths, HomeFlagPutsEverythingInsideIt) {
  InstancePaths p = ResolveInstancePaths(std::string("/tmp/h1")).value();
  EXPECT_EQ(p.database, "/tmp/h1/accord.db");
  EXPECT_EQ(p.key_file, "/tmp/h1/keys/device.key");
  EXPECT_EQ(p.socket, "/tmp/h1/run/accord.sock");
}

TEST(Paths, AccordHomeIsUsedWhenNoFlag) {
  setenv("ACCORD_HOME", "/tmp/h2", 1);
  EXPECT_EQ(ResolveInstancePaths(std::nullopt)->database, "/tmp/h2/accord.db");
  unsetenv("ACCORD_HOME");
}

TEST(Paths, XdgDirectoriesAreUsedOtherwise) {
  unsetenv("ACCORD_HOME");
  setenv("XDG_DATA_HOME", "/tmp/xdg-data", 1);
  setenv("XDG_RUNTIME_DIR", "/tmp/xdg-run", 1);
  InstancePaths p = ResolveInstancePaths(std::nullopt).value();
  EXPECT_EQ(p.database, "/tmp/xdg-data/accord/accord.db");
  EXPECT_EQ(p.socket, "/tmp/xdg-run/accord/accord.sock");
}

TEST(Paths, TooLongSocketPathIsAClearError) {
  Result<InstancePaths> r = ResolveInstancePaths(std::string(200, 'x'));
  EXPECT_EQ(r.code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace accord
