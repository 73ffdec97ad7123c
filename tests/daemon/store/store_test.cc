#include "daemon/store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "tests/daemon/store/store_fixture.h"

namespace accord::store {
namespace {

using log::testing::NeedBody;

std::vector<log::Envelope> EnvelopesOf(const std::vector<log::VerifiedEntry>& entries) {
  std::vector<log::Envelope> out;
  for (const auto& e : entries) out.push_back(e.envelope);
  return out;
}

// Heads as comparable values (FeedHead has no operator==).
std::vector<std::pair<uint64_t, std::string>> HeadList(const std::map<DeviceKey, FeedHead>& heads) {
  std::vector<std::pair<uint64_t, std::string>> out;
  for (const auto& [author, head] : heads)
    out.emplace_back(head.seq, ToHex(author) + ToHex(head.id));
  return out;
}

using StoreTest = StoreFixture;

TEST_F(StoreTest, ReopeningKeepsEntriesHeadsKeysMetaAndForks) {
  std::vector<log::VerifiedEntry> a, b;
  log::AuthoredEntry own;
  {
    std::unique_ptr<Store> store = OpenStore();
    ASSERT_TRUE(store);
    for (int i = 0; i < 3; ++i) a.push_back(Next(0, NeedBody("a" + std::to_string(i))));
    for (int i = 0; i < 2; ++i) b.push_back(Next(1, NeedBody("b" + std::to_string(i))));
    ASSERT_TRUE(store->AppendBatch(a).ok());
    ASSERT_TRUE(store->AppendBatch(b).ok());
    own = feed_.Write(1, NeedBody("own"));
    ASSERT_TRUE(store->AppendOwn(own).ok());
    ASSERT_TRUE(store->PutWrappedKey({WrappedKeyKind::kEpoch, 1, Bytes{1, 2, 3}}).ok());
    ASSERT_TRUE(store->PutWrappedKey({WrappedKeyKind::kPerson, 4, Bytes{9}}).ok());
    ASSERT_TRUE(store->SetMeta("pact", feed_.pact()).ok());

    feed_.Rewind(0, FeedHead{1, a[0].id});
    const log::AuthoredEntry other = feed_.Write(0, NeedBody("a1 other"));
    log::ForkProof proof{feed_.device(0), 2, a[1].id, other.id, other.envelope};
    ASSERT_TRUE(store->RecordFork(proof).ok());
  }
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->EntryCount(), 6u);
  EXPECT_EQ(store->CachedEntryCount(), 6u);
  EXPECT_EQ(store->Heads().size(), 2u);
  EXPECT_EQ(store->Head(feed_.device(0)).seq, 3u);
  EXPECT_EQ(store->Head(feed_.device(0)).id, a[2].id);
  EXPECT_EQ(store->Head(feed_.device(1)).seq, 3u);
  EXPECT_EQ(store->Head(feed_.device(1)).id, own.id);
  EXPECT_EQ(*store->ReadRange(feed_.device(0), 1, 10), EnvelopesOf(a));
  std::vector<log::Envelope> b_feed = EnvelopesOf(b);
  b_feed.push_back(own.envelope);
  EXPECT_EQ(*store->ReadRange(feed_.device(1), 1, 10), b_feed);

  Result<std::vector<WrappedKey>> keys = store->WrappedKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kind, WrappedKeyKind::kEpoch);
  EXPECT_EQ((*keys)[0].wrapped, (Bytes{1, 2, 3}));
  EXPECT_EQ((*keys)[1].generation, 4u);

  Result<std::optional<Bytes>> pact = store->GetMeta("pact");
  ASSERT_TRUE(pact.ok() && pact->has_value());
  EXPECT_EQ(**pact, Bytes(feed_.pact().begin(), feed_.pact().end()));
  EXPECT_FALSE(store->GetMeta("absent")->has_value());

  Result<std::vector<StoredFork>> forks = store->Forks();
  ASSERT_TRUE(forks.ok());
  ASSERT_EQ(forks->size(), 1u);
  EXPECT_EQ((*forks)[0].existing.header, a[1].envelope.header);
  EXPECT_EQ((*forks)[0].existing.signature, a[1].envelope.signature);
  EXPECT_NE((*forks)[0].conflicting.header, a[1].envelope.header);
  EXPECT_EQ(store->FrozenAuthors().at(feed_.device(0)), 2u);
}

