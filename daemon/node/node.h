// Node: this device's log and state. Owns the store, the identity, the key ring, the fold and
// the author of own entries; every write is durable before anyone can see it. Daemon thread
// only. Request semantics (who may accept what) live in ipc/handlers.h, not here.
#ifndef ACCORD_DAEMON_NODE_NODE_H_
#define ACCORD_DAEMON_NODE_NODE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accord/entry.pb.h"
#include "base/paths.h"
#include "base/result.h"
#include "crypto/identity.h"
#include "daemon/log/author.h"
#include "daemon/log/key_ring.h"
#include "daemon/node/clock.h"
#include "daemon/state/fold.h"
#include "daemon/state/state.h"
#include "daemon/store/store.h"

namespace accord::daemon {

// One row of `accord log`.
struct LogRow {
  log::EntryId id{};
  log::EntryHeader header;
  std::string kind;        // body kind name, or "sealed" when this device cannot open it
  bool verified = false;   // signature checked in this call (log --verify)
  bool signature_ok = true;
};

class Node {
 public:
  // Opens the store; loads the identity if `init` has run, refolds every stored entry, and
  // finishes an `init` interrupted by a crash.
  static Result<std::unique_ptr<Node>> Open(const InstancePaths& paths, const Clock& clock);

  bool has_identity() const { return identity_ != nullptr; }
  // Creates the device identity, the pact and its first keys, and the MemberCreated entry.
  // kAlreadyExists if this device has an identity.
  Result<state::MemberId> Init(const std::string& name, const std::string& device_name);

  // Seals, signs and durably stores one own entry, then folds it. REQUIRES: has_identity().
  Result<log::EntryId> Write(const proto::Body& body);

  // The folded state (recomputed after changes). REQUIRES: has_identity().
  const state::State& State();
  Hash32 Digest();
  const state::MemberId& me() const { return device_key_; }
  const log::DeviceKey& device_key() const { return device_key_; }
  int64_t NowMs() const { return clock_.NowMs(); }
  Result<uint64_t> EntryCount() const { return store_->EntryCount(); }
  const std::map<log::DeviceKey, uint64_t>& Frozen() const { return store_->FrozenAuthors(); }

  // Every stored entry, in arrival order; with `verify`, each signature checked again.
  Result<std::vector<LogRow>> Log(bool verify) const;

  // Called after each entry is folded (own or received); for `watch`.
  using EventListener = std::function<void(const state::Event&)>;
  void SetEventListener(EventListener listener) { listener_ = std::move(listener); }

 private:
  Node(const InstancePaths& paths, const Clock& clock, std::unique_ptr<store::Store> store);
  Status LoadIdentity();
  Status Refold();
  Status FoldEntry(const log::EntryHeader& header, const log::EntryId& id,
                   const proto::Body& body, bool notify);
  Status FinishInit();

  InstancePaths paths_;
  const Clock& clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::DeviceIdentity> identity_;
  log::DeviceKey device_key_{};
  log::PactId pact_{};
  log::KeyRing keys_;
  std::unique_ptr<log::Author> author_;
  state::Fold fold_;
  std::optional<state::State> state_;  // cached View(); reset by every change
  uint64_t max_lamport_ = 0;
  EventListener listener_;
};

// Opens a stored body with the ring's key (no signature check: the entry was verified
// before it was stored). kUnknownEpoch, kDecryptFailed, kBadBody.
Result<proto::Body> OpenStoredBody(const log::EntryHeader& header, const log::Envelope& envelope,
                                   const log::KeyRing& keys);

// The name of a body's kind as users see it ("need", "proposal", ...).
const char* BodyKindName(const proto::Body& body);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_NODE_H_
