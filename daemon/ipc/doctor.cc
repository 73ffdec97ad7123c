#include "daemon/ipc/doctor.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "daemon/discovery/beacon.h"
#include "daemon/net/address.h"

namespace accord::daemon {
namespace {

using proto::CHECK_RESULT_FAILED;
using proto::CHECK_RESULT_OK;
using proto::CHECK_RESULT_WARNING;

const std::string kBeaconPortText = std::to_string(discovery::kBeaconPort);

void Add(proto::DoctorResponse& out, std::string name, proto::CheckResult result,
         std::string detail, std::string fix = "") {
  proto::DoctorCheck* c = out.add_checks();
  c->set_name(std::move(name));
  c->set_result(result);
  c->set_detail(std::move(detail));
  c->set_fix(std::move(fix));
}

std::string Ago(int64_t now_ms, int64_t then_ms) {
  const int64_t s = std::max<int64_t>(0, (now_ms - then_ms) / 1000);
  return s < 120 ? std::to_string(s) + " s ago" : std::to_string(s / 60) + " min ago";
}

std::string JoinAll(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

bool IsLoopbackAddress(const std::string& host_port) {
  return host_port.rfind("127.", 0) == 0 || host_port.rfind("[::1]", 0) == 0;
}

// "Bob's device 3f2a9c01" for check names: whose it is, and which one.
std::string DeviceLabel(const proto::PeerView& peer) {
  return peer.name() + "'s device " + peer.device_key().substr(0, 8);
}

std::string UserName() {
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) return pw->pw_name;
  return "$USER";
}

void SystemChecks(proto::DoctorResponse& out) {
  const char* invocation = std::getenv("INVOCATION_ID");  // set by systemd for its units
  if (invocation && *invocation) {
    Add(out, "systemd", CHECK_RESULT_OK, "accordd was started by systemd");
  } else {
    bool unit = false;
    std::vector<std::filesystem::path> dirs = {"/usr/lib/systemd/user",
                                               "/usr/local/lib/systemd/user", "/etc/systemd/user"};
    if (const char* home = std::getenv("HOME"))
      dirs.push_back(std::filesystem::path(home) / ".config/systemd/user");
    std::error_code ec;
    for (const auto& d : dirs) unit = unit || std::filesystem::exists(d / "accordd.service", ec);
    if (unit) {
      Add(out, "systemd", CHECK_RESULT_WARNING, "accordd was not started by systemd",
          "systemctl --user enable --now accordd");
    } else {
      Add(out, "systemd", CHECK_RESULT_WARNING,
          "the accordd user unit is not installed (packaging is not built yet): the daemon "
          "starts only when you run it",
          "run accordd at login yourself until the package exists");
    }
  }
  std::error_code ec;
  const std::string user = UserName();
  if (std::filesystem::exists(std::filesystem::path("/var/lib/systemd/linger") / user, ec)) {
    Add(out, "lingering", CHECK_RESULT_OK, "on: accordd keeps running after you log out");
  } else {
    Add(out, "lingering", CHECK_RESULT_WARNING,
        "off: accordd stops when you log out, and partners sync only while you are logged in",
        "loginctl enable-linger " + user);
  }
}

// The probes of remembered addresses of devices not connected now: each TCP connect is
// bounded by kProbeTimeout; `done` runs when the last one ends.
struct Probes : std::enable_shared_from_this<Probes> {
  struct Device {
    proto::PeerView peer;
    std::vector<std::string> addresses;
    std::vector<std::string> answering;
  };
  asio::io_context& io;
  proto::DoctorResponse out;
  std::vector<Device> devices;
  std::vector<proto::DoctorCheck> tail;  // checks that go after the address checks
  std::function<void(proto::DoctorResponse)> done;
  size_t pending = 0;

  explicit Probes(asio::io_context& io_context) : io(io_context) {}

  void Run() {
    for (size_t d = 0; d < devices.size(); ++d)
      for (const std::string& a : devices[d].addresses) {
        ++pending;
        asio::co_spawn(io, Probe(d, a), asio::detached);
      }
    if (pending == 0) Finish();
  }

