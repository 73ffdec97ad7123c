// Joining with a prepared log (daemon/node/node_prepared.cc): the joiner's solo entries are
// carried into the pact with their times and references, durably and all at once; a failure
// half way changes nothing; what cannot be carried is refused before anything changes.

#include <algorithm>

#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;  // unix ms: the first solo entry
constexpr int64_t kMinuteMs = 60'000;            // milliseconds
constexpr int64_t kDayMs = 86'400'000;           // milliseconds

// A wall clock the test moves by hand, so each entry has its own time.
class HandClock final : public Clock {
 public:
  int64_t NowMs() const override { return now_ms_; }
  int64_t Tick(int64_t ms = kMinuteMs) { return now_ms_ += ms; }

 private:
  int64_t now_ms_ = kStartMs;
};

class NodePreparedTest : public NodeFixture {
 protected:
  std::unique_ptr<Node> OpenWithHandClock(const InstancePaths& paths) {
    EXPECT_TRUE(crypto::EnsurePrivateDir(paths.data_dir).ok());
    Result<std::unique_ptr<Node>> node = Node::Open(paths, hand_clock_);
    EXPECT_TRUE(node.ok()) << node.error().message;
    return node.ok() ? std::move(*node) : nullptr;
  }
  void SetUp() override {
    alice_home_ = Home("alice");
    bob_home_ = Home("bob");
    alice_ = OpenWithHandClock(alice_home_);
    bob_ = OpenWithHandClock(bob_home_);
    ASSERT_TRUE(alice_->Init("Alice", "laptop").ok());
    ASSERT_TRUE(bob_->Init("Bob", "phone").ok());
  }
  log::EntryId WriteAt(Node& node, state::UserKind kind, int64_t* at = nullptr) {
    const int64_t t = hand_clock_.Tick();
    if (at) *at = t;
    Result<log::EntryId> id = node.Write(std::move(kind));
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : log::EntryId{};
  }
  // Pairing as the daemons do it, Alice inviting; then both hand each other their entries.
  Result<Node::JoinReport> BobJoinsAlice() {
    hand_clock_.Tick(kDayMs);
    EXPECT_TRUE(
        alice_->AddMember(bob_->device_key(), bob_->identity().dh.public_key(), "Bob").ok());
    Result<Node::JoinReport> joined = bob_->JoinPact(alice_->pact(), alice_->EpochKeysForPartner());
    if (!joined.ok()) return joined;
    bob_->TrustDevice(alice_->device_key());
    SendOwn(*alice_, *bob_);
    SendOwn(*bob_, *alice_);
    return joined;
  }
  // Hands `to` every entry `from` authored, as a sender does: another member's private
  // entries travel without their body (docs/log-format.md "Entries without their body").
  static void SendOwn(Node& from, Node& to) {
    Result<std::vector<log::Envelope>> own = from.store().ReadRange(from.device_key(), 1, 1000);
    ASSERT_TRUE(own.ok());
    for (log::Envelope& e : *own) {
      Result<log::EntryHeader> header = log::DecodeHeader(e.header);
      ASSERT_TRUE(header.ok());
      if (header->scope == log::Scope::kPrivate) e.sealed_body.clear();
    }
    Result<Node::ReceiveReport> received = to.Receive(*own);
    ASSERT_TRUE(received.ok()) << received.error().message;
  }
  static const state::Need* NeedWithText(Node& node, const std::string& text) {
    for (const state::Need& n : node.State().needs)
      if (n.text == text) return &n;
    return nullptr;
  }
  static const state::Agreement* AgreementWithRootText(Node& node, const std::string& text) {
    for (const state::Agreement& a : node.State().agreements)
      if (a.versions.front().text == text) return &a;
    return nullptr;
  }

  HandClock hand_clock_;
  InstancePaths alice_home_, bob_home_;
  std::unique_ptr<Node> alice_, bob_;
};

