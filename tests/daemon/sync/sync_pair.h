// Two MemoryNodes joined by one SyncSession each over a MemoryTransport, with an edge that
// behaves like daemon/net: StoreBatch is stored at once, then OnBatchStored, then (if
// anything new was stored) OnLocalChange. Every message is decoded and kept for inspection.
#ifndef ACCORD_TESTS_DAEMON_SYNC_SYNC_PAIR_H_
#define ACCORD_TESTS_DAEMON_SYNC_SYNC_PAIR_H_

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "daemon/sync/session.h"
#include "daemon/sync/wire.h"
#include "tests/daemon/sync/memory_node.h"
#include "tests/daemon/sync/memory_transport.h"

namespace accord::sync::testing {

class SyncPair {
 public:
  static constexpr int kInitiator = 0;
  static constexpr int kResponder = 1;

  // Both nodes must outlive the pair. Nothing happens until Start().
  SyncPair(MemoryNode& initiator, MemoryNode& responder);

  void Start();
  // Delivers the oldest message waiting for side `to`; false if there is none.
  bool DeliverOne(int to);
  // Delivers in both directions, alternating, until no message is waiting or `max_steps`
  // deliveries were made; true if it went quiet.
  bool RunUntilQuiet(size_t max_steps = 100000);
  void LocalChange(int side);
  void ForkDetected(int side, const log::Envelope& existing, const log::Envelope& conflicting);
  // Feeds `plaintext` to side `to` as if the other side had sent it.
  void Inject(int to, ByteView plaintext);

  SyncSession& session(int side) { return *sessions_[side]; }
  MemoryTransport& transport() { return transport_; }
  // Messages side `side` sent, decoded, in order.
  const std::vector<PeerMsg>& sent(int side) const { return sent_[side]; }
  const std::vector<std::string>& closes(int side) const { return closes_[side]; }
  const std::vector<RecordFork>& forks(int side) const { return forks_[side]; }
  const std::vector<Progress>& progress(int side) const { return progress_[side]; }
  // Entries stored through StoreBatch by side `side`, and duplicates it was sent.
  size_t stored(int side) const { return stored_[side]; }
  size_t duplicates(int side) const { return duplicates_[side]; }
  // Entries side `side` repaired from copies the other side sent.
  size_t repaired(int side) const { return repaired_[side]; }
  void RepairWanted(int side);
  void Repaired(int side);
  // Batches sent by `side` (counting empty ones) and the largest message it sent.
  size_t batches_sent(int side) const;
  size_t largest_message(int side) const { return largest_[side]; }

  // If false, StoreBatch actions wait in a queue until CommitOne is called (a slow store).
  void set_store_immediately(bool yes) { store_immediately_ = yes; }
  bool CommitOne(int side);

 private:
  void Execute(int side, std::vector<Action> actions);
  void Commit(int side, const StoreBatch& batch);

  std::array<MemoryNode*, 2> nodes_;
  std::array<std::unique_ptr<SyncSession>, 2> sessions_;
  MemoryTransport transport_;
  std::array<std::vector<PeerMsg>, 2> sent_;
  std::array<std::vector<std::string>, 2> closes_;
  std::array<std::vector<RecordFork>, 2> forks_;
  std::array<std::vector<Progress>, 2> progress_;
  std::array<std::vector<StoreBatch>, 2> waiting_stores_;
  std::array<size_t, 2> stored_{};
  std::array<size_t, 2> duplicates_{};
  std::array<size_t, 2> repaired_{};
  std::array<size_t, 2> largest_{};
  bool store_immediately_ = true;
};

// The two ends, as the tests name them.
constexpr int kI = SyncPair::kInitiator;
constexpr int kR = SyncPair::kResponder;

}  // namespace accord::sync::testing

#endif  // ACCORD_TESTS_DAEMON_SYNC_SYNC_PAIR_H_
