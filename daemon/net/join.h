// Joins: the joiner's side of pairing. Dials the inviter's address, runs the pairing machine,
// then replaces this device's solo log by the inviter's pact and keeps the inviter and the
// pact's devices in the address book. Daemon thread only. The protocol is daemon/pairing.
#ifndef ACCORD_DAEMON_NET_JOIN_H_
#define ACCORD_DAEMON_NET_JOIN_H_

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "accord/ipc.pb.h"
#include "daemon/net/address.h"
#include "daemon/net/address_book.h"
#include "daemon/net/discovery.h"
#include "daemon/node/node.h"
#include "daemon/pairing/code.h"
#include "daemon/pairing/pairing.h"

namespace accord::daemon {

class Joins {
 public:
  using JoinDone = std::function<void(Result<proto::JoinResponse>)>;

  Joins(asio::io_context& io, Node& node, AddressBook& book, Discovery& discovery);
  ~Joins();

  // The port this daemon listens on, told to the inviter so that it dials back (0: none).
  void SetListenPort(uint16_t port) { listen_port_ = port; }

  // Who this device pairs as. `name` (empty: this device's member name) is a person's name
  // for a person invitation and names this device for a device invitation; with
  // `person_needs_name` (the name is only a default) a person invitation is refused.
  // `ask` (null: typing the code is the consent) is called once the inviter's signed record
  // says what the code does, before anything of this device is sent; the join then waits
  // (kConsentTimeout) for Consent().
  struct JoinAs {
    std::string name;
    bool person_needs_name = false;
    std::function<void(const proto::JoinConsentUpdate&)> ask;
  };

  // Joins the pact of the inviter at `address` (empty: the one whose pairing beacon carries
  // the code's nameplate) with `code`: as a new person, or as another device of the inviter's
  // member if the code is a device invitation. `done` is called once, on the daemon thread.
  // kRefused if this device already wrote anything but its MemberCreated; kUnavailable if no
  // inviter, or two, are heard.
  void Join(const std::string& code, const std::string& address, JoinAs as, JoinDone done);
  // As this device's member, under its member name.
  void Join(const std::string& code, const std::string& address, JoinDone done) {
    Join(code, address, JoinAs{}, std::move(done));
  }
  // The human's answer to the JoinConsentUpdate of the join that is asking. kNotFound if none.
  Status Consent(bool accept);

 private:
  void FindInviter(pairing::PairingCode code, JoinAs as, JoinDone done);
  void Start(pairing::PairingCode code, HostPort address, JoinAs as, JoinDone done);
  asio::awaitable<void> Run(pairing::PairingCode code, HostPort address, JoinAs as, JoinDone done);
  // Asks through `as.ask` what the verified inviter's record says and waits for the answer;
  // false on no, on no answer in kConsentTimeout, or when another Consent() took the question.
  asio::awaitable<bool> AskJoiner(const pairing::PairingJoiner& machine, const JoinAs& as);

  // The join waiting for its human's yes (at most one: a second asking join replaces it, and
  // the first one's wait ends as a no).
  struct Question {
    explicit Question(asio::io_context& io) : signal(io) {}
    std::optional<bool> answer;
    asio::steady_timer signal;  // cancelled when `answer` is set
  };
  std::shared_ptr<Question> asking_;

  asio::io_context& io_;
  Node& node_;
  AddressBook& book_;
  Discovery& discovery_;
  uint16_t listen_port_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_JOIN_H_
