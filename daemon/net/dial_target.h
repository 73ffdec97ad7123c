// DialTarget: one peer device and an address to dial it at. Plain data; any thread.
#ifndef ACCORD_DAEMON_NET_DIAL_TARGET_H_
#define ACCORD_DAEMON_NET_DIAL_TARGET_H_

#include <string>

#include "crypto/dh.h"
#include "daemon/log/header.h"

namespace accord::daemon {

struct DialTarget {
  log::DeviceKey device{};
  crypto::DhPublicKey x25519{};
  std::string address;  // HOST:PORT; empty for a device known only by its keys
  std::string via;      // how the address was learned, for `watch`: "beacon", "--peer", ...
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_DIAL_TARGET_H_
