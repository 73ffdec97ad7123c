#include "daemon/net/framed_socket.h"

#include "daemon/net/address.h"
#include "daemon/peer/frames.h"

namespace accord::daemon {

FramedSocket::FramedSocket(asio::ip::tcp::socket socket)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()) {
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
}

FramedSocket::~FramedSocket() {
  *alive_ = false;
  Close();
}

asio::awaitable<bool> FramedSocket::ReadByte(uint8_t& byte) {
  std::error_code ec;
  co_await asio::async_read(socket_, asio::buffer(&byte, 1),
                            asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<bool> FramedSocket::ReadFrame(Bytes& payload, size_t min_bytes) {
  std::error_code ec;
  uint8_t header[peer::kFrameHeaderBytes];
  co_await asio::async_read(socket_, asio::buffer(header),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  const size_t length = static_cast<size_t>(header[0]) << 8 | header[1];
  if (length < min_bytes) {  // 65535 at most by construction: no allocation is peer-sized
    Close();
    co_return false;
  }
  payload.resize(length);
  co_await asio::async_read(socket_, asio::buffer(payload),
                            asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

void FramedSocket::Send(Bytes bytes) {
  if (!socket_.is_open()) return;
  outbox_.push_back(std::move(bytes));
  if (!writing_) WriteNext();
}

void FramedSocket::WriteNext() {
  if (outbox_.empty()) {
    writing_ = false;
    if (close_after_writes_) Close();
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [this, alive = alive_](std::error_code ec, size_t) {
                      if (!*alive) return;
                      if (ec) {
                        outbox_.clear();
                        writing_ = false;
                        Close();
                        return;
                      }
                      outbox_.pop_front();
                      WriteNext();
                    });
}

void FramedSocket::CloseAfterWrites() {
  close_after_writes_ = true;
  if (!writing_) Close();
}

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

std::string FramedSocket::remote() const {
  std::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  return ec ? "?" : EndpointString(endpoint);
}

}  // namespace accord::daemon
