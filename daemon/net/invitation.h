// The open invitation of an inviting daemon (at most one at a time): its code, expiry, the
// waiting client to tell, and the pairing in progress. Daemon thread only; PeerManager's.
#ifndef ACCORD_DAEMON_NET_INVITATION_H_
#define ACCORD_DAEMON_NET_INVITATION_H_

#include <asio.hpp>
#include <memory>
#include <optional>

#include "daemon/net/peer_manager.h"
#include "daemon/pairing/pairing.h"

namespace accord::daemon {

struct PeerManager::Invitation {
  explicit Invitation(asio::io_context& io) : consent_signal(io), expiry(io) {}

  pairing::PairingCode code;
  int64_t expires_ms = 0;
  bool no_wait = false;
  bool share_history = false;         // asked for: checked again when the joiner arrives
  InviteNotify notify;                // the waiting `accord invite`, if any
  bool in_use = false;                // one PairHello per code
  std::optional<bool> consent;        // the human's answer
  asio::steady_timer consent_signal;  // cancelled when `consent` is set
  asio::steady_timer expiry;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_INVITATION_H_
