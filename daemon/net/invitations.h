// Invitations: the inviter's side of pairing. Holds the one open invitation (code, expiry,
// the waiting client, its consent) and serves the joiner's pairing connection against it;
// on success writes the new member and keeps the joiner in the address book. Daemon thread
// only. Accepting connections is PeerManager's; the pairing protocol is daemon/pairing.
#ifndef ACCORD_DAEMON_NET_INVITATIONS_H_
#define ACCORD_DAEMON_NET_INVITATIONS_H_

#include <asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "accord/ipc.pb.h"
#include "daemon/net/address_book.h"
#include "daemon/net/discovery.h"
#include "daemon/net/framed_socket.h"
#include "daemon/node/node.h"

namespace accord::daemon {

constexpr std::chrono::minutes kDefaultInviteTimeout{10};  // SPEC §4: codes live 10 minutes

class Invitations {
 public:
  // Updates go to `notify` while it is set.
  using InviteNotify = std::function<void(const proto::InviteUpdate&)>;

  // Pairing beacons go out through `discovery` while an invitation is open.
  Invitations(asio::io_context& io, Node& node, AddressBook& book, Discovery& discovery);
  ~Invitations();

  // Whether this daemon listens for peers (a joiner could not reach it otherwise).
  void SetListening(bool listening) { listening_ = listening; }

  // Opens an invitation, replacing an open one. kRefused while not listening, and for a pact
  // of two or more without `share_history` (a newcomer would read the whole history; joining
  // at a new epoch is not built yet). With `device` the code adds another device of this
  // device's own member instead of a new person (SPEC §4).
  Result<proto::InviteUpdate> Open(bool no_wait, std::chrono::seconds timeout, bool share_history,
                                   bool device, InviteNotify notify);
  // A person invitation.
  Result<proto::InviteUpdate> Open(bool no_wait, std::chrono::seconds timeout, bool share_history,
                                   InviteNotify notify) {
    return Open(no_wait, timeout, share_history, /*device=*/false, std::move(notify));
  }
  // The waiting client's answer to a "consent" update. kNotFound if nothing waits.
  Status Consent(bool accept);
  // The waiting client went away.
  void Detach();

  // Serves one pairing connection (its type byte read) against the open invitation; silence
  // if there is none, or it is in use or expired.
  asio::awaitable<void> Serve(std::shared_ptr<FramedSocket> socket);

 private:
  struct Invitation;

  void End(proto::InviteState state, const std::string& message);
  void Notify(proto::InviteUpdate update);

  asio::io_context& io_;
  Node& node_;
  AddressBook& book_;
  Discovery& discovery_;
  bool listening_ = false;
  std::unique_ptr<Invitation> invitation_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_INVITATIONS_H_