TEST_F(NodePreparedTest, AJoinersSoloEntriesAreCarriedWithTheirTimesAndReferences) {
  int64_t alice_need_at = 0, need_at = 0, v1_at = 0, counter_at = 0, retire_at = 0,
          reflection_at = 0, check_in_at = 0;
  WriteAt(*alice_, state::NeedAdded{"alice: quiet mornings"}, &alice_need_at);
  WriteAt(*alice_, state::Reflected{"alice: a private note"});
  WriteAt(*bob_, state::NeedAdded{"bob: time alone on sundays"}, &need_at);
  const log::EntryId v1 = WriteAt(*bob_, state::Proposed{{}, {}, "walks", {}, 0}, &v1_at);
  WriteAt(*bob_, state::Proposed{v1, v1, "long walks", {}, 0}, &counter_at);
  const log::EntryId other = WriteAt(*bob_, state::Proposed{{}, {}, "no screens", {}, 0});
  WriteAt(*bob_, state::Retired{other, "too strict"}, &retire_at);
  WriteAt(*bob_, state::CheckedIn{4, "walks help", v1}, &check_in_at);
  const log::EntryId ask = WriteAt(*bob_, state::SpaceAsked{2 * 3'600'000, "a long walk"});
  WriteAt(*bob_, state::SpaceEnded{ask});
  WriteAt(*bob_, state::Reflected{"bob: I was tired"}, &reflection_at);
  WriteAt(*bob_, state::Appreciated{"thank you for the tea"});
  const log::PactId solo_pact = bob_->pact();

  Result<Node::JoinReport> joined = BobJoinsAlice();
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_EQ(joined->carried_shared, 9u);
  EXPECT_EQ(joined->carried_reflections, 1u);
  EXPECT_EQ(bob_->pact(), alice_->pact());
  EXPECT_NE(bob_->pact(), solo_pact);

  for (Node* node : {alice_.get(), bob_.get()}) {
    SCOPED_TRACE(node == alice_.get() ? "on alice's device" : "on bob's device");
    ASSERT_EQ(node->State().members.size(), 2u);
    ASSERT_NE(NeedWithText(*node, "alice: quiet mornings"), nullptr);
    EXPECT_EQ(NeedWithText(*node, "alice: quiet mornings")->by.time_ms, alice_need_at);
    const state::Need* need = NeedWithText(*node, "bob: time alone on sundays");
    ASSERT_NE(need, nullptr);
    EXPECT_EQ(need->by.time_ms, need_at);
    EXPECT_EQ(need->by.member, bob_->device_key());

    const state::Agreement* walks = AgreementWithRootText(*node, "walks");
    ASSERT_NE(walks, nullptr);
    EXPECT_NE(walks->id, v1);  // a copy, written in the pact
    ASSERT_EQ(walks->versions.size(), 2u);
    EXPECT_EQ(walks->versions[0].by.time_ms, v1_at);
    EXPECT_EQ(walks->versions[1].text, "long walks");
    EXPECT_EQ(walks->versions[1].parent, walks->id);
    EXPECT_EQ(walks->versions[1].by.time_ms, counter_at);
    // Alice has accepted nothing yet: Bob's proposals wait for her.
    EXPECT_EQ(walks->status, state::AgreementStatus::kPending);
    ASSERT_EQ(walks->check_ins.size(), 1u);

    const state::Agreement* screens = AgreementWithRootText(*node, "no screens");
    ASSERT_NE(screens, nullptr);
    EXPECT_EQ(screens->status, state::AgreementStatus::kRetired);
    ASSERT_EQ(screens->retirements.size(), 1u);
    EXPECT_EQ(screens->retirements[0].by.time_ms, retire_at);

    ASSERT_EQ(node->State().check_ins.size(), 1u);
    EXPECT_EQ(node->State().check_ins[0].agreement, walks->id);
    EXPECT_EQ(node->State().check_ins[0].by.time_ms, check_in_at);
    ASSERT_EQ(node->State().space_requests.size(), 1u);
    EXPECT_TRUE(node->State().space_requests[0].ended_by.has_value());  // over long ago
    EXPECT_LT(node->State().space_requests[0].end_ms, hand_clock_.NowMs() - kDayMs);
    EXPECT_EQ(node->State().appreciations.size(), 1u);
  }
  EXPECT_EQ(alice_->Digest(), bob_->Digest());
  // Each keeps their own reflections.
  ASSERT_EQ(bob_->State().reflections.size(), 1u);
  EXPECT_EQ(bob_->State().reflections[0].text, "bob: I was tired");
  EXPECT_EQ(bob_->State().reflections[0].by.time_ms, reflection_at);
  ASSERT_EQ(alice_->State().reflections.size(), 1u);
  EXPECT_EQ(alice_->State().reflections[0].text, "alice: a private note");

  // `log` on Bob's device: his copies show their original times, and when they were carried.
  Result<LogSlice> slice = bob_->ReadLog(0, 100);
  ASSERT_TRUE(slice.ok());
  size_t carried = 0;
  for (const LogRow& row : bob_->LogRows(slice->entries, nullptr)) {
    if (row.header.author == bob_->private_chain_key() && row.header.seq == 1) {
      EXPECT_FALSE(row.original_time_ms.has_value());  // the pact's chain starts anew
      continue;
    }
    if (row.header.author != bob_->device_key() && row.header.author != bob_->private_chain_key())
      continue;
    ASSERT_TRUE(row.original_time_ms.has_value());
    EXPECT_LT(*row.original_time_ms, row.header.time_ms);
    ++carried;
  }
  EXPECT_EQ(carried, 10u);

  // Durable: a reopened Bob holds the same pact.
  const Hash32 digest = bob_->Digest();
  bob_.reset();
  bob_ = OpenWithHandClock(bob_home_);
  EXPECT_EQ(bob_->Digest(), digest);
  EXPECT_EQ(bob_->State().reflections.size(), 1u);
}

