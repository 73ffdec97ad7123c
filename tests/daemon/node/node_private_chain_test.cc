// A device's private entries live in its private chain (docs/log-format.md "Private
// chains"): the shared feed holds no trace of them, the partner's view of this device's log
// (NodeSource) never names the chain, and the chain survives a restart.
#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/net/node_source.h"
#include "tests/daemon/node/node_fixture.h"
#include "tests/support/file_bytes.h"

namespace accord::daemon {
namespace {

class NodePrivateChainTest : public NodeFixture {
 protected:
  void SetUp() override {
    alice_paths_ = InitHome("alice", 1);
    alice_ = OpenOk(alice_paths_);
    bob_ = OpenOk(InitHome("bob", 0));
    Pair(*alice_, *bob_, "Bob");
  }
  InstancePaths alice_paths_;
  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> bob_;
};

TEST_F(NodePrivateChainTest, AReflectionGoesToThePrivateChainNotTheSharedFeed) {
  const log::FeedHead shared_before = alice_->store().Head(alice_->device_key());
  Result<log::EntryId> id = alice_->Write(state::Reflected{"only mine"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(alice_->store().Head(alice_->device_key()).seq, shared_before.seq);
  // The chain's start, then the reflection.
  EXPECT_EQ(alice_->store().Head(alice_->private_chain_key()).seq, 2u);
  EXPECT_EQ(alice_->store().Head(alice_->private_chain_key()).id, *id);
  ASSERT_EQ(alice_->State().reflections.size(), 1u);
  EXPECT_EQ(alice_->State().reflections[0].by.device, alice_->device_key());
  EXPECT_EQ(alice_->State().reflections[0].by.member, alice_->me());
  EXPECT_EQ(alice_->DeviceOfAuthor(alice_->private_chain_key()), alice_->device_key());
}

TEST_F(NodePrivateChainTest, ThePartnerNeverHearsOfTheChain) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"only mine"}).ok());
  NodeSource to_bob(*alice_, bob_->device_key());
  EXPECT_EQ(to_bob.Heads().count(alice_->private_chain_key()), 0u);
  EXPECT_EQ(to_bob.Heads().count(alice_->device_key()), 1u);
  Result<std::vector<log::Envelope>> chain =
      alice_->store().ReadRange(alice_->private_chain_key(), 1, 10);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->size(), 2u);
  for (const log::Envelope& e : *chain) {
    Result<log::EntryHeader> header = log::DecodeHeader(e.header);
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(to_bob.MaySend(e, *header), sync::Share::kNothing);
  }
  // Handed the chain anyway, Bob cannot place it: no person key of Alice's opens its start.
  const uint64_t held = bob_->EntryCount();
  EXPECT_EQ(bob_->Receive(*chain).code(), ErrorCode::kUnknownAuthor);
  EXPECT_EQ(bob_->EntryCount(), held);
  EXPECT_TRUE(bob_->State().reflections.empty());
}

TEST_F(NodePrivateChainTest, TheChainIsPlacedAgainAfterARestart) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"first"}).ok());
  const log::DeviceKey chain = alice_->private_chain_key();
  alice_.reset();
  alice_ = OpenOk(alice_paths_);
  ASSERT_NE(alice_, nullptr);
  EXPECT_EQ(alice_->private_chain_key(), chain);
  ASSERT_TRUE(alice_->Write(state::Reflected{"second"}).ok());
  EXPECT_EQ(alice_->store().Head(chain).seq, 3u);  // one start, two reflections
  EXPECT_EQ(alice_->State().reflections.size(), 2u);
  NodeSource to_bob(*alice_, bob_->device_key());
  EXPECT_EQ(to_bob.Heads().count(chain), 0u);
}

TEST_F(NodePrivateChainTest, SharedEntriesStillReachThePartner) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"only mine"}).ok());
  ASSERT_TRUE(alice_->Write(state::NeedAdded{"I need a walk"}).ok());
  ASSERT_TRUE(Sync(*alice_, *bob_).ok());
  size_t needs = 0;
  for (const state::Need& n : bob_->State().needs) needs += n.text == "I need a walk";
  EXPECT_EQ(needs, 1u);
  EXPECT_TRUE(bob_->State().reflections.empty());
}

bool FileHolds(const std::filesystem::path& file, const Bytes& needle) {
  if (!std::filesystem::exists(file)) return false;
  const Bytes hay = testing::ReadFileBytes(file);
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

TEST_F(NodePrivateChainTest, ForgetErasesTheBodyFromTheFileAndTheWal) {
  Result<log::EntryId> id = alice_->Write(state::Reflected{"erase me"});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(alice_->Write(state::Reflected{"keep me"}).ok());
  Result<log::Envelope> stored = alice_->store().GetEnvelope(*id);
  ASSERT_TRUE(stored.ok());
  const Bytes sealed = stored->sealed_body;
  ASSERT_FALSE(sealed.empty());
  const std::filesystem::path db = alice_paths_.database;
  const std::filesystem::path wal = db.string() + "-wal";
  ASSERT_TRUE(FileHolds(db, sealed) || FileHolds(wal, sealed));  // the search can find it

  ASSERT_TRUE(alice_->Forget(*id).ok());
  EXPECT_TRUE(alice_->IsErased(*id));
  ASSERT_EQ(alice_->State().reflections.size(), 1u);
  EXPECT_EQ(alice_->State().reflections[0].text, "keep me");
  Result<log::Envelope> after = alice_->store().GetEnvelope(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->sealed_body.empty());
  EXPECT_EQ(after->header, stored->header);  // the chain keeps the header
  EXPECT_FALSE(FileHolds(db, sealed));
  EXPECT_FALSE(FileHolds(wal, sealed));

  // Not damage, after a restart too; nothing is asked of peers.
  EXPECT_TRUE(alice_->Damaged().empty());
  alice_.reset();
  alice_ = OpenOk(alice_paths_);
  ASSERT_NE(alice_, nullptr);
  EXPECT_TRUE(alice_->Damaged().empty());
  EXPECT_TRUE(alice_->WantedBodies(10).empty());
  ASSERT_EQ(alice_->State().reflections.size(), 1u);
  EXPECT_FALSE(FileHolds(db, sealed));
  Result<LogSlice> log = alice_->ReadLog(0, 100);
  ASSERT_TRUE(log.ok());
  size_t erased = 0;
  for (const LogRow& row : alice_->LogRows(log->entries, nullptr)) erased += row.erased;
  EXPECT_EQ(erased, 1u);
}

TEST_F(NodePrivateChainTest, OnlyOwnReflectionsCanBeForgotten) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"mine"}).ok());
  Result<log::EntryId> need = alice_->Write(state::NeedAdded{"I need a walk"});
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(alice_->Forget(*need).code(), ErrorCode::kNotFound);
  log::EntryId unknown{};
  unknown[0] = 7;
  EXPECT_EQ(alice_->Forget(unknown).code(), ErrorCode::kNotFound);
  EXPECT_EQ(alice_->State().reflections.size(), 1u);
}

}  // namespace
}  // namespace accord::daemon
