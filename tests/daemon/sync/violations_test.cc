// Protocol violations close the session with a reason, and nothing is done after that
// (SECURITY §4.3: any violation closes; sizes are checked before use). Each case feeds one
// hand-built PeerMessage to a session, as a hostile peer inside the Noise channel could.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "accord/wire.pb.h"
#include "daemon/sync/session.h"
#include "tests/daemon/sync/sync_fixture.h"
#include "tests/daemon/sync/sync_pair.h"

namespace accord::sync::testing {
namespace {

constexpr uint64_t kNextBatch = 2;

Bytes Serialize(const proto::PeerMessage& m) {
  const std::string s = m.SerializeAsString();
  return Bytes(s.begin(), s.end());
}

void SetWire(const log::Envelope& e, proto::WireEntry* w) {
  w->set_header(std::string(AsChars(e.header)));
  w->set_sealed_body(std::string(AsChars(e.sealed_body)));
  w->set_signature(std::string(AsChars(e.signature)));
}

proto::PeerMessage Hello() {
  proto::PeerMessage m;
  m.mutable_hello()->set_protocol(1);
  return m;
}

proto::PeerMessage BatchOf(uint64_t id, const std::vector<log::Envelope>& entries) {
  proto::PeerMessage m;
  m.mutable_batch()->set_batch_id(id);
  for (const log::Envelope& e : entries) SetWire(e, m.mutable_batch()->add_entries());
  return m;
}

class ViolationTest : public SyncTest {
 protected:
  // A pair of fresh, empty nodes that finished the Hello exchange. The initiator's first
  // batch (an empty one: nothing to send) used id 1, so the next valid id is kNextBatch.
  void Connect() {
    a_ = NewNode();
    b_ = NewNode();
    pair_ = std::make_unique<SyncPair>(*a_, *b_);
    pair_->Start();
    ASSERT_TRUE(pair_->RunUntilQuiet());
    ASSERT_TRUE(pair_->session(kR).initial_sync_done());
  }
  // Feeds `message` to the responder; expects one close whose reason contains `why`.
  void ExpectClose(const Bytes& message, const std::string& why) {
    pair_->Inject(kR, message);
    ASSERT_EQ(pair_->closes(kR).size(), 1u) << why;
    EXPECT_NE(pair_->closes(kR)[0].find(why), std::string::npos) << pair_->closes(kR)[0];
    EXPECT_TRUE(pair_->session(kR).closed());
    // Closed means closed: later input produces nothing.
    EXPECT_TRUE(pair_->session(kR).OnMessage(Serialize(Hello())).empty());
    EXPECT_TRUE(pair_->session(kR).OnLocalChange().empty());
  }

