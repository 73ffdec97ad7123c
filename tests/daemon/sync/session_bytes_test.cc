// SPEC §5: bytes on the wire for an incremental sync grow with the new entries and the
// number of authors, never with the size of the log. Measured as plaintext bytes both ways
// for one new entry on top of 1,000 and of 10,000 shared entries.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "daemon/sync/session.h"
#include "tests/daemon/log/test_feed.h"
#include "tests/daemon/sync/memory_node.h"
#include "tests/daemon/sync/sync_pair.h"

namespace accord::sync::testing {
namespace {

constexpr size_t kSmallLog = 1000;   // shared entries
constexpr size_t kLargeLog = 10000;  // shared entries
constexpr uint64_t kSlackBytes = 8;  // varints of seqs and ids may differ by a byte or two
constexpr uint64_t kBudgetBytes = 1024;

struct Measured {
  uint64_t new_session_bytes = 0;  // both directions: Hellos, the batch, acks
  uint64_t push_bytes = 0;         // both directions: one live push on an open session
  size_t reads = 0;                // SyncSource::Read calls for the new session
};

// Two devices share `shared` entries of two authors; device 0 then writes one entry, which
// a fresh session carries over. Then, on that open session, one more is pushed.
Measured SyncOneNewEntry(size_t shared) {
  log::testing::TestFeed feed(2);
  MemoryNode a(feed.pact(), feed.keys(), {feed.device(0), feed.device(1)});
  MemoryNode b(feed.pact(), feed.keys(), {feed.device(0), feed.device(1)});
  const std::string text(60, 'n');  // a typical short need
  for (size_t i = 0; i < shared; ++i) {
    const log::Envelope e = feed.Write(i % 10 == 0 ? 1 : 0, log::testing::NeedBody(text)).envelope;
    a.Append(e);
    b.Append(e);
  }
  a.Append(feed.Write(0, log::testing::NeedBody(text)).envelope);

  Measured out;
  SyncPair pair(a, b);
  const size_t reads_before = a.reads() + b.reads();
  pair.Start();
  EXPECT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b.entry_count(), shared + 1);
  out.new_session_bytes = pair.transport().bytes_sent(0) + pair.transport().bytes_sent(1);
  out.reads = a.reads() + b.reads() - reads_before;

  a.Append(feed.Write(0, log::testing::NeedBody(text)).envelope);
  pair.LocalChange(SyncPair::kInitiator);
  EXPECT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b.entry_count(), shared + 2);
  out.push_bytes =
      pair.transport().bytes_sent(0) + pair.transport().bytes_sent(1) - out.new_session_bytes;
  return out;
}

TEST(SyncBytes, OneNewEntryCostsTheSameOnTopOfATenTimesLargerLog) {
  const Measured small = SyncOneNewEntry(kSmallLog);
  const Measured large = SyncOneNewEntry(kLargeLog);
  RecordProperty("new_session_bytes", std::to_string(large.new_session_bytes));
  RecordProperty("push_bytes", std::to_string(large.push_bytes));

  EXPECT_LT(large.new_session_bytes, kBudgetBytes);
  EXPECT_LE(large.new_session_bytes, small.new_session_bytes + kSlackBytes);
  EXPECT_GE(large.new_session_bytes + kSlackBytes, small.new_session_bytes);
  EXPECT_LT(large.push_bytes, kBudgetBytes);
  EXPECT_LE(large.push_bytes, small.push_bytes + kSlackBytes);
  EXPECT_GE(large.push_bytes + kSlackBytes, small.push_bytes);
  // Nothing walks the log: the same few reads whatever its length.
  EXPECT_EQ(large.reads, small.reads);
}

}  // namespace
}  // namespace accord::sync::testing
