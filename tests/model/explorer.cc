#include "tests/model/explorer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace accord::model {

namespace {

// 128 bits of two unrelated 64-bit hashes of the key: with 10^8 states the chance that two
// distinct states share one is about 10^-23, so the visited set keeps hashes, not keys.
struct StateHash {
  uint64_t a = 0;
  uint64_t b = 0;
  friend bool operator==(const StateHash&, const StateHash&) = default;
};
struct StateHashHasher {
  size_t operator()(const StateHash& h) const { return static_cast<size_t>(h.a ^ (h.b << 1)); }
};

StateHash HashKey(const std::string& key) {
  StateHash h;
  h.a = std::hash<std::string_view>()(key);
  uint64_t fnv = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char ch : key) {
    fnv ^= ch;
    fnv *= 0x100000001b3ULL;
  }
  h.b = fnv;
  return h;
}

bool HasProgress(const std::vector<Event>& events) {
  return std::any_of(events.begin(), events.end(), [](const Event& e) { return e.IsProgress(); });
}

// Fair steps a continuation may take before it counts as a livelock: a fault-free run of
// the model is a few dozen events.
constexpr size_t kMaxContinuationSteps = 2000;  // events

// From `world` (at the end of `path`), the first progress event each step until none is
// left, checking the invariants on the way and convergence at the end. A state whose own
// continuation already converged (`proven`) ends it early: the rest is deterministic.
// Appends the events to `path`; returns the violations (empty when the run converged).
std::vector<std::string> Continue(SyncWorld& world, std::vector<Event>& path,
                                  std::unordered_set<StateHash, StateHashHasher>& proven,
                                  ExploreReport& report) {
  std::vector<StateHash> passed;
  std::vector<std::string> result;
  bool ended = false;
  for (size_t i = 0; i < kMaxContinuationSteps && !ended; ++i) {
    const StateHash here = HashKey(world.Key());
    if (proven.contains(here)) {
      ended = true;
      break;
    }
    passed.push_back(here);
    const std::vector<Event> events = world.Enabled();
    auto progress =
        std::find_if(events.begin(), events.end(), [](const Event& e) { return e.IsProgress(); });
    if (progress == events.end()) {
      result = world.QuietViolations();
      ended = true;
      break;
    }
    world.Apply(*progress);
    path.push_back(*progress);
    ++report.continued;
    ++report.events_by_kind[static_cast<size_t>(progress->kind)];
    result = world.Violations();
    if (!result.empty()) return result;
  }
  if (!ended) {
    return {"no quiet state within " + std::to_string(kMaxContinuationSteps) +
            " fair steps (a livelock?)"};
  }
  if (!result.empty()) return result;
  ++report.fair_runs;
  proven.insert(passed.begin(), passed.end());
  return {};
}

std::unique_ptr<SyncWorld> Replay(const ModelEntries& entries, const SyncBound& bound,
                                  ModelCache& cache, const std::vector<Event>& path) {
  auto world = std::make_unique<SyncWorld>(entries, bound, cache);
  for (const Event& e : path) world->Apply(e);
  return world;
}

}  // namespace

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kConnect:
      return "connect";
    case EventKind::kDeliver:
      return "deliver";
    case EventKind::kCommit:
      return "commit";
    case EventKind::kWrite:
      return "write";
    case EventKind::kNotice:
      return "notice";
    case EventKind::kDeliverSlow:
      return "deliver-slow";
    case EventKind::kDrop:
      return "drop";
    case EventKind::kRestart:
      return "restart";
    case EventKind::kLose:
      return "lose";
    case EventKind::kDuplicate:
      return "duplicate";
    case EventKind::kTamper:
      return "tamper";
  }
  return "?";
}

std::string Trace(const ModelEntries& entries, const SyncBound& bound,
                  const std::vector<Event>& path, const std::vector<std::string>& violations) {
  ModelCache cache;
  SyncWorld world(entries, bound, cache);
  world.set_verbose(true);
  std::string out = "initial: " + world.DescribeStores() + "\n";
  for (size_t i = 0; i < path.size(); ++i) {
    world.Apply(path[i]);
    const std::vector<std::string>& lines = world.log();
    for (size_t j = 0; j < lines.size(); ++j) {
      out += (j == 0 ? std::to_string(i + 1) + ". " : std::string("    ")) + lines[j] + "\n";
    }
  }
  out += "final: " + world.DescribeStores() + "\n";
  for (const std::string& v : violations) out += "VIOLATION: " + v + "\n";
  return out;
}