  std::unique_ptr<MemoryNode> a_ = NewNode();
  std::unique_ptr<MemoryNode> b_ = NewNode();
  std::unique_ptr<SyncPair> pair_;
};

TEST_F(ViolationTest, EachMalformedOrOutOfOrderMessageClosesWithAReason) {
  const log::Envelope e1 = Write(0);
  const log::Envelope e2 = Write(0);
  struct Case {
    std::string name;
    std::function<Bytes()> message;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"unparsable",
       [] {
         return Bytes{0xff, 0xff, 0xff};
       },
       "does not parse"},
      {"over the cap", [] { return Bytes(kMaxPeerMessageBytes + 1, 0); }, "65280 bytes"},
      {"no kind", [] { return Bytes{}; }, "no known kind"},
      {"second hello", [] { return Serialize(Hello()); }, "second Hello"},
      {"batch out of order", [&] { return Serialize(BatchOf(kNextBatch + 1, {e1})); },
       "out of order"},
      {"unknown ack",
       [] {
         proto::PeerMessage m;
         m.mutable_ack()->set_batch_id(99);
         return Serialize(m);
       },
       "ack for batch 99"},
      {"too many entries",
       [] {
         proto::PeerMessage m;  // malformed entries too: the count is refused first
         m.mutable_batch()->set_batch_id(kNextBatch);
         for (size_t i = 0; i <= kMaxEntriesPerBatch; ++i) m.mutable_batch()->add_entries();
         return Serialize(m);
       },
       "batch of 1025 entries"},
      {"short header",
       [&] {
         proto::PeerMessage m = BatchOf(kNextBatch, {e1});
         m.mutable_batch()->mutable_entries(0)->mutable_header()->pop_back();
         return Serialize(m);
       },
       "entry header of 177 bytes"},
      {"short signature",
       [&] {
         proto::PeerMessage m = BatchOf(kNextBatch, {e1});
         m.mutable_batch()->mutable_entries(0)->mutable_signature()->pop_back();
         return Serialize(m);
       },
       "entry signature of 63 bytes"},
      {"body over the cap",
       [&] {
         proto::PeerMessage m = BatchOf(kNextBatch, {e1});
         m.mutable_batch()->mutable_entries(0)->set_sealed_body(
             std::string(log::kMaxSealedBodyBytes + 1, 'x'));
         return Serialize(m);
       },
       "exceeds the cap"},
      {"bad header magic",
       [&] {
         proto::PeerMessage m = BatchOf(kNextBatch, {e1});
         (*m.mutable_batch()->mutable_entries(0)->mutable_header())[0] = 'X';
         return Serialize(m);
       },
       "protocol violation"},
      {"descending seq",
       [&] {
         return Serialize(BatchOf(kNextBatch, {e2, e1}));
       },
       "ascending seq"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Connect();
    ExpectClose(c.message(), c.why);
  }
}

TEST_F(ViolationTest, MalformedHellosClose) {
  struct Case {
    std::string name;
    std::function<void(proto::SyncHello*)> edit;
    std::string why;
  };
  const std::string key(32, 'k');
  const std::vector<Case> cases = {
      {"protocol 2", [](proto::SyncHello* h) { h->set_protocol(2); }, "unsupported"},
      {"short author",
       [&](proto::SyncHello* h) {
         auto* head = h->add_heads();
         head->set_author(std::string(31, 'k'));
         head->set_seq(1);
         head->set_head_id(key);
       },
       "malformed author"},
      {"short head id",
       [&](proto::SyncHello* h) {
         auto* head = h->add_heads();
         head->set_author(key);
         head->set_seq(1);
         head->set_head_id(std::string(31, 'i'));
       },
       "malformed head id"},
      {"author twice",
       [&](proto::SyncHello* h) {
         for (int i = 0; i < 2; ++i) {
           auto* head = h->add_heads();
           head->set_author(key);
           head->set_seq(1);
           head->set_head_id(key);
         }
       },
       "twice"},
      {"impossible seq",
       [&](proto::SyncHello* h) {
         auto* head = h->add_heads();
         head->set_author(key);
         head->set_seq(uint64_t{1} << 60);
         head->set_head_id(key);
       },
       "impossible seq"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    pair_ = std::make_unique<SyncPair>(*a_, *b_);  // not started: R waits for a Hello
    proto::PeerMessage m = Hello();
    c.edit(m.mutable_hello());
    ExpectClose(Serialize(m), c.why);
    EXPECT_TRUE(pair_->sent(kR).empty());  // R never answered
  }
}

TEST_F(ViolationTest, DataBeforeTheHelloCloses) {
  pair_ = std::make_unique<SyncPair>(*a_, *b_);
  proto::PeerMessage ack;
  ack.mutable_ack()->set_batch_id(1);
  ExpectClose(Serialize(ack), "before the Hellos");
  EXPECT_TRUE(pair_->sent(kR).empty());
}

TEST_F(ViolationTest, AHelloToAnInitiatorThatHasNotSpokenCloses) {
  pair_ = std::make_unique<SyncPair>(*a_, *b_);
  pair_->Inject(kI, Serialize(Hello()));
  ASSERT_EQ(pair_->closes(kI).size(), 1u);
  EXPECT_NE(pair_->closes(kI)[0].find("spoke first"), std::string::npos);
}

TEST_F(ViolationTest, MoreUnacknowledgedBatchesThanTheWindowClose) {
  Connect();
  pair_->set_store_immediately(false);  // nothing gets stored, so nothing gets acked
  std::vector<log::Envelope> entries;
  for (size_t i = 0; i <= kMaxInFlightBatches; ++i) entries.push_back(Write(0));
  for (size_t i = 0; i < kMaxInFlightBatches; ++i) {
    pair_->Inject(kR, Serialize(BatchOf(kNextBatch + i, {entries[i]})));
    ASSERT_TRUE(pair_->closes(kR).empty());
  }
  ExpectClose(Serialize(BatchOf(kNextBatch + kMaxInFlightBatches, {entries.back()})), "window");
}

TEST_F(ViolationTest, AnAckWithNothingInFlightCloses) {
  Connect();
  proto::PeerMessage ack;
  ack.mutable_ack()->set_batch_id(2);  // R's only batch (its empty first one) was acked
  ExpectClose(Serialize(ack), "not the oldest sent");
}

}  // namespace
}  // namespace accord::sync::testing
