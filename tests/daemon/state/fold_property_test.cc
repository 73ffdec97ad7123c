// Property: the folded state is a function of the set of entries (SPEC §3, STYLE Tests).
// Random histories of 2-4 members with realistic Lamport clocks (history_sim.h); any order,
// any duplication, incremental or fresh, freeze first or last: the same state and digest.
#include <rapidcheck.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/state/digest.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history_sim.h"
#include "tests/daemon/state/property_run.h"

namespace accord::state {
namespace {

constexpr int kFoldCases = 1000;      // property cases that must really run
constexpr int kShuffles = 4;          // orders tried per case
constexpr int kMaxFoldActions = 200;  // actions per generated history

State FoldAll(const std::vector<Event>& events) {
  Fold fold;
  for (const Event& e : events) fold.Apply(e);
  return fold.View();
}

std::vector<Event> ShuffledWithDuplicates(const std::vector<Event>& events, std::mt19937_64& rng) {
  std::vector<Event> out = events;
  std::uniform_int_distribution<size_t> pick(0, events.size() - 1);
  const size_t dups = events.size() / 4;
  for (size_t i = 0; i < dups; ++i) out.push_back(events[pick(rng)]);
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

void CheckOrderAndDuplication(const std::vector<Event>& events, const State& expected,
                              std::mt19937_64& rng) {
  const Hash32 digest = StateDigest(expected);
  for (int i = 0; i < kShuffles; ++i) {
    const State state = FoldAll(ShuffledWithDuplicates(events, rng));
    RC_ASSERT(StateDigest(state) == digest);
    RC_ASSERT(state == expected);
  }
}

// Applying one at a time, viewing at random points, matches a fresh fold of each prefix.
void CheckIncremental(const std::vector<Event>& events, const State& expected,
                      std::mt19937_64& rng) {
  std::vector<Event> order = events;
  std::shuffle(order.begin(), order.end(), rng);
  Fold incremental;
  std::bernoulli_distribution look(0.1);
  for (size_t i = 0; i < order.size(); ++i) {
    incremental.Apply(order[i]);
    if (!look(rng)) continue;
    const State now = incremental.View();
    const State fresh = FoldAll(std::vector<Event>(order.begin(), order.begin() + i + 1));
    RC_ASSERT(StateDigest(now) == StateDigest(fresh));
    RC_ASSERT(now == fresh);
  }
  RC_ASSERT(StateDigest(incremental.View()) == StateDigest(expected));
}

// Freezing before, after, or leaving the excluded entries out altogether: one state.
void CheckFreeze(const std::vector<Event>& events, std::mt19937_64& rng) {
  const Event& victim = events[std::uniform_int_distribution<size_t>(0, events.size() - 1)(rng)];
  const uint64_t from_seq = std::uniform_int_distribution<uint64_t>(1, victim.seq)(rng);
  std::vector<Event> order = events;
  std::shuffle(order.begin(), order.end(), rng);
  Fold first;
  first.Freeze(victim.author, from_seq);
  Fold last;
  Fold never;
  never.Freeze(victim.author, from_seq);
  for (const Event& e : order) {
    first.Apply(e);
    last.Apply(e);
    if (e.author != victim.author || e.seq < from_seq) never.Apply(e);
  }
  last.Freeze(victim.author, from_seq);
  const State state = last.View();
  RC_ASSERT(StateDigest(first.View()) == StateDigest(state));
  RC_ASSERT(first.View() == state);
  RC_ASSERT(never.View() == state);
}

void CheckReflectionsStayOutOfTheDigest(const std::vector<Event>& events, const State& expected) {
  std::vector<Event> shared;
  for (const Event& e : events) {
    if (!std::holds_alternative<Reflected>(e.kind)) shared.push_back(e);
  }
  RC_ASSERT(StateDigest(FoldAll(shared)) == StateDigest(expected));
}

void Classify(const State& state) {
  bool active = false;
  bool concurrent = false;
  for (const Agreement& a : state.agreements) {
    active = active || a.latest_active.has_value();
    concurrent = concurrent || a.pending.size() >= 2;
  }
  RC_CLASSIFY(active, "active agreement");
  RC_CLASSIFY(concurrent, "concurrent pending versions");
}

void FoldIsAFunctionOfTheSet() {
  // inRange draws from all 32 bits at any size (arbitrary<> keeps small sizes' values tiny).
  const auto actions =
      *rc::gen::scale(2.0, rc::gen::container<std::vector<uint32_t>>(rc::gen::inRange<uint32_t>(
                               0, std::numeric_limits<uint32_t>::max())));
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const auto history = testing::SimulateHistory(std::vector<uint32_t>(
      actions.begin(), actions.begin() + std::min<size_t>(actions.size(), kMaxFoldActions)));
  std::mt19937_64 rng(seed);
  const State expected = FoldAll(history);
  Classify(expected);
  CheckOrderAndDuplication(history, expected, rng);
  CheckIncremental(history, expected, rng);
  CheckFreeze(history, rng);
  CheckReflectionsStayOutOfTheDigest(history, expected);
}

TEST(FoldProperty, AnyOrderAnyDuplicationIncrementalOrFrozenGivesOneState) {
  const std::optional<rc::detail::SuccessResult> success =
      RunProperty(&FoldIsAFunctionOfTheSet, "FoldProperty/AnyOrder",
                  "fold is a function of the set of entries", kFoldCases);
  if (!success) return;
  // The generator must reach the interesting states, or the property proves little.
  int active = 0;
  int concurrent = 0;
  for (const auto& [tags, count] : success->distribution) {
    for (const std::string& tag : tags) {  // rapidcheck quotes string tags
      if (tag.find("active agreement") != std::string::npos) active += count;
      if (tag.find("concurrent pending versions") != std::string::npos) concurrent += count;
    }
  }
  EXPECT_GE(active, kFoldCases / 4) << "too few histories with an active agreement";
  EXPECT_GE(concurrent, kFoldCases / 20) << "too few histories with concurrent counters";
}

}  // namespace
}  // namespace accord::state
