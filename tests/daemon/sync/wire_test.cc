// The PeerMessage codec (daemon/sync/wire.cc): round trips, the size arithmetic batch
// packing relies on, and seeded mutations of valid messages, which must decode to something
// within the caps or be refused, never crash (the seed corpus of a fuzz target).
#include "daemon/sync/wire.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/sync/session.h"
#include "tests/daemon/sync/sync_fixture.h"

namespace accord::sync::testing {
namespace {

constexpr int kMutations = 4000;  // mutated messages per run

using SyncWireTest = SyncTest;

TEST_F(SyncWireTest, EveryMessageKindRoundTrips) {
  const log::Envelope a = Write(0);
  const log::Envelope b = Write(1, 3000);
  std::map<log::DeviceKey, log::FeedHead> heads = {{feed_.device(0), feed_.head(0)},
                                                   {feed_.device(1), feed_.head(1)}};

  Result<PeerMsg> hello = DecodePeerMessage(EncodeHello(heads));
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(Comparable(std::get<HelloMsg>(*hello).heads), Comparable(heads));

  Result<PeerMsg> batch = DecodePeerMessage(EncodeBatch(9, {a, b}, 77));
  ASSERT_TRUE(batch.ok());
  const BatchMsg& got = std::get<BatchMsg>(*batch);
  EXPECT_EQ(got.batch_id, 9u);
  EXPECT_EQ(got.total_behind, 77u);
  ASSERT_EQ(got.entries.size(), 2u);
  EXPECT_EQ(got.entries[0], a);
  EXPECT_EQ(got.entries[1], b);
  EXPECT_EQ(got.headers[1].author, feed_.device(1));

  Result<PeerMsg> ack = DecodePeerMessage(EncodeAck(5));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(std::get<AckMsg>(*ack).batch_id, 5u);

  Result<PeerMsg> fork = DecodePeerMessage(EncodeFork(a, b));
  ASSERT_TRUE(fork.ok());
  EXPECT_EQ(std::get<ForkMsg>(*fork).existing.header, a.header);
  EXPECT_EQ(std::get<ForkMsg>(*fork).conflicting.signature, b.signature);
  EXPECT_TRUE(std::get<ForkMsg>(*fork).conflicting.sealed_body.empty());  // proofs: no bodies

  Result<PeerMsg> keepalive = DecodePeerMessage(EncodeKeepalive());
  ASSERT_TRUE(keepalive.ok());
  EXPECT_TRUE(std::holds_alternative<KeepaliveMsg>(*keepalive));
}

TEST_F(SyncWireTest, EntryCostPlusFramingBoundsTheEncodedBatchExactly) {
  // Body sizes around each varint length boundary, up to the cap.
  std::vector<log::Envelope> entries;
  for (size_t text : {0u, 100u, 110u, 16'300u, 16'400u, 61'380u}) {
    entries.push_back(Write(0, text));
  }
  // Against a batch that already needs a 3-byte length, an entry adds exactly its cost.
  const log::Envelope& big = entries[4];
  const size_t base = EncodeBatch(1, {big}, 0).size();
  for (const log::Envelope& e : entries) {
    EXPECT_EQ(EncodeBatch(1, {big, e}, 0).size() - base, EntryCost(e));
    EXPECT_LE(EncodeBatch(1, {e}, 0).size(), EntryCost(e) + kBatchFramingBytes);
  }
  size_t sum = 0;
  std::vector<log::Envelope> two = {entries[3], entries[4]};
  for (const log::Envelope& e : two) sum += EntryCost(e);
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  // Largest ids and a 3-byte length: the framing allowance is used to the byte.
  EXPECT_EQ(EncodeBatch(max, two, max).size(), sum + kBatchFramingBytes);
  EXPECT_LE(EncodeBatch(1, two, 0).size(), sum + kBatchFramingBytes);
  // The largest entry fits a message alone.
  EXPECT_LE(EntryCost(entries.back()) + kBatchFramingBytes, kMaxPeerMessageBytes);
}

TEST_F(SyncWireTest, MutatedMessagesDecodeWithinTheCapsOrAreRefused) {
  std::vector<Bytes> corpus = {
      EncodeHello({{feed_.device(0), feed_.head(0)}}),
      EncodeBatch(1, {Write(0), Write(0), Write(2, 500)}, 3),
      EncodeAck(1),
      EncodeFork(Write(1), Write(1)),
      EncodeBodyRequest({log::ComputeEntryId(Write(0).header), log::EntryId{}}),
      EncodeBodyReply({Write(2), Write(2, 300)}),
  };
  std::mt19937_64 rng(42);
  size_t decoded = 0;
  for (int i = 0; i < kMutations; ++i) {
    Bytes m = corpus[rng() % corpus.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 4) {
        case 0:  // flip a byte
          if (!m.empty()) m[rng() % m.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
          break;
        case 1:  // truncate
          m.resize(rng() % (m.size() + 1));
          break;
        case 2:  // insert a byte
          m.insert(m.begin() + static_cast<std::ptrdiff_t>(rng() % (m.size() + 1)),
                   static_cast<uint8_t>(rng()));
          break;
        default:  // append junk
          for (int k = 0; k < 8; ++k) m.push_back(static_cast<uint8_t>(rng()));
      }
    }
    Result<PeerMsg> r = DecodePeerMessage(m);
    if (!r.ok()) continue;
    ++decoded;
    if (const auto* batch = std::get_if<BatchMsg>(&*r)) {
      EXPECT_LE(batch->entries.size(), kMaxEntriesPerBatch);
      ASSERT_EQ(batch->headers.size(), batch->entries.size());
      for (const log::Envelope& e : batch->entries) EXPECT_TRUE(HasEntrySizes(e));
    } else if (const auto* fork = std::get_if<ForkMsg>(&*r)) {
      EXPECT_TRUE(HasEntrySizes(fork->existing) && HasEntrySizes(fork->conflicting));
    } else if (const auto* close = std::get_if<CloseMsg>(&*r)) {
      EXPECT_LE(close->reason.size(), kMaxCloseReasonBytes);
    } else if (const auto* request = std::get_if<BodyRequestMsg>(&*r)) {
      EXPECT_LE(request->ids.size(), kMaxBodyRequestIds);
    } else if (const auto* reply = std::get_if<BodyReplyMsg>(&*r)) {
      ASSERT_EQ(reply->ids.size(), reply->entries.size());
      for (const log::Envelope& e : reply->entries) {
        EXPECT_TRUE(HasEntrySizes(e));
        EXPECT_FALSE(e.sealed_body.empty());
      }
    }
  }
  // Some mutations (in bodies, signatures, junk after the message) still parse.
  EXPECT_GT(decoded, 0u);
}

}  // namespace
}  // namespace accord::sync::testing
