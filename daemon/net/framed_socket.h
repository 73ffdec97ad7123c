// A TCP connection that reads 2-byte-length frames through peer::FrameReader and writes
// through a WriteQueue (docs/transport.md), with a deadline that closes it. Daemon thread
// only; the protocols on top (sync, pairing) own what the frames mean.
#ifndef ACCORD_DAEMON_NET_FRAMED_SOCKET_H_
#define ACCORD_DAEMON_NET_FRAMED_SOCKET_H_

#include <asio.hpp>
#include <chrono>
#include <memory>

#include "base/bytes.h"
#include "daemon/net/write_queue.h"
#include "daemon/peer/frames.h"

namespace accord::daemon {

constexpr uint8_t kConnectionSync = 0x01;               // first byte of a sync connection
constexpr uint8_t kConnectionPairing = 0x02;            // first byte of a pairing connection
constexpr std::chrono::seconds kHandshakeTimeout{10};   // handshake must finish in this time
constexpr std::chrono::seconds kUnackedDataTimeout{8};  // TCP_USER_TIMEOUT of every peer socket
constexpr std::chrono::seconds kFirstByteTimeout{2};    // an inbound connection's type byte
// bytes asked of the socket per read: one whole frame can arrive in a single read
constexpr size_t kPeerReadChunkBytes = peer::kFrameHeaderBytes + peer::kMaxFrameBytes;

class FramedSocket {
 public:
  explicit FramedSocket(asio::ip::tcp::socket socket);
  ~FramedSocket();

  // Reads one frame of at least `min_bytes` payload bytes. Returns false on close, error,
  // deadline, or a length below the minimum (then the socket is closed). Bytes that arrive
  // beyond the frame wait in the reader for the next call.
  asio::awaitable<bool> ReadFrame(Bytes& payload, size_t min_bytes);
  // Reads one byte ahead of the frames (the connection-type byte). It never reads further
  // than that byte, so the socket can still be handed on bare (socket()) after it.
  asio::awaitable<bool> ReadByte(uint8_t& byte);
  // Queues raw bytes (an encoded frame, or the connection-type byte).
  void Send(Bytes bytes);
  void CloseAfterWrites();
  void Close();
  bool is_open() const { return socket_.is_open(); }
  // Bytes have arrived that no read has taken yet.
  bool unread_bytes_waiting() const {
    std::error_code ec;
    return socket_.is_open() && (reader_.buffered() > 0 || (socket_.available(ec) > 0 && !ec));
  }

  // Closes the socket when `after` passes, unless re-armed or cancelled.
  void ArmDeadline(std::chrono::steady_clock::duration after);
  void CancelDeadline();

  // To hand the connection on bare. REQUIRES: no ReadFrame yet (its reader may hold bytes
  // read ahead, which would stay here).
  asio::ip::tcp::socket& socket() { return socket_; }
  std::string remote() const;
  // The local address the connection is bound to (unspecified if it cannot be read).
  asio::ip::address local_address() const;
  asio::ip::address remote_address() const;  // unspecified if it cannot be read

 private:
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_;
  peer::FrameReader reader_;
  Bytes chunk_;  // kPeerReadChunkBytes once the first frame is read
  WriteQueue<asio::ip::tcp::socket> writes_{socket_, [this] { Close(); }};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_FRAMED_SOCKET_H_
