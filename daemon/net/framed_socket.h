// A TCP connection that reads and writes 2-byte-length frames (docs/transport.md), with a
// deadline that closes it, and a write queue. Daemon thread only; the protocols on top
// (sync, pairing) own what the frames mean.
#ifndef ACCORD_DAEMON_NET_FRAMED_SOCKET_H_
#define ACCORD_DAEMON_NET_FRAMED_SOCKET_H_

#include <asio.hpp>
#include <chrono>
#include <deque>
#include <memory>

#include "base/bytes.h"

namespace accord::daemon {

constexpr uint8_t kConnectionSync = 0x01;              // first byte of a sync connection
constexpr uint8_t kConnectionPairing = 0x02;           // first byte of a pairing connection
constexpr std::chrono::seconds kHandshakeTimeout{10};  // handshake must finish in this time
constexpr std::chrono::seconds kFirstByteTimeout{2};   // an inbound connection's type byte

class FramedSocket {
 public:
  explicit FramedSocket(asio::ip::tcp::socket socket);
  ~FramedSocket();

  // Reads one frame of at least `min_bytes` payload bytes. Returns false on close, error,
  // deadline, or a length below the minimum (then the socket is closed).
  asio::awaitable<bool> ReadFrame(Bytes& payload, size_t min_bytes);
  asio::awaitable<bool> ReadByte(uint8_t& byte);
  // Queues raw bytes (an encoded frame, or the connection-type byte).
  void Send(Bytes bytes);
  void CloseAfterWrites();
  void Close();
  bool is_open() const { return socket_.is_open(); }
  // Bytes have arrived that no read has taken yet.
  bool unread_bytes_waiting() const {
    std::error_code ec;
    return socket_.is_open() && socket_.available(ec) > 0 && !ec;
  }

  // Closes the socket when `after` passes, unless re-armed or cancelled.
  void ArmDeadline(std::chrono::steady_clock::duration after);
  void CancelDeadline();

  asio::ip::tcp::socket& socket() { return socket_; }
  std::string remote() const;

 private:
  void WriteNext();

  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_;
  std::deque<Bytes> outbox_;
  bool writing_ = false;
  bool close_after_writes_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_FRAMED_SOCKET_H_
