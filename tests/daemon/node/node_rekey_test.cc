// Re-keying after a fork (daemon/node/node_rekey.cc), stopped at every durable step as a crash
// would stop it (daemon/node/rekey_steps.h), and states a crash cannot leave but a person
// can: at the next open the re-key is finished or dropped, never half-used.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/key_file.h"
#include "daemon/log/header.h"
#include "daemon/node/dir_sync.h"
#include "daemon/node/rekey_steps.h"
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kRekeyForkSeq = 4;     // where the restored copy's feed forks
constexpr uint64_t kRekeyOldHeadSeq = 5;  // the restored copy's own head: two needs in the fork
constexpr std::string_view kRekeyCrashMessage = "simulated crash";

fs::path RekeyNextFile(const InstancePaths& p) { return p.key_file.native() + ".next"; }

fs::path RekeyReplacedFile(const InstancePaths& p, const log::DeviceKey& old) {
  return p.key_file.native() + ".replaced-" + ToHex(old).substr(0, 16);
}

log::DeviceKey RekeyKeyInFile(const fs::path& file) {
  Result<crypto::DeviceIdentity> id = crypto::ReadKeyFile(file);
  EXPECT_TRUE(id.ok()) << file << ": " << (id.ok() ? "" : id.error().message);
  return id.ok() ? id->signing.public_key() : log::DeviceKey{};
}

size_t RekeyCountNeeds(Node& node, const std::string& text) {
  const std::vector<state::Need>& needs = node.State().needs;
  return std::count_if(needs.begin(), needs.end(),
                       [&](const state::Need& n) { return n.text == text; });
}

class NodeRekey : public NodeFixture {
 protected:
  // A home restored from a backup that wrote seq 4 and 5 ("I need 42", "I need 43") before it
  // learned that the original had written its own seq 4..6: its feed forked at seq 4.
  void SetUp() override {
    InstancePaths original = InitHome("original", 2);
    home_ = CopyHome(original, "restored");
    std::vector<log::Envelope> later;
    {
      std::unique_ptr<Node> node = OpenOk(original);
      for (int i = 10; i < 13; ++i) ASSERT_TRUE(node->Write(Need(i)).ok());
      Result<std::vector<log::Envelope>> read = node->store().ReadRange(node->device_key(), 4, 100);
      ASSERT_TRUE(read.ok());
      later = *read;
    }
    std::unique_ptr<Node> node = OpenOk(home_);
    old_ = node->device_key();
    ASSERT_TRUE(node->Write(Need(42)).ok());
    ASSERT_TRUE(node->Write(Need(43)).ok());
    Result<Node::ReceiveReport> got = node->Receive(later);
    ASSERT_TRUE(got.ok()) << got.error().message;
    ASSERT_EQ(got->forks, 1u);
    ASSERT_EQ(node->Frozen().at(old_), kRekeyForkSeq);
    ASSERT_EQ(node->store().Head(old_).seq, kRekeyOldHeadSeq);
  }
  void TearDown() override { SetRekeyStepHookForTesting(nullptr); }

  // From now on the re-key (and a re-key's completion at open) stops right after `step`.
  static void CrashAfter(RekeyStep step) {
    SetRekeyStepHookForTesting([step](RekeyStep reached) -> Status {
      if (reached == step) return MakeError(ErrorCode::kIo, std::string(kRekeyCrashMessage));
      return Status::Ok();
    });
  }
  static void NoCrash() { SetRekeyStepHookForTesting(nullptr); }

  Result<Node::Rekeyed> Rekey() { return Node::RekeyHome(home_, clock_); }

  static log::DeviceKey RecordedKey(Node& node) {
    Result<std::optional<Bytes>> recorded = node.store().GetMeta("device_key");
    EXPECT_TRUE(recorded.ok() && *recorded && (*recorded)->size() == sizeof(log::DeviceKey));
    log::DeviceKey key{};
    if (recorded.ok() && *recorded && (*recorded)->size() == key.size())
      std::copy((*recorded)->begin(), (*recorded)->end(), key.begin());
    return key;
  }

