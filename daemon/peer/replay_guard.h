// Refuses replayed sync msg1s: per initiator, each accepted timestamp must be strictly
// greater than the last one (WireGuard's rule). Daemon thread only; memory only.
// Deciding who may connect at all (pact membership) is the caller's check, made first.
#ifndef ACCORD_DAEMON_PEER_REPLAY_GUARD_H_
#define ACCORD_DAEMON_PEER_REPLAY_GUARD_H_

#include <map>

#include "crypto/dh.h"
#include "daemon/peer/tai64n.h"

namespace accord::peer {

class ReplayGuard {
 public:
  // True, and remembers `timestamp`, when it is newer than every timestamp accepted from
  // `initiator`; false for an equal or older one. Call only for authenticated msg1s of pact
  // devices, so the table holds one entry per pact device.
  bool Accept(const crypto::DhPublicKey& initiator, const Tai64n& timestamp);

  size_t size() const { return latest_.size(); }

 private:
  std::map<crypto::DhPublicKey, Tai64n> latest_;
};

}  // namespace accord::peer

#endif  // ACCORD_DAEMON_PEER_REPLAY_GUARD_H_
