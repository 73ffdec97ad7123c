// NetlinkWatch: notices when this host's addresses or links change (a new DHCP lease, a move
// to another network), so that beacons go out and peers are dialed again at once (SPEC §5).
// Daemon thread only. It says that something changed, not what: callers read the tables.
#ifndef ACCORD_DAEMON_NET_NETLINK_WATCH_H_
#define ACCORD_DAEMON_NET_NETLINK_WATCH_H_

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::daemon {

// A burst of changes (an interface coming up brings its link and several addresses) is one
// call: it comes once no change has arrived for kNetlinkQuiet, and at the latest
// kNetlinkMaxDelay after the burst's first change, however long the burst goes on.
constexpr std::chrono::milliseconds kNetlinkQuiet{250};      // ms without a change
constexpr std::chrono::milliseconds kNetlinkMaxDelay{2000};  // ms from a burst's first change
struct NetlinkDebounce {
  std::chrono::milliseconds quiet = kNetlinkQuiet;
  std::chrono::milliseconds max_delay = kNetlinkMaxDelay;
};
constexpr size_t kNetlinkReadBytes = 32768;  // bytes per datagram read (the kernel's are far less)
constexpr int kNetlinkReadsPerTurn = 64;     // datagrams drained per wake-up, then others run

// Whether a buffer of netlink messages (one datagram) holds an address or link change:
// RTM_NEWADDR, RTM_DELADDR, RTM_NEWLINK or RTM_DELLINK with at least its fixed header
// (ifaddrmsg, ifinfomsg). A malformed or truncated message ends the scan, never read past.
bool HoldsAddressChange(ByteView messages);

class NetlinkWatch {
 public:
  // `debounce` is for tests that need bursts long enough to survive a slow machine.
  NetlinkWatch(asio::io_context& io, std::function<void()> on_change,
               NetlinkDebounce debounce = {});
  ~NetlinkWatch();
  NetlinkWatch(const NetlinkWatch&) = delete;
  NetlinkWatch& operator=(const NetlinkWatch&) = delete;

  // Opens a NETLINK_ROUTE socket on the link and IPv4/IPv6 address groups and starts
  // watching. kIo if it cannot (then changes go unnoticed; beacons still go out on their
  // timer). REQUIRES: not started yet.
  Status Start();
  // Stops watching; a call pending for a burst is not made. Final.
  void Stop();

  uint64_t changes_seen() const { return changes_seen_; }  // wake-ups that brought a change
  uint64_t calls() const { return calls_; }                // on_change calls made

 private:
  // The coroutines take `alive` as an argument: their bodies first run later, maybe after
  // this watch is gone.
  asio::awaitable<void> WatchLoop(std::shared_ptr<bool> alive);
  // Reads what is queued (bounded); true if any of it was a change from the kernel.
  bool Drain();
  void NoteChange();
  asio::awaitable<void> Debounce(std::shared_ptr<bool> alive);

  asio::io_context& io_;
  std::function<void()> on_change_;
  NetlinkDebounce debounce_times_;
  asio::posix::stream_descriptor socket_;
  asio::steady_timer debounce_;
  Bytes buffer_;  // kNetlinkReadBytes once the first datagram is read
  bool started_ = false;
  bool stopped_ = false;
  bool pending_ = false;  // a Debounce is waiting to call on_change_
  std::chrono::steady_clock::time_point burst_first_{};
  std::chrono::steady_clock::time_point burst_last_{};
  uint64_t changes_seen_ = 0;
  uint64_t calls_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NETLINK_WATCH_H_