  // The home still runs as the old key: nothing of the re-key is left, its feed stays frozen
  // and writes are refused as before.
  void ExpectStillTheOldKey() {
    std::unique_ptr<Node> node = OpenOk(home_);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->device_key(), old_);
    EXPECT_EQ(RecordedKey(*node), old_);
    EXPECT_EQ(RekeyKeyInFile(home_.key_file), old_);
    EXPECT_FALSE(PathExists(RekeyNextFile(home_)));
    EXPECT_FALSE(PathExists(RekeyReplacedFile(home_, old_)));
    EXPECT_EQ(node->Frozen().at(old_), kRekeyForkSeq);
    EXPECT_EQ(node->store().Head(old_).seq, kRekeyOldHeadSeq);
    EXPECT_EQ(node->store().Heads().size(), 1u);  // no other feed was started
    EXPECT_EQ(node->Write(Need(44)).code(), ErrorCode::kRefused);
  }

  // The home runs as one new key, the store's: its feed is the DeviceRekeyed entry then the
  // two forked needs carried once, the old feed is frozen where it was, and it writes on.
  // Returns the new key.
  log::DeviceKey ExpectRekeyedOnce() {
    std::unique_ptr<Node> node = OpenOk(home_);
    if (node == nullptr) return {};
    const log::DeviceKey fresh = node->device_key();
    EXPECT_NE(fresh, old_);
    EXPECT_EQ(RecordedKey(*node), fresh);
    EXPECT_EQ(RekeyKeyInFile(home_.key_file), fresh);
    EXPECT_EQ(RekeyKeyInFile(RekeyReplacedFile(home_, old_)), old_);
    EXPECT_FALSE(PathExists(RekeyNextFile(home_)));
    EXPECT_EQ(node->Frozen().size(), 1u);
    EXPECT_EQ(node->Frozen().at(old_), kRekeyForkSeq);
    EXPECT_EQ(node->store().Head(old_).seq, kRekeyOldHeadSeq);
    ExpectFeedIsContiguous(*node, fresh, 3);
    EXPECT_EQ(RekeyCountNeeds(*node, "I need 42"), 1u);
    EXPECT_EQ(RekeyCountNeeds(*node, "I need 43"), 1u);
    EXPECT_EQ(node->State().needs.size(), 4u);  // 0 and 1 before the fork, 42 and 43
    EXPECT_EQ(node->member(), old_);            // the same member
    Result<log::EntryId> write = node->Write(Need(99));
    EXPECT_TRUE(write.ok()) << write.error().message;
    EXPECT_EQ(node->store().Head(fresh).seq, 4u);
    node.reset();
    // Opened again: nothing is carried twice and the key stays.
    std::unique_ptr<Node> again = OpenOk(home_);
    if (again == nullptr) return fresh;
    EXPECT_EQ(again->device_key(), fresh);
    ExpectFeedIsContiguous(*again, fresh, 4);
    EXPECT_EQ(RekeyCountNeeds(*again, "I need 42"), 1u);
    again.reset();
    // A second --rekey has nothing to re-key and changes nothing.
    Result<Node::Rekeyed> second = Rekey();
    EXPECT_EQ(second.code(), ErrorCode::kRefused);
    EXPECT_FALSE(PathExists(RekeyNextFile(home_)));
    EXPECT_EQ(RekeyKeyInFile(home_.key_file), fresh);
    return fresh;
  }

  // `author`'s feed holds seq 1..`entries`, each once, the first a control entry (DeviceRekeyed).
  static void ExpectFeedIsContiguous(Node& node, const log::DeviceKey& author, uint64_t entries) {
    EXPECT_EQ(node.store().Head(author).seq, entries);
    Result<std::vector<log::Envelope>> feed = node.store().ReadRange(author, 1, 100);
    ASSERT_TRUE(feed.ok());
    ASSERT_EQ(feed->size(), entries);
    for (uint64_t i = 0; i < entries; ++i) {
      Result<log::EntryHeader> header = log::DecodeHeader((*feed)[i].header);
      ASSERT_TRUE(header.ok());
      EXPECT_EQ(header->seq, i + 1);
      EXPECT_EQ(header->author, author);
      if (i == 0) EXPECT_EQ(header->scope, log::Scope::kControl);
    }
  }

  InstancePaths home_;
  log::DeviceKey old_{};
};

TEST_F(NodeRekey, AnUninterruptedReKeyRunsAsOneNewKeyAndCarriesTheForkOnce) {
  Result<Node::Rekeyed> rekeyed = Rekey();
  ASSERT_TRUE(rekeyed.ok()) << rekeyed.error().message;
  EXPECT_EQ(rekeyed->old_device, old_);
  EXPECT_EQ(rekeyed->forked_at_seq, kRekeyForkSeq);
  EXPECT_EQ(ExpectRekeyedOnce(), rekeyed->new_device);
}

