// A raw peer for attacking a daemon's peer port from tests: a TCP connection with bounded
// reads, and Noise IK sessions built by hand (as a stranger, or as a device whose key file
// the test read). Test thread only; starting and pairing daemons is pact_fixture.h's job.
#ifndef ACCORD_TESTS_INTEGRATION_RAW_PEER_H_
#define ACCORD_TESTS_INTEGRATION_RAW_PEER_H_

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "accord/wire.pb.h"
#include "crypto/dh.h"
#include "crypto/random.h"
#include "daemon/peer/channel.h"
#include "daemon/peer/frames.h"
#include "daemon/peer/sync_handshake.h"
#include "daemon/peer/tai64n.h"

namespace accord::testing {

constexpr uint8_t kSyncType = 0x01;     // first byte of a sync connection (daemon/net)
constexpr uint8_t kPairingType = 0x02;  // first byte of a pairing connection
// Long enough for the daemon's 10 s handshake deadline to close a stalled connection too:
// a connection still open after this is a failure, not a slow machine.
constexpr int kCloseWaitSeconds = 20;  // seconds
constexpr int kReplyWaitSeconds = 10;  // seconds, for a reply the daemon must send

// A raw TCP connection to a daemon's peer port, with the bytes it received.
class Conn {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Conn(const std::string& address) {
    const size_t colon = address.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Conn() {
    if (fd_ >= 0) ::close(fd_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool closed() const { return closed_; }
  size_t received() const { return received_; }

  // False if the daemon already closed (a reset while we write counts as closed).
  bool Send(ByteView bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads whatever arrives for `ms` milliseconds, or until the daemon closes.
  void ReadFor(int ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (!closed_ && Clock::now() < deadline) ReadSome(deadline);
  }

  // Reads whatever arrives until the daemon closes or `seconds` pass.
  void ReadUntilClosed(int seconds = kCloseWaitSeconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (!closed_ && Clock::now() < deadline) ReadSome(deadline);
  }

  // The next whole frame payload, or nullopt on close or after `seconds`.
  std::optional<Bytes> ReadFrame(int seconds = kReplyWaitSeconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (true) {
      Result<std::optional<Bytes>> next = reader_.Next();
      if (!next.ok()) return std::nullopt;
      if (*next) return std::move(**next);
      if (closed_ || Clock::now() >= deadline) return std::nullopt;
      ReadSome(deadline);
    }
  }

 private:
  void ReadSome(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 0))) <= 0) return;
    uint8_t buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) {
      closed_ = true;  // FIN, or a reset when the daemon closed with our bytes unread
      return;
    }
    received_ += static_cast<size_t>(n);
    reader_.Feed(ByteView(buf, static_cast<size_t>(n)));
  }

  int fd_ = -1;
  bool closed_ = false;
  size_t received_ = 0;
  peer::FrameReader reader_{1};
};

inline Bytes RandomBytes(size_t n) {
  Bytes out(n);
  crypto::RandomBytes(out);
  return out;
}

inline peer::Tai64n Now() {
  return peer::Tai64nFromUnixNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

// The type byte, then msg1 as one frame.
inline Bytes SyncOpening(ByteView message1) {
  Bytes out = {kSyncType};
  AppendBytes(out, peer::EncodeFrame(message1));
  return out;
}

inline Bytes Serialize(const proto::PeerMessage& m) {
  std::string s = m.SerializeAsString();
  return Bytes(s.begin(), s.end());
}

inline proto::PeerMessage Hello() {
  proto::PeerMessage m;
  m.mutable_hello()->set_protocol(1);  // no heads: "I hold nothing", which is valid
  return m;
}

inline proto::PeerMessage EmptyBatch(uint64_t id) {
  proto::PeerMessage m;
  m.mutable_batch()->set_batch_id(id);
  m.mutable_batch()->set_total_behind(0);
  return m;
}

inline Bytes Message1(const crypto::DhKeyPair& me, const crypto::DhPublicKey& responder,
                      const log::PactId& pact) {
  Result<peer::SyncInitiator> hs = peer::SyncInitiator::Create(me, responder, pact);
  EXPECT_TRUE(hs.ok());
  if (!hs.ok()) return Bytes();
  Result<Bytes> m1 = hs->WriteMessage1(Now());
  EXPECT_TRUE(m1.ok());
  return m1.ok() ? *m1 : Bytes();
}

// A sync connection made by hand: `ok` once the step that built it succeeded.
struct RawSession {
  std::unique_ptr<Conn> conn;
  std::unique_ptr<peer::SecureChannel> channel;
  bool ok = false;

  bool Send(const proto::PeerMessage& m) {
    Result<Bytes> frame = channel->Seal(Serialize(m));
    return frame.ok() && conn->Send(*frame);
  }
  // The daemon's next message; nullopt on close or timeout (a frame that does not open
  // is a test failure: the daemon only sends what its channel sealed).
  std::optional<proto::PeerMessage> Read() {
    std::optional<Bytes> frame = conn->ReadFrame();
    if (!frame) return std::nullopt;
    Result<Bytes> plain = channel->Open(*frame);
    proto::PeerMessage m;
    if (!plain.ok() || !m.ParseFromArray(plain->data(), static_cast<int>(plain->size()))) {
      ADD_FAILURE() << "the daemon sent a frame that does not open";
      return std::nullopt;
    }
    return m;
  }
};

// The IK handshake with the daemon at `address` (static key `responder`) as `me`.
inline RawSession Handshake(const std::string& address, const crypto::DhPublicKey& responder,
                            const crypto::DhKeyPair& me, const log::PactId& pact) {
  RawSession out;
  Result<peer::SyncInitiator> hs = peer::SyncInitiator::Create(me, responder, pact);
  if (!hs.ok()) return out;
  Result<Bytes> m1 = hs->WriteMessage1(Now());
  out.conn = std::make_unique<Conn>(address);
  if (!m1.ok() || !out.conn->Send(SyncOpening(*m1))) return out;
  std::optional<Bytes> m2 = out.conn->ReadFrame();
  if (!m2) return out;
  Result<crypto::noise::TransportSession> transport = hs->ReadMessage2(*m2);
  if (!transport.ok()) return out;
  out.channel = std::make_unique<peer::SecureChannel>(std::move(*transport));
  out.ok = true;
  return out;
}

// The handshake, our Hello ("I hold nothing"), and the responder's whole initial round: its
// Hello and its batches up to the one with total_behind 0.
inline RawSession Established(const std::string& address, const crypto::DhPublicKey& responder,
                              const crypto::DhKeyPair& me, const log::PactId& pact) {
  RawSession out = Handshake(address, responder, me, pact);
  if (!out.ok) return out;
  out.ok = false;
  if (!out.Send(Hello())) return out;
  std::optional<proto::PeerMessage> hello = out.Read();
  if (!hello || !hello->has_hello()) return out;
  while (std::optional<proto::PeerMessage> m = out.Read()) {
    if (!m->has_batch()) return out;
    if (m->batch().total_behind() == 0) {
      out.ok = true;
      return out;
    }
  }
  return out;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_RAW_PEER_H_
