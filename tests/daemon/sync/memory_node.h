// An in-memory device for sync tests: per-author feeds of real signed entries as a
// sync::SyncSource and log::LogView, and the edge's store step through log::IngestBatch
// (real signatures, hashes, chains, decryption), all or nothing. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_SYNC_MEMORY_NODE_H_
#define ACCORD_TESTS_DAEMON_SYNC_MEMORY_NODE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "daemon/log/key_ring.h"
#include "daemon/log/log_view.h"
#include "daemon/log/validate.h"
#include "daemon/sync/session.h"

namespace accord::sync::testing {

class MemoryNode : public SyncSource, public log::LogView {
 public:
  // `keys` must outlive the node. Every device in `devices` counts as a pact device.
  MemoryNode(const log::PactId& pact, const log::KeyRing& keys,
             const std::vector<log::DeviceKey>& devices);

  // Adds an own or pre-shared entry. REQUIRES: it is its author's next entry here.
  void Append(const log::Envelope& entry);
  // Whether MaySend lets an entry go at all (default: everything may go).
  void SetPolicy(std::function<bool(const log::EntryHeader&)> may_send) {
    may_send_ = std::move(may_send);
  }
  // Which entries MaySend lets go header-only, as the daemon's source does another member's
  // private entries (default: none; a wanted body always goes header-only).
  void SetHeaderOnly(std::function<bool(const log::EntryHeader&)> header_only) {
    header_only_ = std::move(header_only);
  }

  struct StoreReport {
    size_t stored = 0;
    size_t duplicates = 0;
    std::vector<std::pair<log::Envelope, log::Envelope>> forks;  // (existing, conflicting)
  };
  // The edge's StoreBatch: IngestBatch against this node, then append all accepted entries.
  Result<StoreReport> Store(std::span<const log::Envelope> batch);

  // Repair (docs/sync.md): `Damage` flips a byte of a held body, as a failing disk would;
  // damaged bodies and bodies that arrived missing are wanted, sent header-only, and
  // replaced by `Repair` with an intact copy. Returns how many were repaired.
  void Damage(const log::EntryId& id);
  size_t Repair(std::span<const log::Envelope> copies);
  const std::set<log::EntryId>& wanted() const { return wanted_; }
  std::optional<log::Envelope> Get(const log::EntryId& id) const;

  // Every entry id held, per author in seq order.
  std::map<log::DeviceKey, std::vector<log::EntryId>> Feeds() const;
  size_t entry_count() const;
  const std::vector<log::ForkProof>& forks() const { return forks_; }
  size_t reads() const { return reads_; }

  // SyncSource.
  std::map<log::DeviceKey, log::FeedHead> Heads() const override;
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                          size_t limit) const override;
  // As the daemon's source: what the policy refuses, nothing; a wanted body, header-only.
  Share MaySend(const log::Envelope& entry, const log::EntryHeader& header) const override;
  std::vector<log::DeviceKey> SendOrder() const override { return send_order_; }
  std::vector<log::EntryId> WantedBodies(size_t limit) const override;
  Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& id) const override;
  void SetSendOrder(std::vector<log::DeviceKey> order) { send_order_ = std::move(order); }

  // LogView.
  log::FeedHead Head(const log::DeviceKey& author) const override;
  std::optional<log::EntryId> IdAt(const log::DeviceKey& author, uint64_t seq) const override;
  bool IsFrozen(const log::DeviceKey& author) const override { return frozen_.contains(author); }
  bool IsKnownDevice(const log::DeviceKey& device) const override {
    return devices_.contains(device);
  }

 private:
  struct Feed {
    std::vector<log::Envelope> entries;  // seq 1, 2, ...
    std::vector<log::EntryId> ids;
  };

  log::PactId pact_;
  const log::KeyRing& keys_;
  std::set<log::DeviceKey> devices_;
  std::map<log::DeviceKey, Feed> feeds_;
  std::set<log::DeviceKey> frozen_;
  std::vector<log::ForkProof> forks_;
  std::function<bool(const log::EntryHeader&)> may_send_ = [](const log::EntryHeader&) {
    return true;
  };
  std::function<bool(const log::EntryHeader&)> header_only_ = [](const log::EntryHeader&) {
    return false;
  };
  std::vector<log::DeviceKey> send_order_;
  std::set<log::EntryId> wanted_;
  mutable size_t reads_ = 0;  // Read calls, to show nothing scans the whole log
};

}  // namespace accord::sync::testing

#endif  // ACCORD_TESTS_DAEMON_SYNC_MEMORY_NODE_H_
