// `accordd --start-over`: the store and keys are moved aside, never deleted.
#include "daemon/node/start_over.h"

#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

namespace fs = std::filesystem;

class StartOver : public NodeFixture {};

TEST_F(StartOver, MovesTheStoreAndKeysAsideAndANewDeviceCanInit) {
  InstancePaths home = InitHome("a", 2);
  fs::remove(home.key_file);
  ASSERT_FALSE(Open(home).ok());
  Result<std::optional<fs::path>> aside = SetStoreAside(home, clock_.NowMs());
  ASSERT_TRUE(aside.ok()) << aside.error().message;
  ASSERT_TRUE(aside->has_value());
  EXPECT_EQ((*aside)->parent_path(), home.data_dir);
  EXPECT_EQ((*aside)->filename().string().rfind("set-aside-", 0), 0u);
  EXPECT_TRUE(fs::exists(**aside / "accord.db"));
  EXPECT_TRUE(fs::is_directory(**aside / "keys"));
  EXPECT_FALSE(fs::exists(home.database));
  EXPECT_FALSE(fs::exists(home.key_dir));

  std::unique_ptr<Node> fresh = OpenOk(home);
  ASSERT_NE(fresh, nullptr);
  EXPECT_FALSE(fresh->has_identity());
  EXPECT_TRUE(fresh->Init("Alice", "laptop").ok());
}

TEST_F(StartOver, TheSetAsideStoreStillOpensWithItsKey) {
  InstancePaths home = InitHome("a", 2);
  Result<std::optional<fs::path>> aside = SetStoreAside(home, clock_.NowMs());
  ASSERT_TRUE(aside.ok() && aside->has_value());
  InstancePaths old = home;
  old.data_dir = **aside;
  old.database = **aside / "accord.db";
  old.key_dir = **aside / "keys";
  old.key_file = old.key_dir / "device.key";
  std::unique_ptr<Node> node = OpenOk(old);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->EntryCount(), 3u);
}

TEST_F(StartOver, TwiceInOneSecondUsesTwoDirectories) {
  InstancePaths home = InitHome("a", 0);
  Result<std::optional<fs::path>> first = SetStoreAside(home, clock_.NowMs());
  ASSERT_TRUE(first.ok() && first->has_value());
  { std::unique_ptr<Node> node = OpenOk(home); }
  Result<std::optional<fs::path>> second = SetStoreAside(home, clock_.NowMs());
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_NE(**first, **second);
  EXPECT_TRUE(fs::exists(**first / "accord.db"));
  EXPECT_TRUE(fs::exists(**second / "accord.db"));
}

TEST_F(StartOver, NothingToMoveIsNotAnError) {
  InstancePaths home = Home("empty");
  fs::create_directories(home.data_dir);
  Result<std::optional<fs::path>> aside = SetStoreAside(home, clock_.NowMs());
  ASSERT_TRUE(aside.ok());
  EXPECT_FALSE(aside->has_value());
}

}  // namespace
}  // namespace accord::daemon
