// What a member may write, given the folded state (daemon/state/rules.h): the version a
// command acts on and every refusal, with the code and the words the member sees.
#include "daemon/state/rules.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int64_t kRulesStart = 1'700'000'000'000;  // ms
constexpr int64_t kRulesMinute = 60'000;            // ms

std::string Short(const log::EntryId& id) { return ToHex(id).substr(0, 8); }

const Agreement& AgreementIn(const State& state, const log::EntryId& id) {
  const Agreement* a = state.FindAgreement(id);
  EXPECT_NE(a, nullptr);
  return *a;
}

const Version& VersionOf(const Agreement& a, const log::EntryId& id) {
  for (const Version& v : a.versions)
    if (v.by.id == id) return v;
  ADD_FAILURE() << "no such version";
  return a.versions.front();
}

TEST(TargetVersion, IsTheNamedVersionWhenOneIsNamed) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const Event v2 = pact.Write(pact.bob, CounterBody(v1.id, v1.id, "long walks"));
  const State state = pact.fold.View();
  Result<const Version*> target = TargetVersion(AgreementIn(state, v1.id), v1.id, false);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ((*target)->by.id, v1.id);
  EXPECT_NE((*target)->by.id, v2.id);
}

TEST(TargetVersion, IsTheSinglePendingVersionWhenNoneIsNamed) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const Event v2 = pact.Write(pact.bob, CounterBody(v1.id, v1.id, "long walks"));
  const State state = pact.fold.View();
  Result<const Version*> target = TargetVersion(AgreementIn(state, v1.id), std::nullopt, false);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ((*target)->by.id, v2.id);
}

TEST(TargetVersion, IsAmbiguousWithTwoPendingVersionsAndListsThem) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("one evening"));
  const Event accept = pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const Event a = pact.history.WriteAt(pact.alice, accept.lamport + 1,
                                       CounterBody(v1.id, v1.id, "two evenings"));
  const Event b = pact.history.WriteAt(pact.bob, accept.lamport + 1,
                                       CounterBody(v1.id, v1.id, "three evenings"));
  pact.fold.Apply(a);
  pact.fold.Apply(b);
  const State state = pact.fold.View();
  Result<const Version*> target = TargetVersion(AgreementIn(state, v1.id), std::nullopt, true);
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.code(), ErrorCode::kAmbiguous);
  const std::string& message = target.error().message;
  EXPECT_NE(message.find("agreement " + Short(v1.id) + " has several pending versions; name one:"),
            std::string::npos);
  EXPECT_NE(message.find(ToHex(a.id).substr(0, 12)), std::string::npos);
  EXPECT_NE(message.find(ToHex(b.id).substr(0, 12)), std::string::npos);
}

TEST(TargetVersion, IsTheActiveVersionOnlyWhenAllowed) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const State state = pact.fold.View();
  Result<const Version*> allowed = TargetVersion(AgreementIn(state, v1.id), std::nullopt, true);
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ((*allowed)->by.id, v1.id);

  Result<const Version*> refused = TargetVersion(AgreementIn(state, v1.id), std::nullopt, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kRefused);
  EXPECT_EQ(refused.error().message,
            "agreement " + Short(v1.id) + " has no pending version; it is already active");
}

TEST(CheckNotRetired, RefusesARetiredAgreement) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  EXPECT_TRUE(CheckNotRetired(AgreementIn(pact.fold.View(), v1.id)).ok());
  pact.Write(pact.bob, RetireBody(v1.id));
  const Status s = CheckNotRetired(AgreementIn(pact.fold.View(), v1.id));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRefused);
  EXPECT_EQ(s.error().message,
            "agreement " + Short(v1.id) + " is retired; propose a new one instead");
}

TEST(CounterTarget, RefusesARetiredAgreementBeforeLookingForAVersion) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, RetireBody(v1.id));
  Result<const Version*> target = CounterTarget(AgreementIn(pact.fold.View(), v1.id), std::nullopt);
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.code(), ErrorCode::kRefused);
  EXPECT_NE(target.error().message.find("is retired"), std::string::npos);
}

TEST(CounterTarget, MayCounterTheActiveVersion) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const State state = pact.fold.View();
  Result<const Version*> target = CounterTarget(AgreementIn(state, v1.id), std::nullopt);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ((*target)->by.id, v1.id);
}

TEST(CounterTo, CarriesUnsaidTermsOverFromTheParent) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ScheduledProposalBody("evenings"));
  const State state = pact.fold.View();
  const Agreement& a = AgreementIn(state, v1.id);
  const Version& parent = VersionOf(a, v1.id);
  ASSERT_TRUE(parent.schedule.has_value());

  const Proposed counter = CounterTo(a, parent, "later evenings", ProposalTerms{});
  EXPECT_EQ(counter.agreement, a.id);
  EXPECT_EQ(counter.parent, v1.id);
  EXPECT_EQ(counter.text, "later evenings");
  EXPECT_EQ(counter.schedule, parent.schedule);
  EXPECT_EQ(counter.review_every_ms, parent.review_every_ms);
}

