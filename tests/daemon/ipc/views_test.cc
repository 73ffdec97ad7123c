// The IPC views of a folded state (daemon/ipc/views.h) and the `watch` line of an event
// (daemon/ipc/event_summary.h): a partner's decline and acknowledgement notes reach them.
#include "daemon/ipc/views.h"

#include <gtest/gtest.h>

#include "daemon/ipc/event_summary.h"
#include "tests/daemon/state/history.h"

namespace accord::daemon {
namespace {

using namespace state::testing;  // NOLINT: the body factories read best unqualified

constexpr int64_t kStart = 1'700'000'000'000;  // unix ms
constexpr int64_t kMinute = 60'000;            // ms

TEST(Views, ADeclineIsListedWithWhoWroteItWhenAndItsNote) {
  Pact pact;
  const state::Event v1 = pact.Write(pact.alice, ProposalBody("walks"), kStart);
  const state::Event decline =
      pact.Write(pact.bob, DeclineBody(v1.id, v1.id, "not on weekdays"), kStart + kMinute);
  const state::State s = pact.fold.View();
  ViewBuilder views(s, pact.alice, kStart + 2 * kMinute);
  const proto::AgreementView a = views.Agreement(*s.FindAgreement(v1.id), /*full=*/true);
  ASSERT_EQ(a.history_size(), 1);
  const proto::VersionView& v = a.history(0);
  ASSERT_EQ(v.declines_size(), 1);
  EXPECT_EQ(v.declines(0).id(), IdHex(decline.id));
  EXPECT_EQ(v.declines(0).member_id(), ToHex(pact.bob));
  EXPECT_EQ(v.declines(0).name(), views.NameOf(pact.bob));
  EXPECT_EQ(v.declines(0).time_ms(), kStart + kMinute);
  EXPECT_EQ(v.declines(0).note(), "not on weekdays");
  // The names-only list stays for older clients.
  ASSERT_EQ(v.declined_by_size(), 1);
  EXPECT_EQ(v.declined_by(0), views.NameOf(pact.bob));
  // The pending list carries the same version with its decline.
  ASSERT_EQ(a.pending_size(), 1);
  EXPECT_EQ(a.pending(0).declines(0).note(), "not on weekdays");
}

TEST(Views, AnAcceptanceAfterADeclineTakesTheDeclineAndItsNoteAway) {
  Pact pact;
  const state::Event v1 = pact.Write(pact.alice, ProposalBody("walks"), kStart);
  pact.Write(pact.bob, DeclineBody(v1.id, v1.id, "not yet"), kStart + kMinute);
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id), kStart + 2 * kMinute);
  const state::State s = pact.fold.View();
  ViewBuilder views(s, pact.alice, kStart + 3 * kMinute);
  const proto::VersionView v = views.Version(*s.FindAgreement(v1.id), 0);
  EXPECT_EQ(v.declines_size(), 0);
  EXPECT_EQ(v.declined_by_size(), 0);
  EXPECT_EQ(v.accepted_by_size(), 2);
}

TEST(Views, AnAcknowledgementIsListedWithItsNote) {
  Pact pact;
  const state::Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60, "a nap"), kStart);
  const state::Event ack =
      pact.Write(pact.bob, SpaceAckBody(ask.id, "sleep well"), kStart + kMinute);
  const state::State s = pact.fold.View();
  ViewBuilder views(s, pact.alice, kStart + 2 * kMinute);
  const proto::SpaceView v = views.Space(s.space_requests[0]);
  ASSERT_EQ(v.acks_size(), 1);
  EXPECT_EQ(v.acks(0).id(), IdHex(ack.id));
  EXPECT_EQ(v.acks(0).member_id(), ToHex(pact.bob));
  EXPECT_EQ(v.acks(0).time_ms(), kStart + kMinute);
  EXPECT_EQ(v.acks(0).note(), "sleep well");
  ASSERT_EQ(v.acked_by_size(), 1);
  EXPECT_EQ(v.acked_by(0), v.acks(0).name());
}

TEST(Views, AnAcknowledgementWithoutANoteHasAnEmptyOne) {
  Pact pact;
  const state::Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kStart);
  pact.Write(pact.bob, SpaceAckBody(ask.id), kStart + kMinute);
  const state::State s = pact.fold.View();
  const proto::SpaceView v = ViewBuilder(s, pact.alice, kStart).Space(s.space_requests[0]);
  ASSERT_EQ(v.acks_size(), 1);
  EXPECT_EQ(v.acks(0).note(), "");
}

TEST(EventSummary, DeclineAckAndRetireLinesCarryTheirNotes) {
  Pact pact;
  const state::Event v1 = pact.Write(pact.alice, ProposalBody("walks"), kStart);
  const state::Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kStart);
  const std::string agreement = ToHex(v1.id).substr(0, 8);
  const std::string request = ToHex(ask.id).substr(0, 8);
  const std::vector<state::Member>& members = pact.fold.View().members;

  proto::Event e =
      SummarizeEvent(pact.Write(pact.bob, DeclineBody(v1.id, v1.id, "too soon")), members);
  EXPECT_EQ(e.kind(), proto::ENTRY_KIND_DECLINE);
  EXPECT_EQ(e.summary(), "declined " + agreement + ": too soon");
  EXPECT_EQ(e.note(), "too soon");

  e = SummarizeEvent(pact.Write(pact.bob, SpaceAckBody(ask.id, "enjoy")), members);
  EXPECT_EQ(e.kind(), proto::ENTRY_KIND_SPACE_ACK);
  EXPECT_EQ(e.summary(), "acknowledged space " + request + ": enjoy");
  EXPECT_EQ(e.note(), "enjoy");

  e = SummarizeEvent(pact.Write(pact.bob, RetireBody(v1.id, "we moved")), members);
  EXPECT_EQ(e.summary(), "retired " + agreement + ": we moved");

  // Without a note the line is as it was.
  e = SummarizeEvent(pact.Write(pact.bob, DeclineBody(v1.id, v1.id)), members);
  EXPECT_EQ(e.summary(), "declined " + agreement);
  EXPECT_EQ(e.note(), "");
}

}  // namespace
}  // namespace accord::daemon
