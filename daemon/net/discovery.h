// Discovery: this daemon's beacons on the home network (SPEC §5, SECURITY §3.2 and §7.2).
// Sends sealed beacons at start, on every address change and every 45 s ± 20 %; hears the
// pact's devices and tells PeerManager at once; sends pairing beacons while an invitation is
// open and finds an inviter for a joiner. Daemon thread only. Dialing is PeerManager's; the
// codecs are daemon/discovery (pure).
#ifndef ACCORD_DAEMON_NET_DISCOVERY_H_
#define ACCORD_DAEMON_NET_DISCOVERY_H_

#include <array>
#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/discovery/beacon.h"
#include "daemon/discovery/pairing_beacon.h"
#include "daemon/discovery/source_limiter.h"
#include "daemon/net/beacon_sockets.h"
#include "daemon/net/netlink_watch.h"
#include "daemon/node/node.h"

namespace accord::daemon {

constexpr std::chrono::seconds kPairingListen{12};          // a joiner waits this long for a beacon
constexpr std::chrono::milliseconds kCollisionGrace{2500};  // ...and this long for a second
constexpr std::chrono::seconds kNameplateMemory{60};        // heard nameplates count as in use

class Discovery {
 public:
  using DevicePrefix = std::array<uint8_t, 8>;
  // A beacon of a pact device (by the first bytes of its key) that asks to be dialed at
  // `address` (HOST:PORT as the beacon came, the port from inside the beacon).
  using HeardDevice = std::function<void(const DevicePrefix& device, const std::string& address)>;
  using FoundInviter = std::function<void(discovery::InviterChoice choice)>;

  // What `accord doctor` reports.
  struct Report {
    bool enabled = false;
    std::string beacon_socket_error;   // empty when bound
    std::string pairing_socket_error;  // empty when bound
    uint64_t beacons_sent = 0;
    uint64_t send_errors = 0;
    int64_t own_beacon_heard_ms = 0;  // 0: never (our own beacons coming back from the LAN)
    struct Heard {
      int64_t last_ms = 0;
      std::string address;
    };
    std::map<DevicePrefix, Heard> heard;  // by device prefix
  };

  Discovery(asio::io_context& io, Node& node, bool enabled);
  ~Discovery();

  // Binds the beacon ports and starts beaconing (once the device has an identity). Failing
  // to bind is reported (log, doctor), not fatal: remembered addresses still work.
  void Start(uint16_t tcp_port, HeardDevice heard, std::function<void()> network_changed);
  void Stop();
  bool enabled() const { return enabled_; }

  // Sends a beacon now (after `init`, after joining a pact).
  void BeaconNow();

  // Pairing beacons while an invitation is open. A nameplate for it, not heard on the LAN.
  uint32_t FreeNameplate();
  void OpenPairing(uint32_t nameplate);
  void ClosePairing();
  // Listens for the inviter's pairing beacon with `nameplate`; `found` is called once on the
  // daemon thread: kOne as soon as no second invitation is heard within kCollisionGrace,
  // kAmbiguous for two, kNone after kPairingListen.
  void FindInviter(uint32_t nameplate, FoundInviter found);

  Report report() const;

 private:
  struct Search;

  asio::awaitable<void> BeaconLoop();
  void SendBeacon();
  void SendPairingBeacon();
  void OnBeacon(ByteView payload, const asio::ip::udp::endpoint& from);
  void OnPairingBeacon(ByteView payload, const asio::ip::udp::endpoint& from);
  void OnNetworkChange();
  void FinishSearch(discovery::InviterChoice choice);

  asio::io_context& io_;
  Node& node_;
  bool enabled_;
  uint16_t tcp_port_ = 0;
  uint64_t instance_ = 0;  // random per start: our own beacons are told apart by it
  HeardDevice heard_;
  std::function<void()> network_changed_;
  BeaconSockets beacons_;
  BeaconSockets pairing_;
  NetlinkWatch netlink_;
  asio::steady_timer beacon_timer_;
  asio::steady_timer pairing_timer_;
  discovery::SourceLimiter beacon_limiter_;
  discovery::SourceLimiter pairing_limiter_;
  discovery::SourceLimiter all_beacons_;
  discovery::ReplayWindow replays_;
  Report report_;
  std::optional<discovery::PairingBeacon> open_pairing_;  // ours, while an invite is open
  std::map<uint32_t, std::chrono::steady_clock::time_point> heard_nameplates_;
  std::map<DevicePrefix, uint64_t> instances_;  // the last instance heard of each device
  std::chrono::steady_clock::time_point last_answer_{};
  std::unique_ptr<Search> search_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_DISCOVERY_H_
