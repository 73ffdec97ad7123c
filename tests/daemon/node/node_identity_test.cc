// The key file checked against the store when a node opens: damage, a wrong key and a missing
// key are refused with what to do, and the store is left as it was.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "crypto/key_file.h"
#include "daemon/store/sqlite.h"
#include "tests/daemon/node/node_fixture.h"
#include "tests/support/file_bytes.h"

namespace accord::daemon {
namespace {

namespace fs = std::filesystem;

// In place, keeping inode, owner and mode (a disk error, not a replacement).
void OverwriteBytes(const fs::path& p, const Bytes& bytes) {
  ASSERT_TRUE(testing::OverwriteFileBytes(p, bytes)) << p;
}

// A key file as accord wrote it before the checksum (v1: magic, flags 0, the secrets).
void DowngradeToV1(const fs::path& key_file) {
  Bytes bytes = testing::ReadFileBytes(key_file);
  ASSERT_EQ(bytes.size(), 137u);
  bytes[8] = 0;
  bytes.resize(105);
  OverwriteBytes(key_file, bytes);
}

// A store from before the device key was recorded in meta.
void ForgetRecordedDeviceKey(const fs::path& database) {
  Result<std::unique_ptr<store::Sqlite>> db = store::Sqlite::Open(database.string());
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE((*db)->Exec("DELETE FROM meta WHERE key = 'device_key'").ok());
}

class NodeIdentity : public NodeFixture {};

TEST_F(NodeIdentity, ReopensWithItsOwnKeyFile) {
  InstancePaths home = InitHome("a", 3);
  std::unique_ptr<Node> node = OpenOk(home);
  ASSERT_TRUE(node->has_identity());
  EXPECT_EQ(node->EntryCount(), 4u);
}

TEST_F(NodeIdentity, AFlippedByteInTheKeyFileIsRefusedAsDamage) {
  InstancePaths home = InitHome("a", 3);
  Bytes key = testing::ReadFileBytes(home.key_file);
  key[14] ^= 0x01;
  OverwriteBytes(home.key_file, key);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kCorrupt);
  EXPECT_NE(node.error().message.find(home.key_file.string()), std::string::npos)
      << node.error().message;
  EXPECT_NE(node.error().message.find("restore it from a backup"), std::string::npos)
      << node.error().message;
}

// A v1 file has no checksum: the store's record of its device key catches the damage.
TEST_F(NodeIdentity, AFlippedByteInAnOldKeyFileIsCaughtByTheStore) {
  InstancePaths home = InitHome("a", 3);
  DowngradeToV1(home.key_file);
  ASSERT_TRUE(OpenOk(home) != nullptr);  // v1 loads as it is
  Bytes key = testing::ReadFileBytes(home.key_file);
  key[14] ^= 0x01;  // inside the signing seed: a valid, different identity
  OverwriteBytes(home.key_file, key);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kCorrupt);
  EXPECT_NE(node.error().message.find("is not this store's key"), std::string::npos)
      << node.error().message;
  EXPECT_NE(node.error().message.find("--start-over"), std::string::npos);
  // Repaired, it opens with everything still there.
  key[14] ^= 0x01;
  OverwriteBytes(home.key_file, key);
  std::unique_ptr<Node> again = OpenOk(home);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->EntryCount(), 4u);
}

TEST_F(NodeIdentity, AnotherDevicesKeyFileIsRefused) {
  InstancePaths home = InitHome("a", 2);
  InstancePaths other = InitHome("b", 0);
  fs::remove(home.key_file);
  fs::copy_file(other.key_file, home.key_file);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kCorrupt);
  EXPECT_NE(node.error().message.find("is not this store's key"), std::string::npos)
      << node.error().message;
}

