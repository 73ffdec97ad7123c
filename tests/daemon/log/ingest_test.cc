#include "daemon/log/ingest.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::FakeLog;
using testing::NeedBody;
using testing::TestFeed;

std::vector<Envelope> Envelopes(const std::vector<AuthoredEntry>& entries) {
  std::vector<Envelope> out;
  for (const auto& e : entries) out.push_back(e.envelope);
  return out;
}

std::vector<EntryId> Ids(const std::vector<VerifiedEntry>& entries) {
  std::vector<EntryId> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

class IngestTest : public ::testing::Test {
 protected:
  IngestTest() {
    log_.Know(feed_.device(0));
    log_.Know(feed_.device(1));
  }
  Result<IngestPlan> Ingest(const std::vector<Envelope>& batch) {
    return IngestBatch(batch, feed_.pact(), log_, feed_.keys());
  }

  TestFeed feed_;
  FakeLog log_;
};

TEST_F(IngestTest, InterleavedChainsOfTwoAuthorsAreAcceptedInOrder) {
  std::vector<AuthoredEntry> written;
  for (int i = 0; i < 4; ++i) {
    written.push_back(feed_.Write(0, NeedBody("a" + std::to_string(i))));
    if (i < 3) written.push_back(feed_.Write(1, NeedBody("b" + std::to_string(i))));
  }
  Result<IngestPlan> plan = Ingest(Envelopes(written));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::vector<EntryId> want;
  for (const auto& e : written) want.push_back(e.id);
  EXPECT_EQ(Ids(plan->to_store), want);
  EXPECT_EQ(plan->duplicates, 0u);
  EXPECT_TRUE(plan->forks.empty());
  EXPECT_EQ(plan->to_store[6].body.need().text(), "a3");
}

TEST_F(IngestTest, OneTamperedEntryInTheMiddleRejectsTheWholeBatch) {
  std::vector<AuthoredEntry> written;
  for (int i = 0; i < 5; ++i) written.push_back(feed_.Write(i % 2, NeedBody("n")));
  std::vector<Envelope> batch = Envelopes(written);
  ASSERT_TRUE(Ingest(batch).ok()) << "the untampered batch must pass";
  batch[2].sealed_body[5] ^= 0x01;
  Result<IngestPlan> plan = Ingest(batch);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.code(), ErrorCode::kBodyHashMismatch);
  const std::string author = ToHex(ByteView(feed_.device(0).data(), 8));
  EXPECT_NE(plan.error().message.find("entry 2 of the batch"), std::string::npos)
      << plan.error().message;
  EXPECT_NE(plan.error().message.find("author " + author + ", seq 2"), std::string::npos)
      << plan.error().message;
}

TEST_F(IngestTest, AGapInsideTheBatchRejectsIt) {
  const AuthoredEntry first = feed_.Write(0, NeedBody("1"));
  feed_.Write(0, NeedBody("2"));
  const AuthoredEntry third = feed_.Write(0, NeedBody("3"));
  EXPECT_EQ(Ingest({first.envelope, third.envelope}).code(), ErrorCode::kSeqGap);
}

TEST_F(IngestTest, ADeviceAddedEarlierInTheBatchIsKnownLaterInIt) {
  TestFeed feed(4);
  FakeLog log;
  log.Know(feed.device(0));
  std::vector<AuthoredEntry> written = {
      feed.Write(0, testing::MemberCreatedBody(feed.device(0), "ana")),
      feed.Write(0, testing::MemberAddedBody(feed.device(1), "ben")),
      feed.Write(1, NeedBody("from ben")),
      feed.Write(1, testing::DeviceAddedBody(feed.device(2))),
      feed.Write(2, NeedBody("from ben's laptop")),
  };
  Result<IngestPlan> plan = IngestBatch(Envelopes(written), feed.pact(), log, feed.keys());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->to_store.size(), 5u);

  // Without the introductions the same entries come from strangers.
  plan = IngestBatch(std::vector<Envelope>{written[0].envelope, written[2].envelope}, feed.pact(),
                     log, feed.keys());
  EXPECT_EQ(plan.code(), ErrorCode::kUnknownAuthor);
  // A device named in an ordinary body is not introduced.
  const AuthoredEntry stranger = feed.Write(3, NeedBody("from nobody"));
  std::vector<Envelope> batch = Envelopes(written);
  batch.push_back(stranger.envelope);
  EXPECT_EQ(IngestBatch(batch, feed.pact(), log, feed.keys()).code(), ErrorCode::kUnknownAuthor);
}

