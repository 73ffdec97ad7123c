// Carrying a joiner's solo log into the pact (state/solo_carry.h): what the plan keeps, how
// references are remapped, what it refuses, and carrying it out.
#include "tests/daemon/state/solo_carry_fixture.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

// ---- The plan.

TEST(PlanCarry, KeepsEverythingButTheGenesesInTheOrderWrittenWithTheirTimes) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  std::vector<Event> solo;
  solo.push_back(h.Write(bob, MemberCreatedBody(bob, "Bob"), 100));
  solo.push_back(h.Write(bob, NeedBody("quiet mornings"), 200));
  solo.push_back(h.Write(ChainOf("bob"), ChainStartBody(bob), 300));
  solo.push_back(h.Write(ChainOf("bob"), ReflectionBody("I was tired"), 300));
  solo.push_back(h.Write(bob, BoundaryBody("no phones", true), 400));
  std::reverse(solo.begin(), solo.end());  // any order in; the order written out

  Result<CarryPlan> plan = PlanCarry(solo, bob, ChainOf("bob"));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 3u);
  EXPECT_EQ(plan->shared, 2u);
  EXPECT_EQ(plan->reflections, 1u);
  EXPECT_EQ(std::get<NeedAdded>(plan->steps[0].kind).text, "quiet mornings");
  EXPECT_EQ(plan->steps[0].original_time_ms, 200);
  EXPECT_EQ(plan->steps[0].solo_id, solo[3].id);
  EXPECT_EQ(std::get<Reflected>(plan->steps[1].kind).text, "I was tired");
  EXPECT_EQ(plan->steps[1].original_time_ms, 300);
  EXPECT_TRUE(std::get<BoundaryAdded>(plan->steps[2].kind).during_space);
  EXPECT_EQ(plan->steps[2].original_time_ms, 400);
}

TEST(PlanCarry, AnEntryCarriedBeforeKeepsItsOwnOriginalTime) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  proto::Body carried = NeedBody("from an even older log");
  carried.set_original_time_ms(50);
  const Event e = h.Write(bob, carried, 900);
  Result<CarryPlan> plan = PlanCarry(std::vector<Event>{e}, bob, ChainOf("bob"));
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u);
  EXPECT_EQ(plan->steps[0].original_time_ms, 50);
}

TEST(PlanCarry, AnEmptySoloLogCarriesNothing) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  Result<CarryPlan> plan =
      PlanCarry(std::vector<Event>{h.Write(bob, MemberCreatedBody(bob, "B"))}, bob, ChainOf("bob"));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->steps.empty());
  EXPECT_EQ(plan->shared + plan->reflections, 0u);
}

TEST(PlanCarry, AReflectionForgottenAloneStaysForgotten) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  const log::DeviceKey chain = ChainOf("bob");
  std::vector<Event> solo;
  solo.push_back(h.Write(chain, ChainStartBody(bob)));
  const Event kept = h.Write(chain, ReflectionBody("kept"));
  const Event gone = h.Write(chain, ReflectionBody("regretted"));
  solo.insert(solo.end(), {kept, gone, h.Write(chain, ForgetBody(gone.id))});
  Result<CarryPlan> plan = PlanCarry(solo, bob, chain);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u);
  EXPECT_EQ(plan->steps[0].solo_id, kept.id);
  EXPECT_EQ(plan->reflections, 1u);
  EXPECT_EQ(plan->forgotten, 1u);
}

TEST(PlanCarry, RefusesALogHoldingAnotherDevicesEntries) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  const log::DeviceKey alice = KeyFor("alice");
  std::vector<Event> log = {h.Write(bob, MemberCreatedBody(bob, "Bob")),
                            h.Write(alice, NeedBody("alice's"))};
  Result<CarryPlan> plan = PlanCarry(log, bob, ChainOf("bob"));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.code(), ErrorCode::kRefused);
  EXPECT_NE(plan.error().message.find("accord invite"), std::string::npos);
}

TEST(PlanCarry, RefusesALogThatAlreadyLetSomeoneIn) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  std::vector<Event> log = {h.Write(bob, MemberCreatedBody(bob, "Bob")),
                            h.Write(bob, MemberAddedBody(KeyFor("carol"), "Carol"))};
  Result<CarryPlan> plan = PlanCarry(log, bob, ChainOf("bob"));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.code(), ErrorCode::kRefused);
  EXPECT_NE(plan.error().message.find(ToHex(log[1].id).substr(0, 8)), std::string::npos);
}

// ---- Remapping.

