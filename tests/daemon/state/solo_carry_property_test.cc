// Pairing two prepared logs, as a property (state/solo_carry.h): random solo logs on both
// sides, carried and folded as each device holds the pact afterwards.
#include <rapidcheck.h>

#include "tests/daemon/state/property_run.h"
#include "tests/daemon/state/solo_carry_fixture.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int kCarryCases = 500;  // property cases that must really run

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
      "solo_carry", "two prepared logs paired", kCarryCases);
  ASSERT_TRUE(result.has_value());
}

}  // namespace
}  // namespace accord::state
