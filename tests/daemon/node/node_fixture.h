// Shared set-up for the node tests: instance homes in a TempDir, opening a Node over them,
// pairing two of them, copying a whole home (a backup) and writing needs. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_NODE_NODE_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_NODE_NODE_FIXTURE_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "base/paths.h"
#include "crypto/private_file.h"
#include "daemon/node/clock.h"
#include "daemon/node/node.h"
#include "tests/support/temp_dir.h"

namespace accord::daemon {

class FixedClock final : public Clock {
 public:
  int64_t NowMs() const override { return 1'780'000'000'000; }
};

class NodeFixture : public ::testing::Test {
 protected:
  InstancePaths Home(const std::string& name) const {
    Result<InstancePaths> p = ResolveInstancePaths((dir_.path() / name).string());
    EXPECT_TRUE(p.ok());
    return *p;
  }
  Result<std::unique_ptr<Node>> Open(const InstancePaths& paths) {
    EXPECT_TRUE(crypto::EnsurePrivateDir(paths.data_dir).ok());  // as accordd does
    return Node::Open(paths, clock_);
  }
  std::unique_ptr<Node> OpenOk(const InstancePaths& paths) {
    Result<std::unique_ptr<Node>> node = Open(paths);
    EXPECT_TRUE(node.ok()) << node.error().message;
    return node.ok() ? std::move(*node) : nullptr;
  }
  // A home with an initialised device that wrote `needs` needs (plus its MemberCreated).
  InstancePaths InitHome(const std::string& name, int needs) {
    InstancePaths paths = Home(name);
    std::unique_ptr<Node> node = OpenOk(paths);
    EXPECT_TRUE(node->Init("Alice", "laptop").ok());
    for (int i = 0; i < needs; ++i) EXPECT_TRUE(node->Write(Need(i)).ok());
    return paths;
  }
  static state::NeedAdded Need(int i) { return {"I need " + std::to_string(i)}; }
  // Joins `joiner` to `inviter`'s pact as pairing leaves them (the inviter's MemberAdded, the
  // joiner's log replaced by the pact, the inviter's device trusted) and hands the joiner
  // the inviter's entries. Both have run Init.
  static void Pair(Node& inviter, Node& joiner, const std::string& joiner_name) {
    ASSERT_TRUE(
        inviter.AddMember(joiner.device_key(), joiner.identity().dh.public_key(), joiner_name)
            .ok());
    ASSERT_TRUE(joiner.JoinPact(inviter.pact(), inviter.EpochKeysForPartner()).ok());
    joiner.TrustDevice(inviter.device_key());
    ASSERT_TRUE(Sync(inviter, joiner).ok());
  }
  // Hands `to` every entry `from` authored in its shared feed (entries `to` holds come back
  // as duplicates), and with `private_chain` its private chain too, as a device of the same
  // member is sent it.
  static Result<Node::ReceiveReport> Sync(Node& from, Node& to, bool private_chain = false) {
    Result<std::vector<log::Envelope>> own = from.store().ReadRange(from.device_key(), 1, 1000);
    EXPECT_TRUE(own.ok());
    if (private_chain) {
      Result<std::vector<log::Envelope>> chain =
          from.store().ReadRange(from.private_chain_key(), 1, 1000);
      EXPECT_TRUE(chain.ok());
      own->insert(own->end(), chain->begin(), chain->end());
    }
    return to.Receive(*own);
  }
  // Copies a stopped instance's whole home, as a backup would.
  InstancePaths CopyHome(const InstancePaths& from, const std::string& name) {
    InstancePaths to = Home(name);
    std::filesystem::copy(from.data_dir, to.data_dir, std::filesystem::copy_options::recursive);
    return to;
  }

  testing::TempDir dir_;
  FixedClock clock_;
};

// Runs SQL on the database beside the node's own connection (a second connection, as any
// other process could), for injecting a failure the store cannot tell from a real one.
inline void RunSql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

}  // namespace accord::daemon

#endif  // ACCORD_TESTS_DAEMON_NODE_NODE_FIXTURE_H_