ExploreReport Explore(const ModelEntries& entries, const SyncBound& bound,
                      const ExploreLimits& limits) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  ExploreReport report;
  ModelCache cache;
  // State hash -> the shallowest depth it was reached at. Under a depth bound a state met
  // again nearer the root is expanded again: its subtree was cut deeper the first time.
  std::unordered_map<StateHash, uint32_t, StateHashHasher> visited;
  const bool depth_bounded = bound.max_depth < SyncBound{}.max_depth;
  std::unordered_set<StateHash, StateHashHasher> proven;  // their fair continuation converged
  std::vector<Event> path;
  auto fail = [&](const std::vector<std::string>& violations) {
    report.counterexample = Trace(entries, bound, path, violations);
    report.seconds = elapsed();
    report.validations = cache.validations();
  };

  std::unique_ptr<SyncWorld> root = Replay(entries, bound, cache, path);
  if (std::vector<std::string> v = root->Violations(); !v.empty()) {
    fail(v);
    return report;
  }
  const StateHash root_hash = HashKey(root->Key());
  visited.emplace(root_hash, 0);
  report.digest = root_hash.a;
  report.states = 1;
  struct Frame {
    std::unique_ptr<SyncWorld> world;  // null when replaying
    std::vector<Event> events;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  std::vector<Event> first = root->Enabled();
  if (!HasProgress(first)) ++report.quiet_states;
  std::unique_ptr<SyncWorld> live;  // replay mode: the state at the end of `path`, if built
  if (limits.replay) {
    live = std::move(root);
    stack.push_back({nullptr, std::move(first), 0});
  } else {
    stack.push_back({std::move(root), std::move(first), 0});
  }
  size_t reported = 0;
  while (!stack.empty()) {
    if (report.states >= limits.max_states ||
        (report.transitions % 1024 == 0 && elapsed() > limits.max_seconds)) {
      report.seconds = elapsed();
      report.validations = cache.validations();
      return report;  // incomplete
    }
    if (limits.progress && report.transitions >= reported + 65536) {
      reported = report.transitions;
      std::fprintf(stderr, "%.1fs states=%zu transitions=%zu depth=%zu\n", elapsed(), report.states,
                   report.transitions, path.size());
    }
    Frame& frame = stack.back();
    if (frame.next == frame.events.size()) {
      stack.pop_back();
      if (!path.empty()) path.pop_back();
      live.reset();
      continue;
    }
    const Event event = frame.events[frame.next++];
    std::unique_ptr<SyncWorld> world;
    if (!limits.replay) {
      world = frame.world->Clone();
    } else if (live) {
      world = std::move(live);
    } else {
      world = Replay(entries, bound, cache, path);
      ++report.replays;
    }
    world->Apply(event);
    path.push_back(event);
    ++report.transitions;
    ++report.events_by_kind[static_cast<size_t>(event.kind)];
    if (std::vector<std::string> v = world->Violations(); !v.empty()) {
      fail(v);
      return report;
    }
    const StateHash hash = HashKey(world->Key());
    auto [seen, inserted] = visited.try_emplace(hash, static_cast<uint32_t>(path.size()));
    if (!inserted) {
      if (!depth_bounded || path.size() >= seen->second) {
        path.pop_back();
        continue;
      }
      seen->second = static_cast<uint32_t>(path.size());
      ++report.reexpanded;
    } else {
      ++report.states;
      report.digest = report.digest * 0x9E3779B97F4A7C15ULL + hash.a;
    }
    report.deepest = std::max(report.deepest, path.size());
    std::vector<Event> next = world->Enabled();
    if (!HasProgress(next)) {
      ++report.quiet_states;
      if (std::vector<std::string> v = world->QuietViolations(); !v.empty()) {
        fail(v);
        return report;
      }
    }
    if (path.size() >= bound.max_depth) {
      ++report.truncated;
      const size_t depth = path.size();
      if (std::vector<std::string> v = Continue(*world, path, proven, report); !v.empty()) {
        fail(v);
        return report;
      }
      path.resize(depth - 1);
      continue;
    }
    if (limits.replay) {
      live = std::move(world);
      stack.push_back({nullptr, std::move(next), 0});
    } else {
      stack.push_back({std::move(world), std::move(next), 0});
    }
  }
  report.complete = true;
  report.seconds = elapsed();
  report.validations = cache.validations();
  return report;
}

}  // namespace accord::model
