// Carrying a joiner's solo log into the pact (state/solo_carry.h): what the plan keeps, how
// references are remapped, what it refuses; and a property over random prepared logs on both
// sides, folded as each device would hold the pact afterwards.
#include "daemon/state/solo_carry.h"

#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "daemon/log/author.h"
#include "daemon/state/digest.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/event_to_proto.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"
#include "tests/daemon/state/property_run.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int kCases = 500;                         // property cases that must really run
constexpr int64_t kAliceStart = 1'600'000'000'000;  // unix ms: when Alice starts alone
constexpr int64_t kBobStart = 1'600'000'500'000;    // unix ms: when Bob starts alone
constexpr int64_t kJoinAfter = 86'400'000;          // ms after the last solo entry: pairing

// A device's private chain key in a pact (any distinct key does for the fold).
log::DeviceKey ChainOf(const std::string& who) { return KeyFor(who + " private chain"); }

proto::Body ChainStartBody(const log::DeviceKey& device) {
  proto::Body b;
  b.mutable_private_chain_start()->set_device_key(AsString(device));
  b.mutable_private_chain_start()->set_binding(std::string(64, 'b'));  // checked at validation
  return b;
}

proto::Body ForgetBody(const log::EntryId& reflection) {
  proto::Body b;
  b.mutable_forget()->set_entry_id(AsString(reflection));
  return b;
}

// Writes the copies as the node would (a fresh feed in the pact, Lamport from 1, the header
// at `now_ms`), decoding each through EventFromBody as every device does.
class PactWriter {
 public:
  PactWriter(log::DeviceKey device, log::DeviceKey chain, int64_t now_ms)
      : device_(device), chain_(chain), now_ms_(now_ms) {}

  Result<log::EntryId> operator()(const UserKind& kind, int64_t original_time_ms) {
    proto::Body body = BodyFromKind(ToEventKind(kind));
    body.set_original_time_ms(original_time_ms);
    if (log::ScopeOf(body) == log::Scope::kPrivate && chain_seq_ == 0) {
      Result<log::EntryId> start = Write(chain_, ChainStartBody(device_));
      if (!start.ok()) return start;
    }
    return Write(log::ScopeOf(body) == log::Scope::kPrivate ? chain_ : device_, body);
  }

  std::vector<Event> written;  // the copies, in order (without the chain's start)
  std::vector<Event> all;      // everything written, the chain's start too

 private:
  Result<log::EntryId> Write(const log::DeviceKey& author, const proto::Body& body) {
    log::EntryHeader header;
    header.author = author;
    header.seq = author == chain_ ? ++chain_seq_ : ++device_seq_;
    header.lamport = all.size() + 1;
    header.time_ms = now_ms_;
    header.scope = log::ScopeOf(body);
    const log::EntryId id =
        crypto::Blake2b256(AsBytes("carried copy " + std::to_string(all.size())));
    Result<Event> event = EventFromBody(header, id, body);
    if (!event.ok()) return event.error();
    all.push_back(*event);
    if (!std::holds_alternative<PrivateChainStarted>(event->kind)) written.push_back(*event);
    return id;
  }

  log::DeviceKey device_, chain_;
  int64_t now_ms_;
  uint64_t device_seq_ = 0, chain_seq_ = 0;
};

CarryWriter WriterFor(PactWriter& w) {
  return [&w](const UserKind& kind, int64_t t) { return w(kind, t); };
}

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

// ---- The property: both partners prepared alone, then paired.

