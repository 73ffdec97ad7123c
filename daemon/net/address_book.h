// AddressBook: peer devices known outside the pact's log, and where peers were reached.
// Pinned devices come from pairing (their X25519 key before any entry names them); addresses
// are sealed under the storage key (Node::SealLocal) and kept in the store, so a restart
// dials them again. Daemon thread only. Dialing is PeerManager's; pairing itself is not here.
#ifndef ACCORD_DAEMON_NET_ADDRESS_BOOK_H_
#define ACCORD_DAEMON_NET_ADDRESS_BOOK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/net/dial_target.h"
#include "daemon/node/node.h"

namespace accord::daemon {

constexpr size_t kMaxAddressesPerDevice = 6;  // IPv4 and IPv6 on a couple of networks

class AddressBook {
 public:
  explicit AddressBook(Node& node) : node_(node) {}

  // Told after every Pin and Remember (the dialer's targets may have changed).
  void OnChange(std::function<void()> changed) { changed_ = std::move(changed); }

  // Reads back every remembered device: pins it, trusts it in the node (it is known from our
  // own pairing or handshake) and, if it has an address, dials it. Unreadable rows are
  // skipped. REQUIRES: the node has an identity.
  void Load();
  // A device known from pairing: its handshakes are admitted before any entry names it.
  void Pin(const log::DeviceKey& device, const crypto::DhPublicKey& x25519);
  // Keeps where `target` was reached or beaconed from, now (or, without an address, that it
  // is known: it was never seen), and dials it from now on. A device keeps its last
  // kMaxAddressesPerDevice addresses, newest first. Not pinned by this alone.
  void Remember(const DialTarget& target);
  // Whether `address` is among the ones kept for `device`.
  bool Knows(const log::DeviceKey& device, const std::string& address) const;

  const std::map<log::DeviceKey, crypto::DhPublicKey>& pinned() const { return pinned_; }
  std::optional<log::DeviceKey> PinnedDevice(const crypto::DhPublicKey& x25519) const;
  // Addresses learned from pairing or remembered, to dial beside --peer; no two alike.
  const std::vector<DialTarget>& addresses() const { return addresses_; }
  // The addresses kept per device, newest first.
  const std::map<log::DeviceKey, std::vector<std::string>>& remembered() const {
    return remembered_;
  }
  // When each remembered device was last seen (unix ms; 0: never).
  std::map<log::DeviceKey, int64_t> LastSeen() const;

 private:
  void AddAddress(const DialTarget& target);

  Node& node_;
  std::function<void()> changed_;
  std::map<log::DeviceKey, crypto::DhPublicKey> pinned_;
  std::vector<DialTarget> addresses_;
  std::map<log::DeviceKey, std::vector<std::string>> remembered_;  // newest first
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_ADDRESS_BOOK_H_
