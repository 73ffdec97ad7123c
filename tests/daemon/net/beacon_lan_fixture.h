// Shared by the beacon socket tests on veth pairs (beacon_sockets_*_lan_test.cc): what a
// BeaconSockets hands on, a pktinfo probe, the links between two namespaces of the test's own,
// and opening a receiver and a sender there. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_NET_BEACON_LAN_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_NET_BEACON_LAN_FIXTURE_H_

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <compare>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "daemon/net/beacon_sockets.h"
#include "tests/daemon/net/netns.h"

namespace accord::daemon::beacon_lan {

using lan::Ip;
using std::chrono::milliseconds;
using Endpoint = asio::ip::udp::endpoint;

inline constexpr uint16_t kPort = 41643;
inline constexpr const char* kGroup = "ff12::a2ab";
inline constexpr int kFloodDatagrams = 3000;  // garbage datagrams sent at one receiver
inline constexpr int kFloodBatch = 100;       // sent before the receiver is let catch up

// What a BeaconSockets hands on.
struct Heard {
  std::vector<Endpoint> from;
  std::vector<Bytes> payloads;
  BeaconSockets::OnDatagramFn Recorder() {
    return [this](ByteView payload, const Endpoint& sender) {
      from.push_back(sender);
      payloads.emplace_back(payload.begin(), payload.end());
    };
  }
};

inline asio::ip::address V6(const char* text, unsigned scope) {
  asio::ip::address_v6 a = asio::ip::make_address_v6(text);
  a.scope_id(scope);
  return a;
}

inline std::multiset<asio::ip::address> Addresses(const std::vector<Endpoint>& endpoints) {
  std::multiset<asio::ip::address> out;
  for (const Endpoint& e : endpoints) out.insert(e.address());
  return out;
}

// A plain IPv4 socket on the beacon port that also reports each datagram's destination and
// arrival interface (IP_PKTINFO), to see which broadcast came in where.
class PktinfoProbe {
 public:
  struct Arrival {
    std::string destination;
    unsigned index;
    std::string source;
    auto operator<=>(const Arrival&) const = default;
  };

  explicit PktinfoProbe(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int on = 1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(port);
    ok_ = fd_ >= 0 && ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
          ::setsockopt(fd_, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) == 0 &&
          ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0;
  }
  ~PktinfoProbe() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return ok_; }

  std::multiset<Arrival> Drain() {
    std::multiset<Arrival> out;
    for (int i = 0; i < 1000; ++i) {
      uint8_t data[kMaxBeaconDatagramBytes];
      sockaddr_in from{};
      iovec iov{data, sizeof data};
      alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in_pktinfo))];
      msghdr m{};
      m.msg_name = &from;
      m.msg_namelen = sizeof from;
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      if (::recvmsg(fd_, &m, 0) < 0) break;
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) continue;
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        out.insert({asio::ip::address_v4(ntohl(info.ipi_addr.s_addr)).to_string(),
                    static_cast<unsigned>(info.ipi_ifindex),
                    asio::ip::address_v4(ntohl(from.sin_addr.s_addr)).to_string()});
      }
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

// Sender namespace: va 10.99.0.1 fe80::1 and vc 10.99.1.1 fe80::3; receiver namespace: their
// peers vb 10.99.0.2 fe80::2 and vd 10.99.1.2 fe80::4. Run in the sender's namespace.
inline void MakeTwoLinks(const std::string& receiver_ns, bool second_link = true) {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(Ip("-n " + receiver_ns + " link set lo up"));
  ASSERT_TRUE(lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"},
                               {"vb", "10.99.0.2/24", "fe80::2/64"}, receiver_ns));
  if (!second_link) return;
  ASSERT_TRUE(lan::AddVethPair({"vc", "10.99.1.1/24", "fe80::3/64"},
                               {"vd", "10.99.1.2/24", "fe80::4/64"}, receiver_ns));
}

// One namespace: va 10.99.0.1 fe80::1 and its peer vb 10.99.0.2 fe80::2.
inline void MakeOneLink() {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(
      lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"}, {"vb", "10.99.0.2/24", "fe80::2/64"}));
}

// In the sender's namespace, after MakeTwoLinks: opens `receiver` (recording into `heard`) in
// the receiver's namespace first — sockets stay in the namespace they were made in — then
// `sender` back in the sender's.
inline void OpenPair(BeaconSockets& receiver, Heard& heard, BeaconSockets& sender,
                     const std::string& receiver_ns, const std::string& sender_ns) {
  ASSERT_TRUE(lan::EnterNetns(receiver_ns));
  receiver.OnDatagram(heard.Recorder());
  ASSERT_TRUE(receiver.Open().ok());
  ASSERT_TRUE(lan::EnterNetns(sender_ns));
  ASSERT_TRUE(sender.Open().ok());
}

// The receiver's own IPv4 socket, found by its bound port: the only way to make the kernel
// report a receive error to it (IP_RECVERR) without a hook in the class.
inline int FindIpv4SocketOn(uint16_t port) {
  for (int fd = 3; fd < 1024; ++fd) {
    sockaddr_in local{};
    socklen_t length = sizeof local;
    int type = 0;
    socklen_t type_length = sizeof type;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) continue;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0) continue;
    if (local.sin_family == AF_INET && type == SOCK_DGRAM && ntohs(local.sin_port) == port)
      return fd;
  }
  return -1;
}

}  // namespace accord::daemon::beacon_lan

#endif  // ACCORD_TESTS_DAEMON_NET_BEACON_LAN_FIXTURE_H_