TEST_F(IngestTest, AForkInTheBatchYieldsAProofAndSkipsTheRestOfThatAuthor) {
  const AuthoredEntry a1 = feed_.Write(0, NeedBody("a1"));
  const AuthoredEntry a2 = feed_.Write(0, NeedBody("a2"));
  const AuthoredEntry b1 = feed_.Write(1, NeedBody("b1"));
  feed_.Rewind(0, FeedHead{1, a1.id});
  const AuthoredEntry a2_other = feed_.Write(0, NeedBody("a2 other"));
  const AuthoredEntry a3_other = feed_.Write(0, NeedBody("a3 other"));
  const AuthoredEntry b2 = feed_.Write(1, NeedBody("b2"));

  Result<IngestPlan> plan = Ingest(
      {a1.envelope, a2.envelope, b1.envelope, a2_other.envelope, a3_other.envelope, b2.envelope});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Ids(plan->to_store), (std::vector<EntryId>{a1.id, a2.id, b1.id, b2.id}));
  ASSERT_EQ(plan->forks.size(), 1u);
  EXPECT_EQ(plan->forks[0].author, feed_.device(0));
  EXPECT_EQ(plan->forks[0].seq, 2u);
  EXPECT_EQ(plan->forks[0].existing_id, a2.id);
  EXPECT_EQ(plan->forks[0].conflicting_id, a2_other.id);
  EXPECT_EQ(plan->frozen_skipped, 1u);
}

TEST_F(IngestTest, HeldAndRepeatedEntriesAreCountedAsDuplicates) {
  const AuthoredEntry a1 = feed_.Write(0, NeedBody("a1"));
  const AuthoredEntry a2 = feed_.Write(0, NeedBody("a2"));
  const AuthoredEntry a3 = feed_.Write(0, NeedBody("a3"));
  log_.Add(a1);
  log_.Add(a2);
  Result<IngestPlan> plan = Ingest({a1.envelope, a2.envelope, a3.envelope, a3.envelope});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Ids(plan->to_store), std::vector<EntryId>{a3.id});
  EXPECT_EQ(plan->duplicates, 3u);
}

TEST_F(IngestTest, AFeedFrozenBeforeTheBatchIsSkippedNotAnError) {
  const AuthoredEntry a1 = feed_.Write(0, NeedBody("a1"));
  const AuthoredEntry b1 = feed_.Write(1, NeedBody("b1"));
  log_.Freeze(feed_.device(0));
  Result<IngestPlan> plan = Ingest({a1.envelope, b1.envelope});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Ids(plan->to_store), std::vector<EntryId>{b1.id});
  EXPECT_EQ(plan->frozen_skipped, 1u);
  // Skipping is only for authentic entries: a forged one still fails the batch.
  Envelope forged = a1.envelope;
  forged.signature[0] ^= 1;
  EXPECT_EQ(Ingest({forged, b1.envelope}).code(), ErrorCode::kBadSignature);
}

TEST_F(IngestTest, HeadersDecodedAheadGiveTheSamePlanAsTheEnvelopesAlone) {
  std::vector<AuthoredEntry> written;
  for (int i = 0; i < 5; ++i) written.push_back(feed_.Write(i % 2, NeedBody("n")));
  const std::vector<Envelope> batch = Envelopes(written);
  std::vector<EntryHeader> headers;
  for (const AuthoredEntry& e : written) headers.push_back(e.header);
  Result<IngestPlan> plan = IngestBatch(batch, headers, feed_.pact(), log_, feed_.keys(),
                                        VerifySignatures(batch, headers, 1));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Ids(plan->to_store), Ids(Ingest(batch)->to_store));
}

TEST_F(IngestTest, HeadersThatDoNotMatchTheBatchAreAnInternalError) {
  const std::vector<Envelope> batch = {feed_.Write(0, NeedBody("1")).envelope};
  EXPECT_EQ(
      IngestBatch(batch, {}, feed_.pact(), log_, feed_.keys(), VerifySignatures(batch, 1)).code(),
      ErrorCode::kInternal);
}

TEST_F(IngestTest, AHeaderThatDoesNotDecodeIsReportedAtItsIndex) {
  std::vector<Envelope> batch = {feed_.Write(0, NeedBody("1")).envelope,
                                 feed_.Write(0, NeedBody("2")).envelope};
  batch[1].header[0] ^= 0x01;  // the magic
  Result<IngestPlan> plan = Ingest(batch);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.code(), ErrorCode::kMalformedEntry);
  EXPECT_NE(plan.error().message.find("entry 1 of the batch: "), std::string::npos)
      << plan.error().message;
}

TEST_F(IngestTest, AnEmptyBatchIsAnEmptyPlan) {
  Result<IngestPlan> plan = Ingest({});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->to_store.empty());
}

}  // namespace
}  // namespace accord::log
