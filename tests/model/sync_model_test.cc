// The sync session, model-checked (docs/model-check.md): every schedule of delivery, slow
// stores, writes and connections between three devices within the bound, with its faults
// (drop, restart, loss, duplicate, tamper), keeps every acknowledged entry, stores nothing
// twice and nothing invalid, leaves no idle session owing anything, and converges in every
// run that ends. Longer runs take the bound from ACCORD_MODEL_* (FromEnvironment).
#include <cstdlib>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

#include "tests/model/explorer.h"

namespace accord::model {
namespace {

// The CI bounds. Whole runs: each device holds two own entries, one fault and one slow
// store per run anywhere, connections preempted only where one goes quiet (~72,000 states).
// Live writes: one held and one written during the run each, the same preemption bound, the
// first kCiWriteDepth events in every order with any fault or slow store among them, then
// from each state at that depth the fair continuation (~54,000 states).
constexpr int kCiHeld = 2;
constexpr int kCiFaults = 1;
constexpr int kCiDelays = 1;
constexpr int kCiPreemptions = 0;
constexpr int kCiWriteDepth = 14;  // events

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long parsed = std::strtol(v, &end, 10);
  if (*end != '\0' || parsed < -1 || parsed > 1000) {
    ADD_FAILURE() << name << "=" << v << " is not a number from -1 to 1000";
    return fallback;
  }
  return static_cast<int>(parsed);
}

// The bound with ACCORD_MODEL_{HELD,WRITTEN,FAULTS,DELAYS,PREEMPTIONS,DEPTH} applied
// (PREEMPTIONS=-1: unbounded).
SyncBound FromEnvironment(SyncBound bound) {
  bound.held_entries = EnvInt("ACCORD_MODEL_HELD", bound.held_entries);
  bound.written_entries = EnvInt("ACCORD_MODEL_WRITTEN", bound.written_entries);
  bound.max_faults = EnvInt("ACCORD_MODEL_FAULTS", bound.max_faults);
  bound.max_delays = EnvInt("ACCORD_MODEL_DELAYS", bound.max_delays);
  bound.max_preemptions = EnvInt("ACCORD_MODEL_PREEMPTIONS", bound.max_preemptions);
  bound.max_depth =
      static_cast<size_t>(EnvInt("ACCORD_MODEL_DEPTH", static_cast<int>(bound.max_depth)));
  return bound;
}

std::string Figures(const SyncBound& bound, const ExploreReport& r) {
  std::string out =
      "bound: held=" + std::to_string(bound.held_entries) +
      " written=" + std::to_string(bound.written_entries) +
      " faults=" + std::to_string(bound.max_faults) +
      " delays=" + std::to_string(bound.max_delays) +
      " preemptions=" + std::to_string(bound.max_preemptions) +
      " max_depth=" + std::to_string(bound.max_depth) + "\nstates=" + std::to_string(r.states) +
      " transitions=" + std::to_string(r.transitions) + " quiet=" + std::to_string(r.quiet_states) +
      " truncated=" + std::to_string(r.truncated) + " continued=" + std::to_string(r.continued) +
      " fair_runs=" + std::to_string(r.fair_runs) + " reexpanded=" + std::to_string(r.reexpanded) +
      " deepest=" + std::to_string(r.deepest) + " validations=" + std::to_string(r.validations) +
      " seconds=" + std::to_string(r.seconds) + "\nevents:";
  for (size_t k = 0; k < r.events_by_kind.size(); ++k) {
    out += std::string(" ") + EventKindName(static_cast<EventKind>(k)) + "=" +
           std::to_string(r.events_by_kind[k]);
  }
  return out;
}

void ExpectSafeAndConvergent(const SyncBound& bound) {
  const ModelEntries entries(bound.held_entries + bound.written_entries);
  ExploreLimits limits;
  limits.progress = std::getenv("ACCORD_MODEL_PROGRESS") != nullptr;
  const ExploreReport report = Explore(entries, bound, limits);
  std::cout << Figures(bound, report) << "\n";
  ASSERT_FALSE(report.counterexample) << *report.counterexample;
  EXPECT_TRUE(report.complete) << "a limit stopped the search";
  EXPECT_GT(report.quiet_states + report.fair_runs, 0u);
  // Every kind of event the bound allows really happened somewhere in the search.
  for (size_t k = 0; k < report.events_by_kind.size(); ++k) {
    const auto kind = static_cast<EventKind>(k);
    if (bound.max_faults == 0 && (kind == EventKind::kNotice || Event{kind}.IsFault())) continue;
    if (bound.max_delays == 0 && (kind == EventKind::kDeliverSlow || kind == EventKind::kCommit))
      continue;
    if (bound.written_entries == 0 && kind == EventKind::kWrite) continue;
    EXPECT_GT(report.events_by_kind[k], 0u) << EventKindName(kind);
  }
  ::testing::Test::RecordProperty("states", std::to_string(report.states));
  ::testing::Test::RecordProperty("seconds", std::to_string(report.seconds));
}

TEST(SyncModel, EveryWholeRunWithinTheBoundKeepsAckedEntriesAndConverges) {
  SyncBound bound;
  bound.held_entries = kCiHeld;
  bound.written_entries = 0;
  bound.max_faults = kCiFaults;
  bound.max_delays = kCiDelays;
  bound.max_preemptions = kCiPreemptions;
  ExpectSafeAndConvergent(FromEnvironment(bound));
}

TEST(SyncModel, LiveWritesInEveryOrderUpToTheDepthThenFairlyConverge) {
  SyncBound bound;
  bound.held_entries = 1;
  bound.written_entries = 1;
  bound.max_faults = kCiFaults;
  bound.max_delays = kCiDelays;
  bound.max_preemptions = kCiPreemptions;
  bound.max_depth = kCiWriteDepth;
  ExpectSafeAndConvergent(bound);
}

// The checker is not vacuous: an edge that reports a batch stored without storing it is
// caught on the first ack, with a trace.
TEST(SyncModel, CatchesAnEdgeThatAcksWithoutStoring) {
  SyncBound bound;
  bound.max_faults = 0;
  bound.edge_bug = SyncBound::EdgeBug::kAckWithoutStoring;
  const ModelEntries entries(bound.held_entries + bound.written_entries);
  const ExploreReport report = Explore(entries, bound, ExploreLimits{});
  ASSERT_TRUE(report.counterexample);
  std::cout << *report.counterexample;
  EXPECT_NE(report.counterexample->find("without holding"), std::string::npos)
      << *report.counterexample;
  EXPECT_NE(report.counterexample->find("1. connect"), std::string::npos);
}

// An edge that stores a batch but does not tell its other sessions leaves a relay path idle
// while its peer lacks what it now holds: caught as a session idle with something owed.
TEST(SyncModel, CatchesAnEdgeThatForgetsToPushWhatItStored) {
  SyncBound bound;
  bound.max_faults = 0;
  bound.edge_bug = SyncBound::EdgeBug::kForgetLocalChange;
  const ModelEntries entries(bound.held_entries + bound.written_entries);
  const ExploreReport report = Explore(entries, bound, ExploreLimits{});
  ASSERT_TRUE(report.counterexample);
  std::cout << *report.counterexample;
  EXPECT_NE(report.counterexample->find("idle while one side lacks"), std::string::npos)
      << *report.counterexample;
}

// The search copies states with SyncSession's forking copy; rebuilding every state from the
// initial one instead must find the very same states in the same order (a field the copy
// forgot would make them part).
TEST(SyncModel, CopiedStatesMatchReplayedOnes) {
  SyncBound bound;
  const ModelEntries entries(bound.held_entries + bound.written_entries);
  ExploreLimits limits;
  limits.max_states = 3000;
  const ExploreReport copied = Explore(entries, bound, limits);
  limits.replay = true;
  const ExploreReport replayed = Explore(entries, bound, limits);
  ASSERT_FALSE(copied.counterexample) << *copied.counterexample;
  ASSERT_FALSE(replayed.counterexample) << *replayed.counterexample;
  EXPECT_EQ(copied.states, limits.max_states);
  EXPECT_GT(replayed.replays, 0u);
  EXPECT_EQ(copied.states, replayed.states);
  EXPECT_EQ(copied.transitions, replayed.transitions);
  EXPECT_EQ(copied.digest, replayed.digest);
}

}  // namespace
}  // namespace accord::model
