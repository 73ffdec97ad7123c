#include "daemon/net/framed_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "daemon/net/address.h"
#include "daemon/peer/frames.h"

namespace accord::daemon {

FramedSocket::FramedSocket(asio::ip::tcp::socket socket)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()) {
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  // Data unacknowledged this long means the path is gone (a partition, a peer that moved):
  // the connection fails and is redialed, rather than waiting out TCP's retransmission
  // backoff, which grows to minutes.
  const unsigned timeout_ms = static_cast<unsigned>(kUnackedDataTimeout.count());
  ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout_ms,
               sizeof timeout_ms);
}

FramedSocket::~FramedSocket() {
  *alive_ = false;
  Close();
}

asio::awaitable<bool> FramedSocket::ReadByte(uint8_t& byte) {
  if (std::optional<uint8_t> buffered = reader_.TakeByte()) {
    byte = *buffered;
    co_return true;
  }
  std::error_code ec;
  co_await asio::async_read(socket_, asio::buffer(&byte, 1),
                            asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<bool> FramedSocket::ReadFrame(Bytes& payload, size_t min_bytes) {
  reader_.set_min_frame_bytes(min_bytes);
  if (chunk_.empty()) chunk_.resize(kPeerReadChunkBytes);
  bool waited = false;
  while (true) {
    // The reader sizes nothing by the peer's length: memory follows the bytes that came.
    Result<std::optional<Bytes>> next = reader_.Next();
    if (!next.ok()) {  // a length below the minimum: the stream cannot be trusted further
      Close();
      co_return false;
    }
    if (next->has_value()) {
      payload = std::move(**next);
      co_return true;
    }
    std::error_code ec;
    size_t n = 0;
    if (waited && socket_.available(ec) > 0 && !ec) {
      // The rest of a frame that has already arrived is taken now, not after another turn
      // through the io_context's queue (behind a batch being stored): a sender whose frames
      // are read a piece per turn is held back by its TCP window.
      n = socket_.read_some(asio::buffer(chunk_), ec);
    } else {
      n = co_await socket_.async_read_some(asio::buffer(chunk_),
                                           asio::redirect_error(asio::use_awaitable, ec));
      waited = true;
    }
    if (ec) co_return false;
    reader_.Feed(ByteView(chunk_.data(), n));
  }
}

void FramedSocket::Send(Bytes bytes) { writes_.Push(std::move(bytes)); }

void FramedSocket::CloseAfterWrites() { writes_.CloseAfterWrites(); }

void FramedSocket::Close() {
  std::error_code ignored;
  deadline_.cancel();
  if (!socket_.is_open()) return;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void FramedSocket::ArmDeadline(std::chrono::steady_clock::duration after) {
  deadline_.expires_after(after);
  deadline_.async_wait([this, alive = alive_](std::error_code ec) {
    if (!ec && *alive) Close();
  });
}

void FramedSocket::CancelDeadline() { deadline_.cancel(); }

asio::ip::address FramedSocket::local_address() const {
  std::error_code ec;
  auto endpoint = socket_.local_endpoint(ec);
  return ec ? asio::ip::address() : endpoint.address();
}

asio::ip::address FramedSocket::remote_address() const {
  std::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  return ec ? asio::ip::address() : endpoint.address();
}

std::string FramedSocket::remote() const {
  std::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  return ec ? "?" : EndpointString(endpoint);
}

}  // namespace accord::daemon