TEST(RemapReferences, ReplacesEveryReferenceThatNamesASoloEntry) {
  const log::EntryId old_a = KeyFor("old agreement"), new_a = KeyFor("new agreement");
  const log::EntryId old_v = KeyFor("old version"), new_v = KeyFor("new version");
  const log::EntryId other = KeyFor("not a solo entry");
  const std::map<log::EntryId, log::EntryId> ids = {{old_a, new_a}, {old_v, new_v}};

  auto counter = std::get<Proposed>(RemapReferences(Proposed{old_a, old_v, "t", {}, 0}, ids));
  EXPECT_EQ(counter.agreement, new_a);
  EXPECT_EQ(counter.parent, new_v);
  auto fresh = std::get<Proposed>(RemapReferences(Proposed{{}, {}, "t", {}, 0}, ids));
  EXPECT_FALSE(fresh.agreement.has_value());
  auto accepted = std::get<Accepted>(RemapReferences(Accepted{old_a, old_v}, ids));
  EXPECT_EQ(accepted, (Accepted{new_a, new_v}));
  auto declined = std::get<Declined>(RemapReferences(Declined{old_a, old_v, "n"}, ids));
  EXPECT_EQ(declined, (Declined{new_a, new_v, "n"}));
  EXPECT_EQ(std::get<Retired>(RemapReferences(Retired{old_a, "n"}, ids)).agreement, new_a);
  EXPECT_EQ(std::get<CheckedIn>(RemapReferences(CheckedIn{3, "", old_a}, ids)).agreement, new_a);
  EXPECT_FALSE(std::get<CheckedIn>(RemapReferences(CheckedIn{3, "", std::nullopt}, ids)).agreement);
  EXPECT_EQ(std::get<SpaceAcked>(RemapReferences(SpaceAcked{old_v, "ok"}, ids)).request, new_v);
  EXPECT_EQ(std::get<SpaceEnded>(RemapReferences(SpaceEnded{old_v}, ids)).request, new_v);
  // Anything else is carried as it is.
  EXPECT_EQ(std::get<Retired>(RemapReferences(Retired{other, ""}, ids)).agreement, other);
}

// ---- Carrying out.

TEST(CarryOut, ACounterAndARetireWrittenAloneNameTheCopyOfTheirAgreement) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  std::vector<Event> solo;
  solo.push_back(h.Write(bob, MemberCreatedBody(bob, "Bob"), 10));
  const Event v1 = h.Write(bob, ProposalBody("walks"), 20);
  const Event v2 = h.Write(bob, CounterBody(v1.id, v1.id, "long walks"), 30);
  const Event retire = h.Write(bob, RetireBody(v1.id, "not now"), 40);
  const Event check = h.Write(bob, CheckInBody(4, v1.id, "good"), 50);
  solo.insert(solo.end(), {v1, v2, retire, check});
  Result<CarryPlan> plan = PlanCarry(solo, bob, ChainOf("bob"));
  ASSERT_TRUE(plan.ok());

  PactWriter writer(bob, ChainOf("bob in the pact"), 1000);
  auto ids = CarryOut(*plan, WriterFor(writer));
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(writer.written.size(), 4u);
  const log::EntryId new_v1 = ids->at(v1.id);
  const log::EntryId new_v2 = ids->at(v2.id);
  EXPECT_EQ(writer.written[0].id, new_v1);
  EXPECT_EQ(writer.written[0].time_ms, 20);
  const auto& counter = std::get<Proposed>(writer.written[1].kind);
  EXPECT_EQ(counter.agreement, new_v1);
  EXPECT_EQ(counter.parent, new_v1);
  EXPECT_EQ(writer.written[1].id, new_v2);
  EXPECT_EQ(std::get<Retired>(writer.written[2].kind).agreement, new_v1);
  EXPECT_EQ(std::get<CheckedIn>(writer.written[3].kind).agreement, new_v1);
  EXPECT_EQ(writer.written[3].time_ms, 50);

  // Folded in a pact, the agreement has both versions and is retired.
  Pact pact;
  for (const Event& e : writer.written) pact.fold.Apply(e);
  const State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(new_v1);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->versions.size(), 2u);
  EXPECT_EQ(a->status, AgreementStatus::kRetired);
  EXPECT_EQ(a->check_ins.size(), 1u);
}

TEST(CarryOut, StopsAtTheFirstFailedWriteAndSaysWhich) {
  History h;
  const log::DeviceKey bob = KeyFor("bob");
  std::vector<Event> solo = {h.Write(bob, NeedBody("one")), h.Write(bob, NeedBody("two")),
                             h.Write(bob, NeedBody("three"))};
  Result<CarryPlan> plan = PlanCarry(solo, bob, ChainOf("bob"));
  ASSERT_TRUE(plan.ok());
  int calls = 0;
  auto ids = CarryOut(*plan, [&](const UserKind&, int64_t) -> Result<log::EntryId> {
    if (++calls == 2) return MakeError(ErrorCode::kIo, "disk full");
    return KeyFor("copy " + std::to_string(calls));
  });
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.code(), ErrorCode::kIo);
  EXPECT_EQ(calls, 2);
  EXPECT_NE(ids.error().message.find(ToHex(solo[1].id).substr(0, 8)), std::string::npos);
  EXPECT_NE(ids.error().message.find("disk full"), std::string::npos);
}

}  // namespace
}  // namespace accord::state