TEST(CounterTo, KeepsTheTermsThatWereSaid) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ScheduledProposalBody("evenings"));
  const State state = pact.fold.View();
  const Agreement& a = AgreementIn(state, v1.id);
  Schedule other = *VersionOf(a, v1.id).schedule;
  other.start_minute = 20 * 60;
  const Proposed counter = CounterTo(a, VersionOf(a, v1.id), "later", {other, 7 * 86'400'000});
  EXPECT_EQ(counter.schedule, other);
  EXPECT_EQ(counter.review_every_ms, 7 * 86'400'000);
}

TEST(MayTakeStance, RefusesOnesOwnProposal) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const State state = pact.fold.View();
  const Status s = MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.alice, true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRefused);
  EXPECT_EQ(s.error().message,
            "you proposed version " + Short(v1.id) + "; it already counts as accepted by you");
  EXPECT_TRUE(MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.bob, true).ok());
}

TEST(MayTakeStance, RefusesAnActiveVersion) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const State state = pact.fold.View();
  const Version& v = VersionOf(AgreementIn(state, v1.id), v1.id);
  ASSERT_TRUE(v.active);
  const Status s = MayTakeStance(v, pact.bob, /*accept=*/false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRefused);
  EXPECT_EQ(s.error().message,
            "version " + Short(v1.id) + " is already active; to end it, use accord retire");
}

TEST(MayTakeStance, RefusesTheStanceOneAlreadyHoldsButAllowsChangingIt) {
  Pact pact;
  const log::DeviceKey carol = KeyFor("carol");
  pact.AddMember(pact.bob, carol, "Carol");
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  State state = pact.fold.View();
  const Status again = MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.bob, true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), ErrorCode::kRefused);
  EXPECT_EQ(again.error().message, "you already accepted version " + Short(v1.id));
  EXPECT_TRUE(MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.bob, false).ok());

  pact.Write(pact.bob, DeclineBody(v1.id, v1.id));
  state = pact.fold.View();
  const Status declined =
      MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.bob, false);
  ASSERT_FALSE(declined.ok());
  EXPECT_EQ(declined.error().message, "you already declined version " + Short(v1.id));
  EXPECT_TRUE(MayTakeStance(VersionOf(AgreementIn(state, v1.id), v1.id), pact.bob, true).ok());
}

TEST(MayAcknowledge, RefusesOnesOwnSpaceRequest) {
  Pact pact;
  pact.Write(pact.alice, SpaceRequestBody(3600), kRulesStart);
  const State state = pact.fold.View();
  const Status s = MayAcknowledge(state.space_requests[0], pact.alice);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRefused);
  EXPECT_EQ(s.error().message, "that is your own space request");
  EXPECT_TRUE(MayAcknowledge(state.space_requests[0], pact.bob).ok());
}

TEST(MayAcknowledge, RefusesASecondAcknowledgement) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(3600), kRulesStart);
  pact.Write(pact.bob, SpaceAckBody(ask.id), kRulesStart + kRulesMinute);
  const Status s = MayAcknowledge(pact.fold.View().space_requests[0], pact.bob);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kRefused);
  EXPECT_EQ(s.error().message, "you already acknowledged that request");
}

TEST(RequestToEnd, IsTheNewestOwnRequestInSpaceNow) {
  Pact pact;
  pact.Write(pact.alice, SpaceRequestBody(3600), kRulesStart);
  const Event newer = pact.Write(pact.alice, SpaceRequestBody(3600), kRulesStart + kRulesMinute);
  pact.Write(pact.bob, SpaceRequestBody(3600), kRulesStart + 2 * kRulesMinute);
  Result<log::EntryId> end =
      RequestToEnd(pact.fold.View(), pact.alice, kRulesStart + 3 * kRulesMinute);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(*end, newer.id);
}

TEST(RequestToEnd, RefusesWhenNotInSpace) {
  Pact pact;
  pact.Write(pact.bob, SpaceRequestBody(3600), kRulesStart);             // someone else's
  pact.Write(pact.alice, SpaceRequestBody(60), kRulesStart - 3600'000);  // over
  Result<log::EntryId> end = RequestToEnd(pact.fold.View(), pact.alice, kRulesStart + kRulesMinute);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.code(), ErrorCode::kRefused);
  EXPECT_EQ(end.error().message, "you are not in a space time now");
}

}  // namespace
}  // namespace accord::state