TEST_F(StoreTest, ABatchFailingMidwayLeavesNothingAndTheHeadsUnchanged) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<log::VerifiedEntry> first = {Next(0, NeedBody("1")), Next(0, NeedBody("2"))};
  ASSERT_TRUE(store->AppendBatch(first).ok());
  const auto heads_before = HeadList(store->Heads());

  // An occupied (author, seq) in the middle: rows before it were already inserted.
  std::vector<log::VerifiedEntry> batch = {Next(1, NeedBody("b1")), Next(0, NeedBody("3")),
                                           first[1], Next(0, NeedBody("4"))};
  EXPECT_EQ(store->AppendBatch(batch).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*store->EntryCount(), 2u);
  EXPECT_EQ(store->CachedEntryCount(), 2u);
  EXPECT_EQ(HeadList(store->Heads()), heads_before);

  // A row SQLite itself refuses (a CHECK constraint) in the middle.
  std::vector<log::VerifiedEntry> retry = {batch[0], batch[1], Next(0, NeedBody("5"))};
  retry[1].envelope.signature.pop_back();
  EXPECT_FALSE(store->AppendBatch(retry).ok());
  EXPECT_EQ(*store->EntryCount(), 2u);
  EXPECT_EQ(store->CachedEntryCount(), 2u);
  EXPECT_EQ(HeadList(store->Heads()), heads_before);
  EXPECT_FALSE(store->IdAt(feed_.device(1), 1)->has_value());

  // The connection is usable afterwards and the same entries store fine.
  std::vector<log::VerifiedEntry> good = {batch[0], batch[1], batch[3]};
  ASSERT_TRUE(store->AppendBatch(good).ok());
  EXPECT_EQ(*store->EntryCount(), 5u);
  EXPECT_EQ(store->CachedEntryCount(), 5u);
  EXPECT_EQ(store->Head(feed_.device(0)).seq, 4u);
}

TEST_F(StoreTest, ReadRangeHonoursItsBounds) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<log::VerifiedEntry> a;
  for (int i = 0; i < 6; ++i) a.push_back(Next(0, NeedBody(std::to_string(i))));
  ASSERT_TRUE(store->AppendBatch(a).ok());
  const DeviceKey& author = feed_.device(0);
  auto range = [&](uint64_t from, size_t limit) { return *store->ReadRange(author, from, limit); };
  auto slice = [&](size_t begin, size_t end) {
    return EnvelopesOf(std::vector<log::VerifiedEntry>(a.begin() + begin, a.begin() + end));
  };
  EXPECT_EQ(range(0, 100), slice(0, 6));
  EXPECT_EQ(range(1, 100), slice(0, 6));
  EXPECT_EQ(range(3, 2), slice(2, 4));
  EXPECT_EQ(range(6, 100), slice(5, 6));
  EXPECT_TRUE(range(7, 100).empty());
  EXPECT_TRUE(range(1, 0).empty());
  EXPECT_TRUE(range(std::numeric_limits<uint64_t>::max(), 10).empty());
  EXPECT_EQ(range(1, std::numeric_limits<size_t>::max()), slice(0, 6));
  EXPECT_TRUE(store->ReadRange(feed_.device(2), 1, 10)->empty());
}

