// An exhaustive depth-first search over SyncWorld's events (docs/model-check.md): every
// enabled event from every state, states deduplicated by a hash of SyncWorld::Key(), the
// invariants checked after every event and convergence in every quiet state. A successor
// is its parent's copy (SyncSession's forking copy) with one event applied. Test thread only.
#ifndef ACCORD_TESTS_MODEL_EXPLORER_H_
#define ACCORD_TESTS_MODEL_EXPLORER_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tests/model/sync_model.h"

namespace accord::model {

struct ExploreLimits {
  size_t max_states = 50'000'000;  // distinct states, then the search stops incomplete
  double max_seconds = 1800;       // seconds of search, then it stops incomplete
  bool progress = false;           // a line on stderr every 2^16 transitions
  // Rebuild each state by replaying its path from the initial state instead of copying its
  // parent (SyncSession's forking copy): slower; a test checks both search the same states.
  bool replay = false;
};

struct ExploreReport {
  size_t states = 0;        // distinct states reached (the initial one included)
  size_t transitions = 0;   // events applied from a visited state, duplicates included
  size_t quiet_states = 0;  // states where the run ends: convergence checked there
  size_t truncated = 0;     // states at SyncBound::max_depth: only the fair continuation ran
  size_t continued = 0;     // events applied by those fair continuations
  size_t fair_runs = 0;     // continuations that converged (ended early at a proven state)
  size_t reexpanded = 0;    // depth bound: states met again nearer the root, expanded again
  size_t replays = 0;       // states rebuilt from the initial one (ExploreLimits::replay)
  uint64_t digest = 0;      // of every new state's hash in the order found
  size_t deepest = 0;       // longest path, in events
  size_t validations = 0;   // distinct store steps validated (IngestBatch runs)
  std::array<size_t, 11> events_by_kind{};  // transitions per EventKind
  double seconds = 0;
  bool complete = false;                      // neither limit was hit
  std::optional<std::string> counterexample;  // a readable trace to the first violation
};

ExploreReport Explore(const ModelEntries& entries, const SyncBound& bound,
                      const ExploreLimits& limits);

// The events of `path` applied to the initial state, one numbered line each with what the
// devices did, then the stores and `violations`.
std::string Trace(const ModelEntries& entries, const SyncBound& bound,
                  const std::vector<Event>& path, const std::vector<std::string>& violations);

const char* EventKindName(EventKind kind);

}  // namespace accord::model

#endif  // ACCORD_TESTS_MODEL_EXPLORER_H_