TEST_F(NodePreparedTest, TheInvitersEarlierEntriesReachTheJoinerWithTheirOwnTimes) {
  int64_t at = 0;
  WriteAt(*alice_, state::BoundaryAdded{"alice: no calls after ten", true}, &at);
  Result<Node::JoinReport> joined = BobJoinsAlice();
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_EQ(joined->carried_shared + joined->carried_reflections, 0u);
  ASSERT_EQ(bob_->State().boundaries.size(), 1u);
  EXPECT_EQ(bob_->State().boundaries[0].by.time_ms, at);
  EXPECT_EQ(bob_->State().boundaries[0].by.member, alice_->device_key());
}

TEST_F(NodePreparedTest, AFailureHalfWayThroughCarryingChangesNothing) {
  for (int i = 0; i < 5; ++i) WriteAt(*bob_, state::NeedAdded{"need " + std::to_string(i)});
  WriteAt(*bob_, state::Reflected{"private"});
  const log::PactId solo_pact = bob_->pact();
  const Hash32 solo_digest = bob_->Digest();
  const uint64_t solo_entries = bob_->EntryCount();
  // The third copy cannot be stored (as a full disk would refuse it); the solo log's own
  // rows are already in, so only a copy in the new pact trips it.
  RunSql(bob_home_.database,
         "CREATE TRIGGER fail_third_copy BEFORE INSERT ON entries WHEN NEW.seq = 3 "
         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

  Result<Node::JoinReport> failed = BobJoinsAlice();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("nothing was changed"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(bob_->pact(), solo_pact);
  EXPECT_EQ(bob_->Digest(), solo_digest);
  EXPECT_EQ(bob_->EntryCount(), solo_entries);
  EXPECT_EQ(bob_->State().needs.size(), 5u);
  EXPECT_EQ(bob_->State().reflections.size(), 1u);
  EXPECT_EQ(bob_->store().Head(bob_->device_key()).seq, 6u);         // MemberCreated, 5 needs
  EXPECT_EQ(bob_->store().Head(bob_->private_chain_key()).seq, 2u);  // its start, a reflection

  // On disk too: reopened, Bob is the same solo log, with its own keys.
  bob_.reset();
  bob_ = OpenWithHandClock(bob_home_);
  EXPECT_EQ(bob_->pact(), solo_pact);
  EXPECT_EQ(bob_->Digest(), solo_digest);
  EXPECT_EQ(bob_->State().reflections.size(), 1u);
  // And it goes on: a new entry extends the solo feed, and once the fault is gone the join
  // carries everything.
  WriteAt(*bob_, state::NeedAdded{"need after the failure"});
  EXPECT_EQ(bob_->EntryCount(), solo_entries + 1);
  RunSql(bob_home_.database, "DROP TRIGGER fail_third_copy;");
  hand_clock_.Tick();
  ASSERT_TRUE(bob_->JoinPact(alice_->pact(), alice_->EpochKeysForPartner()).ok());
  bob_->TrustDevice(alice_->device_key());
  SendOwn(*alice_, *bob_);
  EXPECT_EQ(bob_->State().needs.size(), 6u);
  EXPECT_EQ(bob_->State().reflections.size(), 1u);
  SendOwn(*bob_, *alice_);
  EXPECT_EQ(alice_->State().needs.size(), 6u);
  EXPECT_EQ(alice_->Digest(), bob_->Digest());
}

TEST_F(NodePreparedTest, ADeviceThatAlreadySharesALogIsRefusedBeforeAnythingChanges) {
  WriteAt(*bob_, state::NeedAdded{"bob's"});
  EXPECT_TRUE(bob_->CheckJoinable().ok());
  ASSERT_TRUE(BobJoinsAlice().ok());

  // Bob now holds Alice's entries; Alice has let someone in.
  for (Node* node : {alice_.get(), bob_.get()}) {
    Status joinable = node->CheckJoinable();
    ASSERT_FALSE(joinable.ok());
    EXPECT_EQ(joinable.code(), ErrorCode::kRefused);
    EXPECT_NE(joinable.error().message.find("accord invite"), std::string::npos);
  }
  const Hash32 digest = bob_->Digest();
  const log::PactId pact = bob_->pact();
  InstancePaths carol_home = Home("carol");
  std::unique_ptr<Node> carol = OpenWithHandClock(carol_home);
  ASSERT_TRUE(carol->Init("Carol", "tablet").ok());
  Result<Node::JoinReport> again = bob_->JoinPact(carol->pact(), carol->EpochKeysForPartner());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), ErrorCode::kRefused);
  EXPECT_EQ(bob_->pact(), pact);
  EXPECT_EQ(bob_->Digest(), digest);
}

}  // namespace
}  // namespace accord::daemon