TEST_F(NodeRekey, ACrashAfterTheNextKeyFileIsDroppedAtOpenAndTheReKeyRunsAgain) {
  CrashAfter(RekeyStep::kNextKeyWritten);
  Result<Node::Rekeyed> crashed = Rekey();
  ASSERT_FALSE(crashed.ok());
  ASSERT_EQ(crashed.error().message, kRekeyCrashMessage);
  // On disk: device.key (old), device.key.next (a key the store never recorded).
  ASSERT_TRUE(PathExists(RekeyNextFile(home_)));
  const log::DeviceKey unused = RekeyKeyInFile(RekeyNextFile(home_));
  NoCrash();
  ExpectStillTheOldKey();
  Result<Node::Rekeyed> rekeyed = Rekey();
  ASSERT_TRUE(rekeyed.ok()) << rekeyed.error().message;
  EXPECT_NE(rekeyed->new_device, unused);  // the dropped key is never used
  EXPECT_EQ(ExpectRekeyedOnce(), rekeyed->new_device);
}

TEST_F(NodeRekey, ACrashAfterTheStoreTookTheNewKeyIsFinishedAtOpen) {
  CrashAfter(RekeyStep::kStoreCommitted);
  ASSERT_EQ(Rekey().error().message, kRekeyCrashMessage);
  // On disk: device.key (old), device.key.next (new), the store's key the new one.
  const log::DeviceKey fresh = RekeyKeyInFile(RekeyNextFile(home_));
  ASSERT_EQ(RekeyKeyInFile(home_.key_file), old_);
  NoCrash();
  EXPECT_EQ(ExpectRekeyedOnce(), fresh);
}

TEST_F(NodeRekey, ACrashBetweenTheTwoRenamesIsFinishedAtOpen) {
  CrashAfter(RekeyStep::kOldKeyMovedAside);
  ASSERT_EQ(Rekey().error().message, kRekeyCrashMessage);
  // On disk: no device.key, device.key.replaced-OLD, device.key.next (new, the store's).
  ASSERT_FALSE(PathExists(home_.key_file));
  ASSERT_EQ(RekeyKeyInFile(RekeyReplacedFile(home_, old_)), old_);
  const log::DeviceKey fresh = RekeyKeyInFile(RekeyNextFile(home_));
  NoCrash();
  EXPECT_EQ(ExpectRekeyedOnce(), fresh);
}

TEST_F(NodeRekey, ACrashAfterTheSwapBeforeTheFirstOpenCarriesAtOpen) {
  CrashAfter(RekeyStep::kKeySwapped);
  ASSERT_EQ(Rekey().error().message, kRekeyCrashMessage);
  const log::DeviceKey fresh = RekeyKeyInFile(home_.key_file);
  ASSERT_NE(fresh, old_);
  NoCrash();
  EXPECT_EQ(ExpectRekeyedOnce(), fresh);
}

TEST_F(NodeRekey, ACrashWhileFinishingAnInterruptedReKeyIsFinishedAtTheNextOpen) {
  CrashAfter(RekeyStep::kStoreCommitted);
  ASSERT_EQ(Rekey().error().message, kRekeyCrashMessage);
  const log::DeviceKey fresh = RekeyKeyInFile(RekeyNextFile(home_));
  // The open that finishes it crashes between its two renames, then after them.
  CrashAfter(RekeyStep::kOldKeyMovedAside);
  Result<std::unique_ptr<Node>> first = Open(home_);
  ASSERT_FALSE(first.ok());
  ASSERT_FALSE(PathExists(home_.key_file));
  CrashAfter(RekeyStep::kKeySwapped);
  Result<std::unique_ptr<Node>> second = Open(home_);
  ASSERT_FALSE(second.ok());
  ASSERT_EQ(RekeyKeyInFile(home_.key_file), fresh);
  NoCrash();
  EXPECT_EQ(ExpectRekeyedOnce(), fresh);
}

TEST_F(NodeRekey, ACrashBeforeTheCarryCommitsCarriesOnceAtTheNextOpen) {
  Result<Node::Rekeyed> rekeyed = Rekey();
  ASSERT_TRUE(rekeyed.ok()) << rekeyed.error().message;
  CrashAfter(RekeyStep::kCarryWritten);
  {
    std::unique_ptr<Node> node = OpenOk(home_);  // a failed carry never keeps it down
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->store().Head(rekeyed->new_device).seq, 1u);  // rolled back
  }
  NoCrash();
  EXPECT_EQ(ExpectRekeyedOnce(), rekeyed->new_device);
}