  asio::awaitable<void> Probe(size_t device, std::string address) {
    auto self = shared_from_this();
    Result<HostPort> hp = ParseHostPort(address);
    if (hp.ok()) {
      Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io, *hp);
      if (endpoints.ok()) {
        asio::ip::tcp::socket socket(io);
        asio::steady_timer limit(io, kProbeTimeout);
        limit.async_wait([&socket](std::error_code e) {
          if (!e) socket.close();
        });
        std::error_code ec;
        co_await asio::async_connect(socket, *endpoints,
                                     asio::redirect_error(asio::use_awaitable, ec));
        limit.cancel();
        if (!ec) devices[device].answering.push_back(address);
        socket.close(ec);
      }
    }
    if (--pending == 0) Finish();
  }

  void Finish() {
    for (const Device& d : devices) {
      const std::string name = "addresses of " + DeviceLabel(d.peer);
      if (!d.answering.empty()) {
        Add(out, name, CHECK_RESULT_OK,
            "not connected, but " + JoinAll(d.answering) + " answers (the sync connection " +
                "will follow)");
      } else {
        Add(out, name, CHECK_RESULT_FAILED,
            "not connected, and no remembered address answers (" + JoinAll(d.addresses) + ")",
            "start accordd on that device; on another network, it is found by beacon once "
            "both are on one network again");
      }
    }
    for (proto::DoctorCheck& c : tail) *out.add_checks() = std::move(c);
    done(std::move(out));
  }
};

}  // namespace

