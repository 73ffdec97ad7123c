// The sync session's view of this device's log (sync::SyncSource) for one peer device:
// heads and ranges from the store, and MaySend, the one rule for what this peer may have
// (another member's private bodies never, a damaged body header-only, a damaged header not
// at all), which the session applies to everything it sends. Daemon thread only.
#ifndef ACCORD_DAEMON_NET_NODE_SOURCE_H_
#define ACCORD_DAEMON_NET_NODE_SOURCE_H_

#include "daemon/node/node.h"
#include "daemon/sync/session.h"

namespace accord::daemon {

// Whether `peer` may hold anything of `author`'s feed: every member device's shared feed, but
// a private chain only when the peer is a device of the chain's own member, and nothing of a
// feed this device cannot place (a chain whose start it does not hold).
bool MayHaveFeed(Node& node, const log::DeviceKey& peer, const log::DeviceKey& author);

class NodeSource final : public sync::SyncSource {
 public:
  NodeSource(Node& node, const log::DeviceKey& peer) : node_(node), peer_(peer) {}

  // The feeds this peer may hold (MayHaveFeed): other members' devices never learn that a
  // private chain exists.
  std::map<log::DeviceKey, log::FeedHead> Heads() const override;
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                          size_t limit) const override {
    return node_.store().ReadRange(author, from_seq, limit);
  }
  // A damaged header: nothing. Another member's private entry, or a body held damaged or
  // missing: header-only (header and signature keep the author's chain whole for the peer,
  // which fetches a missing body from whoever holds it). Anything else: whole.
  sync::Share MaySend(const log::Envelope& entry, const log::EntryHeader& header) const override;
  std::vector<log::DeviceKey> SendOrder() const override { return node_.IntroductionOrder(); }
  std::vector<log::EntryId> WantedBodies(size_t limit) const override;
  Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& id) const override {
    return node_.IntactCopy(id);
  }

 private:
  // Whether this peer may have the bodies of `author`'s private entries (same member).
  bool SameMember(const log::DeviceKey& author) const;

  Node& node_;
  log::DeviceKey peer_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NODE_SOURCE_H_
