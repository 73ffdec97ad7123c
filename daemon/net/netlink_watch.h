// NetlinkWatch: tells when this host's addresses or links change (a new DHCP lease, moving
// between networks), so that beacons go out and peers are redialed at once (SPEC §5). One
// NETLINK_ROUTE socket, read on the daemon thread; bursts are debounced into one call.
#ifndef ACCORD_DAEMON_NET_NETLINK_WATCH_H_
#define ACCORD_DAEMON_NET_NETLINK_WATCH_H_

#include <asio.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::daemon {

constexpr std::chrono::milliseconds kNetlinkDebounce{250};  // one call per burst of changes

// Whether a buffer of netlink messages holds an address or link change (RTM_NEWADDR,
// RTM_DELADDR, RTM_NEWLINK, RTM_DELLINK). Malformed or truncated messages end the scan.
bool HoldsAddressChange(ByteView messages);

class NetlinkWatch {
 public:
  NetlinkWatch(asio::io_context& io, std::function<void()> on_change);
  ~NetlinkWatch();
  // kIo if the socket cannot be opened or bound (then changes are simply not noticed).
  Status Start();
  void Stop();

 private:
  void Wait();
  void Drain();

  asio::io_context& io_;
  std::function<void()> on_change_;
  asio::posix::stream_descriptor socket_;
  asio::steady_timer debounce_;
  bool pending_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NETLINK_WATCH_H_
