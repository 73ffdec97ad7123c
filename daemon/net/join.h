// Joins: the joiner's side of pairing. Dials the inviter's address, runs the pairing machine,
// then replaces this device's solo log by the inviter's pact and keeps the inviter and the
// pact's devices in the address book. Daemon thread only. The protocol is daemon/pairing.
#ifndef ACCORD_DAEMON_NET_JOIN_H_
#define ACCORD_DAEMON_NET_JOIN_H_

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "accord/ipc.pb.h"
#include "daemon/net/address.h"
#include "daemon/net/address_book.h"
#include "daemon/net/discovery.h"
#include "daemon/node/node.h"
#include "daemon/pairing/code.h"

namespace accord::daemon {

class Joins {
 public:
  using JoinDone = std::function<void(Result<proto::JoinResponse>)>;

  Joins(asio::io_context& io, Node& node, AddressBook& book, Discovery& discovery);
  ~Joins();

  // The port this daemon listens on, told to the inviter so that it dials back (0: none).
  void SetListenPort(uint16_t port) { listen_port_ = port; }

  // Joins the pact of the inviter at `address` (empty: the one whose pairing beacon carries
  // the code's nameplate) with `code`. `done` is called once, on the daemon thread. kRefused
  // if this device already wrote anything but its MemberCreated; kUnavailable if no inviter,
  // or two, are heard.
  void Join(const std::string& code, const std::string& address, JoinDone done);

 private:
  void FindInviter(pairing::PairingCode code, JoinDone done);
  void Start(pairing::PairingCode code, HostPort address, JoinDone done);
  asio::awaitable<void> Run(pairing::PairingCode code, HostPort address, JoinDone done);

  asio::io_context& io_;
  Node& node_;
  AddressBook& book_;
  Discovery& discovery_;
  uint16_t listen_port_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_JOIN_H_
