// The receive path end to end: IngestBatch against a StoreLogView, then the store.
#include <gtest/gtest.h>

#include <set>

#include "daemon/log/ingest.h"
#include "daemon/store/store_log_view.h"
#include "tests/daemon/store/store_fixture.h"

namespace accord::store {
namespace {

using log::testing::NeedBody;

class IngestIntoStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    store_ = OpenStore();
    ASSERT_TRUE(store_);
    view_ = std::make_unique<StoreLogView>(
        *store_, [this](const DeviceKey& d) { return known_.contains(d); });
    known_ = {feed_.device(0), feed_.device(1)};
  }

  // What the daemon does with a received batch: validate all, then store all.
  Status Receive(const std::vector<log::Envelope>& batch) {
    Result<log::IngestPlan> plan = log::IngestBatch(batch, feed_.pact(), *view_, feed_.keys());
    if (!plan.ok()) return plan.error();
    ACCORD_RETURN_IF_ERROR(store_->AppendBatch(plan->to_store));
    for (const log::ForkProof& fork : plan->forks) ACCORD_RETURN_IF_ERROR(store_->RecordFork(fork));
    return Status::Ok();
  }

  // Count, heads and every stored envelope, as one comparable string.
  std::string Snapshot() {
    std::string out = std::to_string(*store_->EntryCount());
    Status walked = store_->ForEachEntry([&](const StoredEntry& e) {
      out += ToHex(e.id) + ToHex(e.envelope.sealed_body);
      return Status::Ok();
    });
    EXPECT_TRUE(walked.ok());
    for (const auto& [author, head] : store_->Heads()) out += ToHex(head.id);
    return out;
  }

  std::set<DeviceKey> known_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<StoreLogView> view_;
};

TEST_F(IngestIntoStoreTest, EveryFlippedBitLeavesTheStoreUnchanged) {
  ASSERT_TRUE(
      Receive({feed_.Write(0, NeedBody("1")).envelope, feed_.Write(0, NeedBody("2")).envelope})
          .ok());
  const std::vector<log::Envelope> batch = {feed_.Write(0, NeedBody("3")).envelope,
                                            feed_.Write(1, NeedBody("b1")).envelope,
                                            feed_.Write(0, NeedBody("4")).envelope};
  const std::string before = Snapshot();
  ASSERT_TRUE(log::IngestBatch(batch, feed_.pact(), *view_, feed_.keys()).ok())
      << "the untampered batch must pass";

  for (Bytes log::Envelope::*part :
       {&log::Envelope::header, &log::Envelope::signature, &log::Envelope::sealed_body}) {
    for (size_t bit = 0; bit < (batch[1].*part).size() * 8; ++bit) {
      std::vector<log::Envelope> tampered = batch;
      (tampered[1].*part)[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      ASSERT_FALSE(Receive(tampered).ok()) << "bit " << bit << " accepted";
    }
  }
  EXPECT_EQ(Snapshot(), before);
  ASSERT_TRUE(Receive(batch).ok());
  EXPECT_EQ(*store_->EntryCount(), 5u);
}

TEST_F(IngestIntoStoreTest, AReceivedForkIsKeptFrozenAndSurvivesAReopen) {
  const log::AuthoredEntry a1 = feed_.Write(0, NeedBody("a1"));
  const log::AuthoredEntry a2 = feed_.Write(0, NeedBody("a2"));
  ASSERT_TRUE(Receive({a1.envelope, a2.envelope}).ok());
  feed_.Rewind(0, FeedHead{1, a1.id});
  const log::AuthoredEntry a2_other = feed_.Write(0, NeedBody("a2 other"));
  const log::AuthoredEntry a3_other = feed_.Write(0, NeedBody("a3 other"));
  const log::AuthoredEntry b1 = feed_.Write(1, NeedBody("b1"));

  ASSERT_TRUE(Receive({a2_other.envelope, b1.envelope}).ok());
  EXPECT_TRUE(view_->IsFrozen(feed_.device(0)));
  EXPECT_EQ(store_->Head(feed_.device(0)).id, a2.id) << "the stored branch stays";
  EXPECT_EQ(store_->Head(feed_.device(1)).id, b1.id);

  // Later entries of the frozen feed are skipped; the rest of a batch still stores.
  const log::AuthoredEntry b2 = feed_.Write(1, NeedBody("b2"));
  ASSERT_TRUE(Receive({a3_other.envelope, b2.envelope}).ok());
  EXPECT_EQ(*store_->EntryCount(), 4u);

  view_.reset();
  store_.reset();
  store_ = OpenStore();
  ASSERT_TRUE(store_);
  ASSERT_EQ(store_->Forks()->size(), 1u);
  EXPECT_EQ((*store_->Forks())[0].conflicting.header, a2_other.envelope.header);
  EXPECT_EQ(store_->FrozenAuthors().at(feed_.device(0)), 2u);
}

TEST_F(IngestIntoStoreTest, TheViewAnswersFromTheStore) {
  const log::AuthoredEntry a1 = feed_.Write(0, NeedBody("a1"));
  ASSERT_TRUE(Receive({a1.envelope}).ok());
  EXPECT_EQ(view_->Head(feed_.device(0)).seq, 1u);
  EXPECT_EQ(view_->IdAt(feed_.device(0), 1), a1.id);
  EXPECT_FALSE(view_->IdAt(feed_.device(0), 2).has_value());
  EXPECT_EQ(view_->Head(feed_.device(2)).seq, 0u);
  EXPECT_FALSE(view_->IsKnownDevice(feed_.device(2)));
  known_.insert(feed_.device(2));
  EXPECT_TRUE(view_->IsKnownDevice(feed_.device(2)));
  EXPECT_TRUE(Receive({a1.envelope}).ok()) << "a replayed entry is a harmless duplicate";
  EXPECT_EQ(*store_->EntryCount(), 1u);
}

}  // namespace
}  // namespace accord::store
