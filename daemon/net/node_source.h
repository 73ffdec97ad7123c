// The sync session's view of this device's log (sync::SyncSource) for one peer device:
// heads and ranges from the store; another member's private entries are never offered.
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
  bool MaySend(const log::EntryHeader&) const override { return true; }
  std::vector<log::DeviceKey> SendOrder() const override { return node_.IntroductionOrder(); }

 private:
  Node& node_;
  log::DeviceKey peer_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NODE_SOURCE_H_