void RunDoctor(Node& node, PeerManager& peers, std::function<void(proto::DoctorResponse)> done) {
  auto probes = std::make_shared<Probes>(peers.io());
  probes->done = std::move(done);
  proto::DoctorResponse& out = probes->out;
  const int64_t now = node.NowMs();
  Add(out, "daemon", CHECK_RESULT_OK, "accordd answers (pid " + std::to_string(::getpid()) + ")");
  if (!node.has_identity()) {
    Add(out, "identity", CHECK_RESULT_WARNING, "no identity yet", "accord init --name NAME");
  }

  const std::vector<std::string> listening = peers.ListenAddresses();
  const std::string port = std::to_string(peers.listen_port());
  bool lan_listening = false;
  for (const std::string& a : listening) lan_listening = lan_listening || !IsLoopbackAddress(a);
  if (listening.empty()) {
    Add(out, "listening", CHECK_RESULT_FAILED, "accordd does not listen for partners",
        "restart accordd without --listen");
  } else if (!lan_listening) {
    Add(out, "listening", CHECK_RESULT_WARNING,
        "on " + JoinAll(listening) + " only: partners on the network cannot reach it",
        "restart accordd without --listen (it then listens on every interface)");
  } else {
    Add(out, "listening", CHECK_RESULT_OK, JoinAll(listening));
  }

  std::vector<proto::PeerView> views = peers.Peers();
  const PeerManager::Health health = peers.health();
  if (views.empty() && node.has_identity()) {
    Add(out, "partner", CHECK_RESULT_WARNING, "no partner paired yet",
        "accord invite here, then accord join CODE on your partner's machine");
  }
  if (!views.empty() && lan_listening) {
    if (health.last_inbound_lan_ms > 0) {
      Add(out, "TCP port " + port + " from the network", CHECK_RESULT_OK,
          "a partner device connected to it " + Ago(now, health.last_inbound_lan_ms));
    } else {
      Add(out, "TCP port " + port + " from the network", CHECK_RESULT_WARNING,
          "no partner device has connected to this port from the network yet (this device "
          "may have dialed them first)",
          "if your partner cannot connect, allow the port in the firewall: sudo nft add rule "
          "inet filter input tcp dport " +
              port + " accept (or: sudo ufw allow " + port + "/tcp)");
    }
  }

  const Discovery::Report beacons = peers.discovery().report();
  if (!beacons.enabled) {
    Add(out, "beacons", CHECK_RESULT_WARNING,
        "LAN discovery is off (accordd --no-discovery): partners are found only at remembered "
        "or --peer addresses",
        "restart accordd without --no-discovery");
  } else if (!beacons.beacon_socket_error.empty()) {
    Add(out, "beacon port " + kBeaconPortText, CHECK_RESULT_FAILED, beacons.beacon_socket_error,
        "another program holds UDP port " + kBeaconPortText +
            ": find it with ss -ulpn 'sport = :" + kBeaconPortText + "'");
  } else {
    Add(out, "beacon port " + kBeaconPortText, CHECK_RESULT_OK, "bound (UDP, IPv4 and IPv6)");
    if (node.has_identity()) {
      const std::string sent = std::to_string(beacons.beacons_sent) + " sent, " +
                               std::to_string(beacons.send_errors) + " send errors";
      if (beacons.own_beacon_heard_ms > 0 &&
          now - beacons.own_beacon_heard_ms < std::chrono::milliseconds(kBeaconsRecent).count()) {
        Add(out, "own beacons", CHECK_RESULT_OK,
            sent + "; the last one came back from the network " +
                Ago(now, beacons.own_beacon_heard_ms));
      } else {
        Add(out, "own beacons", CHECK_RESULT_FAILED,
            sent +
                "; none came back in the last 2 minutes: broadcast or multicast is blocked "
                "on this host (a firewall) or no interface is up",
            "allow UDP port " + kBeaconPortText +
                " broadcast and multicast in and out (sudo nft "
                "add rule inet filter input udp dport " +
                kBeaconPortText + " accept); check ip addr");
      }
    }
  }

  for (const proto::PeerView& peer : views) {
    std::optional<Bytes> key = FromHex(peer.device_key());
    Discovery::DevicePrefix prefix{};
    if (key && key->size() >= prefix.size())
      std::copy_n(key->begin(), prefix.size(), prefix.begin());
    if (beacons.enabled && beacons.beacon_socket_error.empty()) {
      auto heard = beacons.heard.find(prefix);
      const std::string name = "beacons from " + DeviceLabel(peer);
      if (heard != beacons.heard.end() &&
          now - heard->second.last_ms < std::chrono::milliseconds(kBeaconsRecent).count()) {
        Add(out, name, CHECK_RESULT_OK,
            "heard " + Ago(now, heard->second.last_ms) + " from " + heard->second.address);
      } else {
        Add(out, name, CHECK_RESULT_FAILED,
            "no beacon heard from it in the last 2 minutes" +
                (heard != beacons.heard.end()
                     ? " (the last " + Ago(now, heard->second.last_ms) + ")"
                     : std::string()),
            "check that accordd runs on that device and that this network passes UDP "
            "broadcast and multicast on port " +
                kBeaconPortText +
                " (guest Wi-Fi often does not); remembered addresses still connect you");
      }
    }
    std::vector<std::string> remembered;
    if (key && key->size() == log::DeviceKey{}.size()) {
      log::DeviceKey device{};
      std::copy(key->begin(), key->end(), device.begin());
      auto r = health.remembered.find(device);
      if (r != health.remembered.end()) remembered = r->second;
      auto skew = health.clock_skew_ms.find(device);
      if (skew != health.clock_skew_ms.end()) {
        const int64_t off = skew->second;
        const int64_t abs_s = (off < 0 ? -off : off) / 1000;
        const std::string detail = "its clock is " + std::to_string(abs_s) + " s " +
                                   (off < 0 ? "behind" : "ahead of") + " this one";
        proto::DoctorCheck c;
        c.set_name("clock of " + DeviceLabel(peer));
        c.set_detail(detail);
        if (abs_s >= std::chrono::seconds(kSkewFailure).count()) {
          c.set_result(CHECK_RESULT_FAILED);
          c.set_fix("turn on network time on both machines (timedatectl set-ntp true)");
        } else if (abs_s >= kSkewWarning.count()) {
          c.set_result(CHECK_RESULT_WARNING);
          c.set_fix("turn on network time on both machines (timedatectl set-ntp true)");
        } else {
          c.set_result(CHECK_RESULT_OK);
        }
        probes->tail.push_back(std::move(c));
      }
    }
    const std::string addresses_name = "addresses of " + DeviceLabel(peer);
    if (peer.state() == proto::PEER_STATE_CONNECTED) {
      Add(out, addresses_name, CHECK_RESULT_OK,
          "connected" + (peer.address().empty() ? std::string() : " at " + peer.address()) +
              (remembered.empty() ? std::string() : "; remembered: " + JoinAll(remembered)));
    } else if (remembered.empty()) {
      Add(out, addresses_name, CHECK_RESULT_WARNING,
          "not connected, and no address remembered yet (it is found by beacon or --peer)");
    } else {
      probes->devices.push_back(Probes::Device{peer, remembered, {}});
    }
  }
  proto::DoctorResponse system;
  SystemChecks(system);
  for (proto::DoctorCheck& c : *system.mutable_checks()) probes->tail.push_back(std::move(c));
  probes->Run();
}

}  // namespace accord::daemon