// One person's solo log driven by `choices`: every kind a member writes, references only to
// their own earlier entries, times strictly increasing from `start_ms`; private entries in
// the person's private chain (ChainOf(name)), which starts with its PrivateChainStart.
std::vector<Event> SoloLog(History& h, const log::DeviceKey& me, const std::string& name,
                           const std::vector<uint32_t>& choices, int64_t start_ms) {
  std::vector<Event> out;
  int64_t t = start_ms;
  out.push_back(h.Write(me, MemberCreatedBody(me, name), t));
  std::vector<std::vector<log::EntryId>> agreements;  // root first, then its counters
  std::vector<log::EntryId> requests;
  std::vector<log::EntryId> reflections;
  const log::DeviceKey chain = ChainOf(name);
  bool chain_started = false;
  for (size_t i = 0; i < choices.size(); ++i) {
    const uint32_t c = choices[i];
    const uint32_t arg = c >> 4;
    t += 1 + static_cast<int64_t>(arg % 100'000);
    const std::string text = name + " " + std::to_string(i);
    auto pick = [&](size_t n) { return (arg / 7) % n; };
    proto::Body body;
    switch (c % 13) {
      case 0:
        body = NeedBody("I need " + text);
        break;
      case 1:
        body = BoundaryBody("boundary " + text, arg % 2 == 0);
        break;
      case 2:
        body = arg % 3 == 0 ? ScheduledProposalBody(text) : ProposalBody(text, arg % 5 * 86400);
        break;
      case 3:
      case 4: {  // a counter or a retire of an agreement written alone
        if (agreements.empty()) {
          body = ProposalBody(text);
          break;
        }
        const auto& versions = agreements[pick(agreements.size())];
        if (c % 13 == 3) {
          body = CounterBody(versions.front(), versions[arg % versions.size()], "counter " + text);
        } else {
          body = RetireBody(versions.front(), "retired " + text);
        }
        break;
      }
      case 5:
        body = CheckInBody(
            1 + arg % 5,
            agreements.empty() || arg % 2 == 0
                ? std::nullopt
                : std::optional<log::EntryId>(agreements[pick(agreements.size())].front()),
            "check-in " + text);
        break;
      case 6:
        body = SpaceRequestBody(1 + arg % 7200, "space " + text);
        break;
      case 7:
      case 8:
        if (requests.empty()) {
          body = SpaceRequestBody(60, "space " + text);
        } else if (c % 13 == 7) {
          body = SpaceAckBody(requests[pick(requests.size())], "ack " + text);
        } else {
          body = SpaceBackBody(requests[pick(requests.size())]);
        }
        break;
      case 9:
        body = AppreciationBody("thanks " + text);
        break;
      case 10:
        body = ReflectionBody("reflection " + text);
        break;
      case 11:  // forget one of one's reflections, now and then
        if (reflections.empty() || arg % 3 != 0) {
          body = ReflectionBody("reflection " + text);
        } else {
          body = ForgetBody(reflections[pick(reflections.size())]);
        }
        break;
      case 12: {  // an acceptance or decline of one's own version (the plan remaps them too)
        if (agreements.empty()) {
          body = NeedBody("I need " + text);
          break;
        }
        const auto& versions = agreements[pick(agreements.size())];
        const log::EntryId& v = versions[arg % versions.size()];
        body = arg % 2 == 0 ? AcceptBody(versions.front(), v)
                            : DeclineBody(versions.front(), v, "no " + text);
        break;
      }
    }
    const bool is_private = log::ScopeOf(body) == log::Scope::kPrivate;
    if (is_private && !chain_started) {
      out.push_back(h.Write(chain, ChainStartBody(me), t));
      chain_started = true;
    }
    const Event e = h.Write(is_private ? chain : me, body, t);
    if (std::holds_alternative<Reflected>(e.kind)) reflections.push_back(e.id);
    if (const auto* p = std::get_if<Proposed>(&e.kind)) {
      if (!p->agreement) {
        agreements.push_back({e.id});
      } else {
        for (auto& versions : agreements)
          if (versions.front() == *p->agreement) versions.push_back(e.id);
      }
    }
    if (std::holds_alternative<SpaceAsked>(e.kind)) requests.push_back(e.id);
    out.push_back(e);
  }
  return out;
}

State FoldAll(const std::vector<const std::vector<Event>*>& parts) {
  Fold fold;
  for (const auto* part : parts)
    for (const Event& e : *part) fold.Apply(e);
  return fold.View();
}

// Every shared item of `s`, as lines that leave out what pairing changes on purpose (who has
// accepted what, so status and activity; LWW order), with ids named through `ids` (solo id
// -> id of its copy; others as they are). Reflections apart.
struct Described {
  std::vector<std::string> shared;
  std::vector<std::string> reflections;
};

Described Describe(const State& s, const std::map<log::EntryId, log::EntryId>& ids) {
  auto id = [&](const log::EntryId& e) {
    auto it = ids.find(e);
    return ToHex(it == ids.end() ? e : it->second).substr(0, 16);
  };
  auto opt = [&](const std::optional<log::EntryId>& e) { return e ? id(*e) : std::string("-"); };
  auto by = [&](const Authored& a) {
    return id(a.id) + "|" + ToHex(a.member).substr(0, 8) + "|" + std::to_string(a.time_ms);
  };
  Described out;
  for (const Need& n : s.needs) out.shared.push_back("need|" + by(n.by) + "|" + n.text);
  for (const Boundary& b : s.boundaries)
    out.shared.push_back("boundary|" + by(b.by) + "|" + b.text + "|" +
                         std::to_string(b.during_space));
  for (const Agreement& a : s.agreements) {
    out.shared.push_back("agreement|" + id(a.id));
    for (const Version& v : a.versions) {
      out.shared.push_back("version|" + id(a.id) + "|" + by(v.by) + "|" + opt(v.parent) + "|" +
                           v.text + "|" + (v.schedule ? v.schedule->spec : "-") + "|" +
                           std::to_string(v.review_every_ms) + "|" + std::to_string(v.countered));
      for (const Stance& st : v.stances)
        out.shared.push_back("stance|" + id(v.by.id) + "|" + by(st.by) + "|" +
                             std::to_string(static_cast<int>(st.kind)) + "|" + st.note);
    }
    for (const Retirement& r : a.retirements)
      out.shared.push_back("retired|" + id(a.id) + "|" + by(r.by) + "|" + r.note);
    for (const log::EntryId& c : a.check_ins)
      out.shared.push_back("agreement check-in|" + id(a.id) + "|" + id(c));
  }
  for (const CheckIn& c : s.check_ins)
    out.shared.push_back("check-in|" + by(c.by) + "|" + std::to_string(c.feeling) + "|" + c.note +
                         "|" + opt(c.agreement));
  for (const SpaceRequest& r : s.space_requests) {
    out.shared.push_back("space|" + by(r.by) + "|" + std::to_string(r.start_ms) + "|" +
                         std::to_string(r.duration_ms) + "|" + std::to_string(r.end_ms) + "|" +
                         opt(r.ended_by) + "|" + r.message);
    for (const SpaceAck& a : r.acks)
      out.shared.push_back("ack|" + id(r.by.id) + "|" + by(a.by) + "|" + a.note);
  }
  for (const Appreciation& a : s.appreciations)
    out.shared.push_back("appreciation|" + by(a.by) + "|" + a.text);
  for (const Reflection& r : s.reflections)
    out.reflections.push_back("reflection|" + ToHex(r.by.member).substr(0, 8) + "|" +
                              std::to_string(r.by.time_ms) + "|" + r.text);
  std::sort(out.shared.begin(), out.shared.end());
  std::sort(out.reflections.begin(), out.reflections.end());
  return out;
}

std::vector<std::string> Union(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

std::vector<Event> Without(const std::vector<Event>& events, log::Scope scope) {
  std::vector<Event> out;
  for (const Event& e : events)
    if (e.scope != scope) out.push_back(e);
  return out;
}

TEST(SoloCarryProperty, BothPreparedLogsArePairedWithNothingLostOrDoubledAndReflectionsApart) {
  const auto result = RunProperty(
      [] {
        const auto alice_choices =
            *rc::gen::container<std::vector<uint32_t>>(rc::gen::arbitrary<uint32_t>());
        const auto bob_choices =
            *rc::gen::container<std::vector<uint32_t>>(rc::gen::arbitrary<uint32_t>());
        History h;
        const log::DeviceKey alice = KeyFor("alice");
        const log::DeviceKey bob = KeyFor("bob");
        const std::vector<Event> alice_solo =
            SoloLog(h, alice, "Alice", alice_choices, kAliceStart);
        const std::vector<Event> bob_solo = SoloLog(h, bob, "Bob", bob_choices, kBobStart);
        const int64_t join_ms =
            std::max(alice_solo.back().time_ms, bob_solo.back().time_ms) + kJoinAfter;

        // Alice invites: her log becomes the pact, and she lets Bob in.
        const std::vector<Event> added = {h.Write(alice, MemberAddedBody(bob, "Bob"), join_ms)};
        // Bob joins: his solo log is carried.
        Result<CarryPlan> plan = PlanCarry(bob_solo, bob, ChainOf("Bob"));
        RC_ASSERT(plan.ok());
        // All but his MemberCreated, his chain's start, his Forgets and what they erased.
        size_t expected_steps = 0;
        std::map<log::EntryId, const Event*> solo_by_id;
        std::set<log::EntryId> forgotten;
        for (const Event& e : bob_solo) {
          solo_by_id[e.id] = &e;
          if (const auto* f = std::get_if<Forgot>(&e.kind)) forgotten.insert(f->entry);
        }
        for (const Event& e : bob_solo) {
          if (std::holds_alternative<MemberCreated>(e.kind) ||
              std::holds_alternative<PrivateChainStarted>(e.kind) ||
              std::holds_alternative<Forgot>(e.kind) || forgotten.count(e.id) != 0) {
            continue;
          }
          ++expected_steps;
        }
        RC_ASSERT(plan->steps.size() == expected_steps);
        RC_ASSERT(plan->forgotten == forgotten.size());
        PactWriter writer(bob, ChainOf("bob in the pact"), join_ms);
        auto new_ids = CarryOut(*plan, WriterFor(writer));
        RC_ASSERT(new_ids.ok());
        const std::vector<Event>& carried = writer.written;
        const std::vector<Event>& bob_in_pact = writer.all;
        RC_ASSERT(carried.size() == plan->shared + plan->reflections);
        for (size_t i = 0; i < carried.size(); ++i) {
          const Event& solo = *solo_by_id.at(plan->steps[i].solo_id);
          RC_ASSERT(carried[i].original_time_ms == solo.time_ms);
          RC_ASSERT(carried[i].scope == solo.scope);
          if (i > 0) RC_ASSERT(solo.lamport > solo_by_id.at(plan->steps[i - 1].solo_id)->lamport);
        }

        // What each device holds: its own reflections, only the other's shared entries.
        const std::vector<Event> alice_shared = Without(alice_solo, log::Scope::kPrivate);
        const std::vector<Event> bob_shared = Without(bob_in_pact, log::Scope::kPrivate);
        const State on_alices = FoldAll({&alice_solo, &added, &bob_shared});
        const State on_bobs = FoldAll({&alice_shared, &added, &bob_in_pact});
        RC_ASSERT(StateDigest(on_alices) == StateDigest(on_bobs));

        const Described alice_alone = Describe(FoldAll({&alice_solo}), {});
        RC_CLASSIFY(plan->forgotten > 0, "bob forgot a reflection alone");
        const Described bob_alone = Describe(FoldAll({&bob_solo}), *new_ids);
        const std::vector<std::string> expected = Union(alice_alone.shared, bob_alone.shared);
        const Described alices = Describe(on_alices, {});
        const Described bobs = Describe(on_bobs, {});
        RC_ASSERT(alices.shared == expected);
        RC_ASSERT(bobs.shared == expected);
        RC_ASSERT(alices.reflections == alice_alone.reflections);
        RC_ASSERT(bobs.reflections == bob_alone.reflections);

        RC_CLASSIFY(plan->reflections > 0, "bob has reflections");
        RC_CLASSIFY(std::any_of(carried.begin(), carried.end(),
                                [](const Event& e) {
                                  const auto* p = std::get_if<Proposed>(&e.kind);
                                  return p != nullptr && p->agreement.has_value();
                                }),
                    "bob countered alone");
        RC_CLASSIFY(
            std::any_of(carried.begin(), carried.end(),
                        [](const Event& e) { return std::holds_alternative<SpaceEnded>(e.kind); }),
            "bob came back from space alone");
      },
      "solo_carry", "two prepared logs paired", kCases);
  ASSERT_TRUE(result.has_value());
}

}  // namespace
}  // namespace accord::state