TEST_F(StoreTest, ForEachEntryVisitsInArrivalOrderAndGetEnvelopeFindsById) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<log::VerifiedEntry> batch1 = {Next(1, NeedBody("b1")), Next(0, NeedBody("a1"))};
  std::vector<log::VerifiedEntry> batch2 = {Next(0, NeedBody("a2")), Next(1, NeedBody("b2"))};
  ASSERT_TRUE(store->AppendBatch(batch1).ok());
  ASSERT_TRUE(store->AppendBatch(batch2).ok());
  std::vector<EntryId> seen;
  ASSERT_TRUE(store
                  ->ForEachEntry([&](const StoredEntry& e) {
                    EXPECT_EQ(log::ComputeEntryId(e.envelope.header), e.id);
                    seen.push_back(e.id);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<EntryId>{batch1[0].id, batch1[1].id, batch2[0].id, batch2[1].id}));
  // A walk inside a walk (the cached statement is busy) sees everything too.
  size_t pairs = 0;
  ASSERT_TRUE(store
                  ->ForEachEntry([&](const StoredEntry&) {
                    return store->ForEachEntry([&](const StoredEntry&) {
                      ++pairs;
                      return Status::Ok();
                    });
                  })
                  .ok());
  EXPECT_EQ(pairs, 16u);
  // The visitor's error stops the walk and comes back.
  size_t visits = 0;
  Status stopped = store->ForEachEntry([&](const StoredEntry&) -> Status {
    ++visits;
    return MakeError(ErrorCode::kBadBody, "stop");
  });
  EXPECT_EQ(stopped.code(), ErrorCode::kBadBody);
  EXPECT_EQ(visits, 1u);

  EXPECT_EQ(*store->GetEnvelope(batch2[1].id), batch2[1].envelope);
  EXPECT_EQ(store->GetEnvelope(EntryId{}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(**store->IdAt(feed_.device(0), 2), batch2[0].id);
  EXPECT_FALSE(store->IdAt(feed_.device(0), 3)->has_value());
}

TEST_F(StoreTest, AForkIsRecordedOnlyWithItsStoredSideAndFreezesFromItsSeq) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  const log::VerifiedEntry a1 = Next(0, NeedBody("a1"));
  const log::VerifiedEntry a2 = Next(0, NeedBody("a2"));
  feed_.Rewind(0, FeedHead{1, a1.id});
  const log::AuthoredEntry other = feed_.Write(0, NeedBody("a2 other"));
  const log::ForkProof proof{feed_.device(0), 2, a2.id, other.id, other.envelope};

  ASSERT_TRUE(store->AppendBatch(std::vector<log::VerifiedEntry>{a1}).ok());
  EXPECT_EQ(store->RecordFork(proof).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store->FrozenAuthors().empty());
  ASSERT_TRUE(store->AppendBatch(std::vector<log::VerifiedEntry>{a2}).ok());

  log::ForkProof mislabelled = proof;
  mislabelled.seq = 1;
  EXPECT_EQ(store->RecordFork(mislabelled).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store->RecordFork(proof).ok());
  ASSERT_TRUE(store->RecordFork(proof).ok()) << "recording the same proof twice is harmless";
  EXPECT_EQ(store->Forks()->size(), 1u);
  EXPECT_EQ(store->FrozenAuthors().at(feed_.device(0)), 2u);
}

// log --verify walks the log in slices; a repair puts an intact copy in place of a row.
TEST_F(StoreTest, ArrivalSlicesCoverTheLogOnceAndARepairReplacesOnlyItsRow) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<log::VerifiedEntry> batch = {Next(0, NeedBody("a1")), Next(1, NeedBody("b1")),
                                           Next(0, NeedBody("a2"))};
  ASSERT_TRUE(store->AppendBatch(batch).ok());
  Result<std::vector<StoredEntry>> first = store->ReadArrivals(0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  Result<std::vector<StoredEntry>> rest = store->ReadArrivals(first->back().arrival, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].id, batch[2].id);
  EXPECT_TRUE(store->ReadArrivals((*rest)[0].arrival, 2)->empty());
  EXPECT_TRUE(store->ReadArrivals(0, 0)->empty());

  // A row whose body went bad, put back from an intact copy: that row alone changes.
  ASSERT_TRUE(store->ReplaceEntryBytes(batch[1].id, batch[1].envelope).ok());
  EXPECT_EQ(*store->GetEnvelope(batch[1].id), batch[1].envelope);
  EXPECT_EQ(*store->GetEnvelope(batch[0].id), batch[0].envelope);
  // Nothing is inserted for an id the store does not hold, nor under another entry's id.
  EXPECT_EQ(store->ReplaceEntryBytes(EntryId{}, batch[1].envelope).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->ReplaceEntryBytes(batch[0].id, batch[1].envelope).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store->GetEnvelope(batch[0].id), batch[0].envelope);
  EXPECT_EQ(*store->EntryCount(), 3u);
}

}  // namespace
}  // namespace accord::store
