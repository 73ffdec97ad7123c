// The sync session's view of this device's log (sync::SyncSource) for one peer device:
// heads and ranges from the store; another member's private bodies are never offered, nor
// is anything held damaged (a damaged body goes header-only, a damaged header not at all).
// Daemon thread only.
#ifndef ACCORD_DAEMON_NET_NODE_SOURCE_H_
#define ACCORD_DAEMON_NET_NODE_SOURCE_H_

#include "daemon/node/node.h"
#include "daemon/sync/session.h"

namespace accord::daemon {

class NodeSource final : public sync::SyncSource {
 public:
  NodeSource(Node& node, const log::DeviceKey& peer) : node_(node), peer_(peer) {}

  std::map<log::DeviceKey, log::FeedHead> Heads() const override { return node_.store().Heads(); }
  // Another member's private entries go without their bodies: header and signature keep the
  // author's chain whole for the peer, the ciphertext stays here.
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                          size_t limit) const override;
  bool MaySend(const log::EntryHeader& header) const override {
    return !node_.HeaderDamaged(header.author, header.seq);
  }
  std::vector<log::DeviceKey> SendOrder() const override { return node_.IntroductionOrder(); }
  std::vector<log::EntryId> WantedBodies(size_t limit) const override {
    return node_.WantedBodies(limit);
  }
  Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& id) const override;

 private:
  // Whether this peer may have the bodies of `author`'s private entries (same member).
  bool SameMember(const log::DeviceKey& author) const;

  Node& node_;
  log::DeviceKey peer_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NODE_SOURCE_H_
