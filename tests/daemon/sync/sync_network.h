// A seeded simulation of 2-3 devices syncing: MemoryNodes that write their own feeds, joined
// pairwise by at most one connection (two SyncSessions over a MemoryTransport), an edge that
// stores batches at once or later, and random delivery, drops, restarts and writes. It also
// watches the messages to count entries re-sent to a peer known to hold them. Test thread.
#ifndef ACCORD_TESTS_DAEMON_SYNC_SYNC_NETWORK_H_
#define ACCORD_TESTS_DAEMON_SYNC_SYNC_NETWORK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "daemon/sync/session.h"
#include "tests/daemon/sync/memory_node.h"
#include "tests/daemon/sync/memory_transport.h"

namespace accord::sync::testing {

class SyncNetwork {
 public:
  // Node i is device i and writes `chains[i]` in order. All must outlive the network.
  SyncNetwork(const log::PactId& pact, const log::KeyRing& keys,
              const std::vector<log::DeviceKey>& devices,
              const std::vector<std::vector<log::Envelope>>& chains, std::mt19937_64& rng);

  // Gives node `node` the first `count` entries of `author`'s chain (before any session).
  void Preload(int node, int author, size_t count);
  // The edge stores each batch as soon as it arrives (true) or at a random later step.
  void set_store_immediately(bool yes) { store_immediately_ = yes; }

  // One random event: deliver a message, commit a store, write, connect, drop or restart.
  void Step();
  // Connects every pair, then delivers and stores until nothing moves; false if that took
  // more than `max_steps`.
  bool Settle(size_t max_steps);

  MemoryNode& node(int i) { return *nodes_[i]; }
  int size() const { return static_cast<int>(nodes_.size()); }
  // Every live session (for status checks after Settle).
  std::vector<const SyncSession*> Sessions() const;

  struct Stats {
    size_t resent_known = 0;  // entries sent to a peer the sender knew held them
    size_t duplicates = 0;    // entries a node received that it held (crossed paths)
    size_t connects = 0, drops = 0, restarts = 0, writes = 0, messages = 0;
    size_t largest_message = 0;       // bytes
    std::vector<std::string> closes;  // reasons; none expected between honest nodes
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Connection {
    std::array<int, 2> node{};  // side 0 initiated
    std::array<std::unique_ptr<SyncSession>, 2> session;
    MemoryTransport transport;
    std::array<std::deque<StoreBatch>, 2> stores;  // batches the edge has not stored yet
    // Per side: batch id -> author -> highest seq, to learn what an ack covers.
    std::array<std::map<uint64_t, std::map<log::DeviceKey, uint64_t>>, 2> batches;
    bool closed = false;
  };
  using Known = std::map<log::DeviceKey, uint64_t>;  // author -> the holder has 1..seq

  bool Connected(int a, int b) const;
  void Connect(int a, int b);
  void Drop(size_t index);
  void Restart(int node);
  void Write(int node);
  bool DeliverOne(Connection& c, int to);
  bool CommitOne(Connection& c, int side);
  void Execute(Connection& c, int side, std::vector<Action> actions);
  void Commit(Connection& c, int side, const StoreBatch& batch);
  void ObserveSent(Connection& c, int side, const Bytes& message);
  void ObserveDelivered(Connection& c, int to, const Bytes& message);
  void RemoveClosed();

  const log::PactId& pact_;
  const log::KeyRing& keys_;
  const std::vector<std::vector<log::Envelope>>& chains_;
  std::mt19937_64& rng_;
  std::vector<std::unique_ptr<MemoryNode>> nodes_;
  std::vector<std::unique_ptr<Connection>> connections_;
  // known_[learner][holder]: what `learner` has been told `holder` stores (Hello, ack,
  // entries sent by the holder). Stores never shrink, so this outlives sessions.
  std::map<std::pair<int, int>, Known> known_;
  bool store_immediately_ = true;
  Stats stats_;
};

}  // namespace accord::sync::testing

#endif  // ACCORD_TESTS_DAEMON_SYNC_SYNC_NETWORK_H_