// Stores written before the device key was recorded: the log itself must prove the key.
TEST_F(NodeIdentity, AnOldStoreAcceptsTheKeyThatAuthoredItsFeedAndRecordsIt) {
  InstancePaths home = InitHome("a", 2);
  ForgetRecordedDeviceKey(home.database);
  ASSERT_TRUE(OpenOk(home) != nullptr);
  // Recorded now: a different, valid key file is refused by the record.
  InstancePaths other = InitHome("b", 0);
  fs::remove(home.key_file);
  fs::copy_file(other.key_file, home.key_file);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_NE(node.error().message.find("belongs to device"), std::string::npos)
      << node.error().message;
}

// The case on an old store and an old key file: one flipped byte in the signing seed
// is a valid identity that shares the storage key, so only the log can tell.
TEST_F(NodeIdentity, AnOldStoreRefusesAKeyThatNeitherAuthoredNorIsNamedInItsLog) {
  InstancePaths home = InitHome("a", 2);
  ForgetRecordedDeviceKey(home.database);
  DowngradeToV1(home.key_file);
  Bytes key = testing::ReadFileBytes(home.key_file);
  key[14] ^= 0x01;
  OverwriteBytes(home.key_file, key);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kCorrupt);
  EXPECT_NE(node.error().message.find("none is by or names device"), std::string::npos)
      << node.error().message;
}

TEST_F(NodeIdentity, AMissingKeyFileNextToAStoreWithEntriesIsRefused) {
  InstancePaths home = InitHome("a", 3);
  const Bytes key = testing::ReadFileBytes(home.key_file);
  fs::remove(home.key_file);
  Result<std::unique_ptr<Node>> node = Open(home);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kNotFound);
  const std::string& message = node.error().message;
  EXPECT_NE(message.find("no key file at " + home.key_file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("4 entries"), std::string::npos) << message;
  EXPECT_NE(message.find("restore"), std::string::npos) << message;
  EXPECT_NE(message.find("accordd --start-over"), std::string::npos) << message;
  // The store is untouched: with the key back, every entry is there.
  std::ofstream(home.key_file, std::ios::binary)
      .write(reinterpret_cast<const char*>(key.data()), static_cast<std::streamsize>(key.size()));
  fs::permissions(home.key_file, fs::perms::owner_read | fs::perms::owner_write);
  std::unique_ptr<Node> again = OpenOk(home);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->EntryCount(), 4u);
}

TEST_F(NodeIdentity, AFreshHomeOpensWithoutIdentityAndInitRuns) {
  InstancePaths home = Home("fresh");
  std::unique_ptr<Node> node = OpenOk(home);
  ASSERT_NE(node, nullptr);
  EXPECT_FALSE(node->has_identity());
  EXPECT_TRUE(node->Init("Alice", "laptop").ok());
}

// Defence in depth: even on a node that opened without identity, init never runs over a
// store that records a device (Open refuses such a store without its key).
TEST_F(NodeIdentity, InitNeverRunsOverAStoreThatRecordsADevice) {
  InstancePaths home = Home("a");
  std::unique_ptr<Node> node = OpenOk(home);
  ASSERT_NE(node, nullptr);
  const Bytes someone(32, 0x42);
  {
    // Another writer of the same database, as a second copy of the program would be.
    Result<std::unique_ptr<store::Store>> other = store::Store::Open(home.database);
    ASSERT_TRUE(other.ok()) << other.error().message;
    ASSERT_TRUE((*other)->SetMeta("device_key", someone).ok());
  }
  Result<state::MemberId> init = node->Init("Mallory", "laptop");
  ASSERT_FALSE(init.ok());
  EXPECT_EQ(init.code(), ErrorCode::kRefused);
  EXPECT_NE(init.error().message.find("never overwrites"), std::string::npos)
      << init.error().message;
  EXPECT_FALSE(fs::exists(home.key_file));
  Result<std::optional<Bytes>> recorded = node->store().GetMeta("device_key");
  ASSERT_TRUE(recorded.ok() && recorded->has_value());
  EXPECT_EQ(**recorded, someone);
}

}  // namespace
}  // namespace accord::daemon
