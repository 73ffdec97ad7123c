// The model of the sync-session checker (docs/model-check.md): devices with in-memory stores
// of real signed entries (tests/daemon/sync MemoryNode), pairwise connections running the
// real SyncSession on both sides, and the edge's steps and faults as discrete events. Test
// thread only. The search over these events is explorer.h's.
#ifndef ACCORD_TESTS_MODEL_SYNC_MODEL_H_
#define ACCORD_TESTS_MODEL_SYNC_MODEL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/sync/session.h"
#include "tests/model/model_entries.h"

namespace accord::model {

constexpr int kModelPairs = 3;  // (0,1), (0,2), (1,2): at most one connection each
// The two devices of each pair, by pair index.
inline constexpr std::array<std::array<int, 2>, kModelPairs> kPairs = {{{0, 1}, {0, 2}, {1, 2}}};

// What the explorer is allowed to do, and how far.
struct SyncBound {
  int held_entries = 1;     // own entries each device holds before the run
  int written_entries = 1;  // own entries each device writes during the run
  int max_faults = 1;       // drops, restarts, losses, duplicates, tampers in one run
  // Batches whose store the edge may leave pending while other events happen (a slow
  // disk); every other batch is stored as soon as it is received. Later batches of the
  // same session wait behind a pending one without using this budget.
  int max_delays = 1;
  // Preemption bound (as in CHESS): at most this many times per run does the next event
  // belong to another connection (or a write or restart) while the last event's connection
  // could still have gone on; -1: unbounded. A fault or write anywhere costs at most one.
  int max_preemptions = -1;
  // Events on one path searched exhaustively; from a state at this depth only the fair
  // continuation runs (no faults, no delays, the first progress event each step).
  size_t max_depth = 400;
  // A deliberately broken edge, to show the checker can fail (tests only).
  enum class EdgeBug { kNone, kAckWithoutStoring, kForgetLocalChange } edge_bug = EdgeBug::kNone;
};

enum class EventKind : uint8_t {
  // Progress (a fair run keeps taking these).
  kConnect,  // a = pair, b = initiator side (0: the pair's lower device)
  kDeliver,  // a = pair, b = receiving side: the oldest message in that direction
  kCommit,   // a = pair, b = side: the edge stores its oldest pending batch, then reports it
  kWrite,    // a = device: its next own entry
  kNotice,   // a = pair: the channel notices a lost message (nonce gap / idle) and closes
  // A choice within SyncBound::max_delays.
  kDeliverSlow,  // kDeliver of a batch whose store stays pending (kCommit later)
  // Faults (at most SyncBound::max_faults per run).
  kDrop,       // a = pair: the connection breaks; in-flight messages and pending stores go
  kRestart,    // a = device: every connection of it goes, its store stays
  kLose,       // a = pair, b = side: the oldest message towards it is lost, the channel is dead
  kDuplicate,  // a = pair, b = side: the oldest message towards it arrives again, last
  kTamper,     // a = pair, b = side: the oldest message (a batch) has a signature byte flipped
};

struct Event {
  EventKind kind;
  uint8_t a = 0;
  uint8_t b = 0;
  bool IsFault() const { return kind >= EventKind::kDrop; }
  bool IsProgress() const { return kind < EventKind::kDeliverSlow; }
  friend bool operator==(const Event&, const Event&) = default;
};

// One state of the model, reached by applying events to the initial state.
class SyncWorld {
 public:
  SyncWorld(const ModelEntries& entries, const SyncBound& bound, ModelCache& cache);
  ~SyncWorld();
  SyncWorld(const SyncWorld&) = delete;
  SyncWorld& operator=(const SyncWorld&) = delete;

  // This state, with the sessions copied (SyncSession's forking copy) onto the copy's stores.
  std::unique_ptr<SyncWorld> Clone() const;

  // Events enabled here, in a fixed order (faults only while the budget lasts).
  std::vector<Event> Enabled() const;
  // REQUIRES: `event` is in Enabled().
  void Apply(const Event& event);
  // Safety invariants of this state; empty when all hold.
  std::vector<std::string> Violations() const;
  // No progress event is enabled: the run ends here, and everything must have converged.
  bool Quiet() const;
  std::vector<std::string> QuietViolations() const;
  // A canonical encoding of the state (docs/model-check.md "State hashing").
  std::string Key() const;

  // What happened during the last Apply, one line each (for traces).
  const std::vector<std::string>& log() const { return log_; }
  void set_verbose(bool yes) { verbose_ = yes; }
  std::string Describe(const Event& event) const;
  std::string DescribeStores() const;
  int faults_used() const { return faults_used_; }
  int delays_used() const { return delays_used_; }

 private:
  class Device;
  struct Connection;
  struct Blank {};
  SyncWorld(const ModelEntries& entries, const SyncBound& bound, ModelCache& cache, Blank);

  void Execute(Connection& c, int side, std::vector<sync::Action> actions);
  void Commit(Connection& c, int side);
  bool Holds(int device, const log::EntryId& id) const;
  // The connection an event belongs to (its pair), or kModelPairs + device for writes and
  // restarts.
  static int Component(const Event& event);
  std::vector<Event> Unbounded() const;  // Enabled() before the preemption bound
  void LocalChange(int device);
  void RemoveClosed();
  void Note(std::string line);
  std::string DescribeMessage(const Bytes& message) const;
  std::string DeviceName(int device) const;

  const ModelEntries& entries_;
  const SyncBound bound_;
  ModelCache& cache_;
  std::array<std::unique_ptr<Device>, kModelDevices> devices_;
  std::array<std::unique_ptr<Connection>, kModelPairs> connections_;
  // (device, entry) pairs acknowledged: written locally or acked to a peer. Never lost.
  std::set<std::pair<int, log::EntryId>> acked_;
  std::vector<std::string> errors_;  // violations seen while applying events
  int faults_used_ = 0;
  int delays_used_ = 0;
  int last_component_ = -1;  // Component() of the last event
  int preemptions_ = 0;
  bool slow_ = false;  // the delivery being handled leaves its store pending
  bool verbose_ = false;
  std::vector<std::string> log_;
};

}  // namespace accord::model

#endif  // ACCORD_TESTS_MODEL_SYNC_MODEL_H_
