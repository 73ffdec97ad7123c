// Property: the folded state is a function of the set of entries (SPEC §3, STYLE Tests).
// Random histories of 2-4 members with realistic Lamport clocks (history_sim.h); any order,
// any duplication, incremental or fresh, freeze first or last: the same state and digest (the
// version 3 digest against a recomputation of its own), and the live part does not change
// while its generation stands still.
#include <rapidcheck.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/hash.h"
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

Hash32 DigestOfAll(const std::vector<Event>& events) {
  Fold fold;
  for (const Event& e : events) fold.Apply(e);
  return fold.Digest();
}

// The version 3 digest recomputed from scratch, as docs/state-digest.md defines it, with
// arithmetic of its own (64-bit limbs) rather than EntrySetDigest's.
class FullDigest {
 public:
  FullDigest(const std::vector<Event>& held, const std::map<log::DeviceKey, uint64_t>& frozen) {
    std::set<log::EntryId> seen;
    for (const Event& e : held) {
      if (e.scope == log::Scope::kPrivate || !seen.insert(e.id).second) continue;
      auto f = frozen.find(e.author);
      if (f != frozen.end() && e.seq >= f->second) continue;
      Add("accord/state-digest/v3/entry", e.id, {});
    }
    for (const auto& [author, seq] : frozen) Add("accord/state-digest/v3/freeze", author, seq);
  }
  Hash32 Final() const {
    Bytes in = Domain("accord/state-digest/v3");
    for (uint64_t limb : limbs_) {
      for (int b = 0; b < 8; ++b) in.push_back(static_cast<uint8_t>(limb >> (8 * b)));
    }
    AppendU64Be(in, count_);
    return crypto::Blake2b256(in);
  }

 private:
  static Bytes Domain(std::string_view name) {
    Bytes out;
    AppendLengthPrefixed(out, AsBytes(name));
    return out;
  }
  void Add(std::string_view domain, const FixedBytes<32>& key, std::optional<uint64_t> seq) {
    Bytes in = Domain(domain);
    AppendBytes(in, key);
    if (seq) AppendU64Be(in, *seq);
    const Hash32 h = crypto::Blake2b256(in);
    unsigned __int128 carry = 0;
    for (size_t l = 0; l < limbs_.size(); ++l) {
      uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= uint64_t{h[8 * l + b]} << (8 * b);
      const unsigned __int128 t = static_cast<unsigned __int128>(limbs_[l]) + v + carry;
      limbs_[l] = static_cast<uint64_t>(t);
      carry = t >> 64;
    }
    ++count_;
  }

  std::array<uint64_t, 4> limbs_{};
  uint64_t count_ = 0;
};

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
  const Hash32 set_digest = FullDigest(events, {}).Final();
  for (int i = 0; i < kShuffles; ++i) {
    const std::vector<Event> order = ShuffledWithDuplicates(events, rng);
    const State state = FoldAll(order);
    RC_ASSERT(StateDigest(state) == digest);
    RC_ASSERT(state == expected);
    RC_ASSERT(DigestOfAll(order) == set_digest);
  }
}

// Applying one at a time, viewing at random points, matches a fresh fold of each prefix.
void CheckIncremental(const std::vector<Event>& events, const State& expected,
                      std::mt19937_64& rng) {
  std::vector<Event> order = events;
  std::shuffle(order.begin(), order.end(), rng);
  Fold incremental;
  std::bernoulli_distribution look(0.1);
  Live live = incremental.LiveView();
  uint64_t live_generation = incremental.live_generation();
  for (size_t i = 0; i < order.size(); ++i) {
    incremental.Apply(order[i]);
    // The daemon keeps LiveView() until live_generation() moves: it must not change before.
    const Live now_live = incremental.LiveView();
    if (incremental.live_generation() == live_generation) RC_ASSERT(now_live == live);
    live = now_live;
    live_generation = incremental.live_generation();
    if (!look(rng)) continue;
    const State now = incremental.View();
    const std::vector<Event> prefix(order.begin(), order.begin() + i + 1);
    const State fresh = FoldAll(prefix);
    RC_ASSERT(StateDigest(now) == StateDigest(fresh));
    RC_ASSERT(now == fresh);
    RC_ASSERT(static_cast<const Live&>(now) == now_live);
    RC_ASSERT(incremental.Digest() == FullDigest(prefix, {}).Final());
  }
  RC_ASSERT(StateDigest(incremental.View()) == StateDigest(expected));
  RC_ASSERT(incremental.Digest() == FullDigest(events, {}).Final());
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
  const Hash32 digest = FullDigest(events, {{victim.author, from_seq}}).Final();
  RC_ASSERT(first.Digest() == digest);
  RC_ASSERT(last.Digest() == digest);
  RC_ASSERT(never.Digest() == digest);
  // A second, lower freeze of the same feed replaces the first in the digest too.
  if (from_seq > 1) {
    last.Freeze(victim.author, from_seq - 1);
    RC_ASSERT(last.Digest() == FullDigest(events, {{victim.author, from_seq - 1}}).Final());
  }
}

void CheckReflectionsStayOutOfTheDigest(const std::vector<Event>& events, const State& expected) {
  std::vector<Event> shared;
  for (const Event& e : events) {
    if (!std::holds_alternative<Reflected>(e.kind)) shared.push_back(e);
  }
  RC_ASSERT(StateDigest(FoldAll(shared)) == StateDigest(expected));
  RC_ASSERT(DigestOfAll(shared) == DigestOfAll(events));
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