// Regression: Open went on with the node that had folded the rolled-back copies, so it showed
// them and its first write failed ("does not extend its feed").
TEST_F(NodeRekey, AnOpenWhoseCarryFailedShowsAndWritesOnlyWhatTheStoreHolds) {
  ASSERT_TRUE(Rekey().ok());
  // The second copy (the new feed's seq 3) cannot be stored, as a full disk would refuse it.
  RunSql(home_.database,
         "CREATE TRIGGER fail_second_copy BEFORE INSERT ON entries WHEN NEW.seq = 3 "
         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  std::unique_ptr<Node> node = OpenOk(home_);  // a failed carry never keeps it down
  ASSERT_NE(node, nullptr);
  RunSql(home_.database, "DROP TRIGGER fail_second_copy;");
  const log::DeviceKey fresh = node->device_key();
  ExpectFeedIsContiguous(*node, fresh, 1);  // rolled back
  // The rolled-back copies are neither shown nor built on.
  EXPECT_EQ(RekeyCountNeeds(*node, "I need 42"), 0u);
  EXPECT_EQ(node->State().needs.size(), 2u);
  Result<log::EntryId> write = node->Write(Need(99));
  ASSERT_TRUE(write.ok()) << write.error().message;
  ExpectFeedIsContiguous(*node, fresh, 2);
  node.reset();
  // The next open carries them, after that write, once.
  std::unique_ptr<Node> again = OpenOk(home_);
  ASSERT_NE(again, nullptr);
  ExpectFeedIsContiguous(*again, fresh, 4);
  EXPECT_EQ(RekeyCountNeeds(*again, "I need 42"), 1u);
  EXPECT_EQ(RekeyCountNeeds(*again, "I need 43"), 1u);
  EXPECT_EQ(RekeyCountNeeds(*again, "I need 99"), 1u);
}

TEST_F(NodeRekey, AReKeyWhileTheLastOnesCarryIsUnfinishedIsRefused) {
  ASSERT_TRUE(Rekey().ok());
  RunSql(home_.database,
         "CREATE TRIGGER fail_second_copy BEFORE INSERT ON entries WHEN NEW.seq = 3 "
         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  Result<Node::Rekeyed> again = Rekey();  // its open cannot carry either
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), ErrorCode::kRefused);
  EXPECT_NE(again.error().message.find("has not finished"), std::string::npos)
      << again.error().message;
  RunSql(home_.database, "DROP TRIGGER fail_second_copy;");
  // Nothing was lost by the refusal: the next open carries what the old key wrote, once.
  std::unique_ptr<Node> node = OpenOk(home_);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(RekeyCountNeeds(*node, "I need 42"), 1u);
  EXPECT_EQ(RekeyCountNeeds(*node, "I need 43"), 1u);
}

TEST_F(NodeRekey, ALeftOverTemporaryNextKeyFileDoesNotStopAReKey) {
  // A crash inside step 1, before the temporary file was renamed to device.key.next.
  const fs::path tmp = home_.key_dir / ".device.key.next.tmp-0011223344556677";
  {
    std::unique_ptr<Node> node = OpenOk(home_);
    ASSERT_TRUE(crypto::WriteKeyFile(tmp, node->identity()).ok());
  }
  Result<Node::Rekeyed> rekeyed = Rekey();
  ASSERT_TRUE(rekeyed.ok()) << rekeyed.error().message;
  EXPECT_EQ(ExpectRekeyedOnce(), rekeyed->new_device);
  // The open before the re-key removed the secret the interrupted write left.
  EXPECT_FALSE(fs::exists(tmp));
}

TEST_F(NodeRekey, ALostNextKeyFileAfterTheStoreTookItIsRefusedNotReplaced) {
  // Not a crash's state: device.key.next deleted by hand after step 2. The old key must not
  // run as the store's device, and no key is made up in its place.
  CrashAfter(RekeyStep::kStoreCommitted);
  ASSERT_EQ(Rekey().error().message, kRekeyCrashMessage);
  NoCrash();
  ASSERT_TRUE(fs::remove(RekeyNextFile(home_)));
  Result<std::unique_ptr<Node>> node = Open(home_);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.code(), ErrorCode::kCorrupt);
  EXPECT_NE(node.error().message.find("is not this store's key"), std::string::npos)
      << node.error().message;
  EXPECT_NE(node.error().message.find("--start-over"), std::string::npos);
  EXPECT_EQ(RekeyKeyInFile(home_.key_file), old_);
}

}  // namespace
}  // namespace accord::daemon
