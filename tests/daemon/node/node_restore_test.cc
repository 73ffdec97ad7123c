// Restore from a backup (SPEC §4): a node that learns a peer holds more of its own feed does
// not author until it has caught up; once its own feed forked, every write is refused.
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

class NodeRestore : public NodeFixture {
 protected:
  // A home that wrote 2 needs, a backup of it, then 3 more needs in the original: returns
  // the backup and the original's own entries after the backup (seq 4..6).
  void SetUp() override {
    original_ = InitHome("original", 2);
    backup_ = CopyHome(original_, "backup");
    std::unique_ptr<Node> node = OpenOk(original_);
    for (int i = 10; i < 13; ++i) ASSERT_TRUE(node->Write(Need(i)).ok());
    me_ = node->device_key();
    Result<std::vector<log::Envelope>> later = node->store().ReadRange(me_, 4, 100);
    ASSERT_TRUE(later.ok());
    later_ = *later;
    ASSERT_EQ(later_.size(), 3u);
    peer_heads_[me_] = node->store().Head(me_);
  }

  InstancePaths original_;
  InstancePaths backup_;
  log::DeviceKey me_{};
  log::DeviceKey peer_{1, 2, 3};
  std::vector<log::Envelope> later_;
  std::map<log::DeviceKey, log::FeedHead> peer_heads_;
};

TEST_F(NodeRestore, ARestoredNodeRefusesToWriteWhileAPeerHoldsMoreOfItsFeed) {
  std::unique_ptr<Node> node = OpenOk(backup_);
  ASSERT_EQ(node->store().Head(me_).seq, 3u);
  node->NotePeerHeads(peer_, peer_heads_);
  ASSERT_TRUE(node->WriteBlocked().has_value());
  Result<log::EntryId> write = node->Write(Need(99));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.code(), ErrorCode::kRefused);
  EXPECT_NE(write.error().message.find("restored from an older copy"), std::string::npos)
      << write.error().message;
  EXPECT_NE(write.error().message.find("try again in a moment"), std::string::npos);
  EXPECT_EQ(node->store().Head(me_).seq, 3u);  // nothing was written
}

TEST_F(NodeRestore, ARestoredNodeAcceptsItsOwnEntriesFromAPeerThenWritesAfterThem) {
  std::unique_ptr<Node> node = OpenOk(backup_);
  node->NotePeerHeads(peer_, peer_heads_);
  Result<Node::ReceiveReport> got = node->Receive(later_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->stored, 3u);
  EXPECT_EQ(got->forks, 0u);
  EXPECT_FALSE(node->WriteBlocked().has_value());
  Result<log::EntryId> write = node->Write(Need(99));
  ASSERT_TRUE(write.ok()) << write.error().message;
  EXPECT_EQ(node->store().Head(me_).seq, 7u);
  EXPECT_TRUE(node->Frozen().empty());
  EXPECT_EQ(node->State().needs.size(), 6u);
}

TEST_F(NodeRestore, APeerThatHoldsNoMoreOfOurFeedDoesNotBlockWrites) {
  std::unique_ptr<Node> node = OpenOk(original_);
  node->NotePeerHeads(peer_, peer_heads_);
  EXPECT_FALSE(node->WriteBlocked().has_value());
  EXPECT_TRUE(node->Write(Need(99)).ok());
}

TEST_F(NodeRestore, AfterItsOwnFeedForkedEveryWriteIsRefusedWithHowToRecover) {
  std::unique_ptr<Node> node = OpenOk(backup_);
  // Written before any peer could say it was behind: seq 4 again, a different entry.
  ASSERT_TRUE(node->Write(Need(42)).ok());
  Result<Node::ReceiveReport> got = node->Receive(later_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->forks, 1u);
  ASSERT_EQ(node->Frozen().count(me_), 1u);
  Result<log::EntryId> write = node->Write(Need(43));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.code(), ErrorCode::kRefused);
  EXPECT_NE(write.error().message.find("forked at seq 4"), std::string::npos)
      << write.error().message;
  EXPECT_NE(write.error().message.find("--rekey"), std::string::npos);
  EXPECT_EQ(node->store().Head(me_).seq, 4u);
  // Still refused after a restart.
  node.reset();
  std::unique_ptr<Node> again = OpenOk(backup_);
  EXPECT_EQ(again->Write(Need(44)).code(), ErrorCode::kRefused);
}

}  // namespace
}  // namespace accord::daemon
