#include "daemon/ipc/ipc_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "base/frame.h"
#include "crypto/key_file.h"
#include "daemon/logging.h"

namespace accord::daemon {

namespace {

using asio::local::stream_protocol;

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// Longer than Asio's own cap on an idle reactor's sleep (5 minutes): see ParkIdleDeadline.
constexpr std::chrono::hours kParkedDeadline{24};

// Only the daemon's own user may talk to it (SECURITY §8: other accounts never can).
bool PeerIsSameUser(stream_protocol::socket& socket) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return false;
  }
  return cred.uid == ::geteuid();
}

}  // namespace

IpcSession::IpcSession(stream_protocol::socket socket, Dispatcher& dispatcher,
                       std::chrono::milliseconds idle_timeout)
    : socket_(std::move(socket)),
      dispatcher_(dispatcher),
      idle_timeout_(idle_timeout),
      idle_deadline_(socket_.get_executor()) {
  writes_.set_refill([this] { return NextPulled(); });
}

void IpcSession::ArmIdleDeadline() {
  idle_deadline_.expires_after(idle_timeout_);
  idle_deadline_.async_wait([weak = weak_from_this()](std::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || !self->awaiting_request_) return;
    LogDebug("ipc: closed a connection that sent no whole request in time");
    self->Close();
  });
}

void IpcSession::ParkIdleDeadline() {
  // Not cancel(): Asio's epoll reactor does not reprogram its timerfd when a timer is
  // cancelled (epoll_reactor::cancel_timer), so the kernel would still wake the daemon when
  // the cancelled deadline was due, a minute after every request. A far-off wait in its
  // place reprograms it when no other timer is pending (an idle daemon): the reactor's own
  // cap (5 minutes) then comes first. With other timers pending (a peer's keepalive, a
  // dial backoff) the next of them is what wakes it anyway.
  idle_deadline_.expires_after(kParkedDeadline);
  idle_deadline_.async_wait([](std::error_code) {});
}

void IpcSession::Start() {
  ArmIdleDeadline();  // from the connection to its first whole request
  asio::co_spawn(
      socket_.get_executor(), [self = shared_from_this()] { return self->ReadLoop(); },
      [](std::exception_ptr e) {
        if (e) LogError("ipc session ended by an unexpected exception");
      });
}

asio::awaitable<void> IpcSession::ReadLoop() {
  auto self = shared_from_this();
  std::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  while (socket_.is_open()) {
    uint8_t header[kFrameHeaderBytes];
    // Between requests nothing is timed (a watch or a waiting invite is quiet on purpose);
    // once a request has begun, it must be whole within the idle timeout.
    co_await asio::async_read(socket_, asio::buffer(header, 1), token);
    if (ec) break;
    if (!awaiting_request_) {
      awaiting_request_ = true;
      ArmIdleDeadline();
    }
    co_await asio::async_read(socket_, asio::buffer(header + 1, kFrameHeaderBytes - 1), token);
    if (ec) break;  // closed, or truncated frame header
    Result<uint32_t> length = DecodeFrameLength(header);
    if (!length.ok()) {
      SendError(length.code(), "bad request frame: " + length.error().message);
      CloseAfterWrites();
      break;
    }
    // The declared length is only a limit: memory follows the bytes that actually came.
    std::string payload;
    while (!ec && payload.size() < *length) {
      const size_t have = payload.size();
      const size_t chunk = std::min<size_t>(kIpcReadChunkBytes, *length - have);
      payload.resize(have + chunk);
      const size_t n =
          co_await socket_.async_read_some(asio::buffer(payload.data() + have, chunk), token);
      payload.resize(have + n);
    }
    if (ec) break;  // truncated frame: nothing to answer
    awaiting_request_ = false;
    ParkIdleDeadline();
    proto::Request request;
    if (!request.ParseFromString(payload)) {
      // proto3 refuses a string field that is not valid UTF-8 here (libprotobuf's own line
      // about it goes to our log: RouteProtobufLogs).
      SendError(ErrorCode::kInvalidArgument,
                "request does not parse: text that is not valid UTF-8, or accord and accordd "
                "of different versions");
      CloseAfterWrites();
      break;
    }
    // Checked once here, for every command: a client of another version may mean something
    // else by the same fields, so nothing it asks is done, and the connection closes.
    if (request.protocol() != kIpcProtocolVersion) {
      SendError(ErrorCode::kInvalidArgument,
                "accord speaks IPC protocol " + std::to_string(request.protocol()) +
                    ", accordd speaks " + std::to_string(kIpcProtocolVersion) +
                    ": use the same version of both");
      CloseAfterWrites();
      break;
    }
    dispatcher_.Handle(request, self);
  }
  if (!writes_.closing()) Close();
}

namespace {

Bytes ResponseFrame(const proto::Response& response) {
  std::string payload;
  if (!response.SerializeToString(&payload) || payload.size() > kMaxIpcFrameBytes) {
    LogError("response too large to send");
    proto::Response error;
    error.mutable_error()->set_code(proto::TOO_LARGE);
    error.mutable_error()->set_message("response too large; try --out FILE or a narrower query");
    error.SerializeToString(&payload);
  }
  return EncodeFrame(AsBytes(payload));
}

}  // namespace

void IpcSession::Send(const proto::Response& response) {
  if (!socket_.is_open()) return;
  if (!pulls_.empty()) {  // answers keep request order, behind a pulled one still going
    pulls_.push_back([response, sent = false]() mutable -> std::optional<proto::Response> {
      if (sent) return std::nullopt;
      sent = true;
      return response;
    });
    return;
  }
  writes_.Push(ResponseFrame(response), shared_from_this());
}

void IpcSession::SendPulled(Pull next) {
  if (!socket_.is_open()) return;
  pulls_.push_back(std::move(next));
  writes_.Resume(shared_from_this());
}

std::optional<Bytes> IpcSession::NextPulled() {
  while (!pulls_.empty()) {
    std::optional<proto::Response> next = pulls_.front()();
    if (next) return ResponseFrame(*next);
    pulls_.pop_front();
  }
  return std::nullopt;
}

void IpcSession::SendError(ErrorCode code, const std::string& message) {
  proto::Response response;
  response.mutable_error()->set_code(static_cast<proto::ErrorCode>(code));
  response.mutable_error()->set_message(message);
  Send(response);
}

void IpcSession::CloseAfterWrites() { writes_.CloseAfterWrites(); }

void IpcSession::Close() {
  pulls_.clear();
  std::error_code ignored;
  awaiting_request_ = false;
  idle_deadline_.cancel();
  socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

IpcServer::IpcServer(asio::io_context& io, std::filesystem::path path, Dispatcher& dispatcher,
                     IpcLimits limits)
    : acceptor_(io), path_(std::move(path)), dispatcher_(dispatcher), limits_(limits) {}

IpcServer::~IpcServer() { Stop(); }

Result<std::unique_ptr<IpcServer>> IpcServer::Listen(asio::io_context& io,
                                                     const std::filesystem::path& socket_dir,
                                                     const std::filesystem::path& socket,
                                                     Dispatcher& dispatcher, IpcLimits limits) {
  ACCORD_RETURN_IF_ERROR(crypto::EnsurePrivateDir(socket_dir));
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(socket))) {
    stream_protocol::socket probe(io);
    probe.connect(stream_protocol::endpoint(socket.native()), ec);
    if (!ec) {
      return MakeError(ErrorCode::kAlreadyExists,
                       "another accordd is already serving " + socket.native());
    }
    std::filesystem::remove(socket, ec);
  }
  std::unique_ptr<IpcServer> server(new IpcServer(io, socket, dispatcher, limits));
  auto& acceptor = server->acceptor_;
  acceptor.open(stream_protocol(), ec);
  if (!ec) acceptor.bind(stream_protocol::endpoint(socket.native()), ec);
  if (!ec && ::chmod(socket.c_str(), 0600) != 0)
    ec = std::error_code(errno, std::generic_category());
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot listen on " + socket.native() + ": " + ec.message());
  }
  asio::co_spawn(io, server->AcceptLoop(), [](std::exception_ptr e) {
    if (e) LogError("ipc accept loop ended by an unexpected exception");
  });
  return server;
}

asio::awaitable<void> IpcServer::AcceptLoop() {
  std::error_code ec;
  while (acceptor_.is_open()) {
    stream_protocol::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of descriptors and the like: pause instead of spinning on the same error.
      LogWarning("ipc accept failed: " + ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (!PeerIsSameUser(socket)) {
      LogWarning("refused a local connection from another user");
      continue;  // the socket closes as it goes out of scope
    }
    auto session =
        std::make_shared<IpcSession>(std::move(socket), dispatcher_, limits_.idle_timeout);
    if (!MakeRoom()) {
      LogWarning("refused a local connection: too many open at once");
      session->SendError(ErrorCode::kUnavailable,
                         "accordd has too many local connections open; try again");
      session->CloseAfterWrites();
      continue;
    }
    sessions_.push_back(session);
    session->Start();
  }
}

bool IpcServer::MakeRoom() {
  sessions_.remove_if([](const std::weak_ptr<IpcSession>& w) {
    auto s = w.lock();
    return !s || !s->is_open();
  });
  if (static_cast<int>(sessions_.size()) < limits_.max_sessions) return true;
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    auto s = it->lock();
    if (s && s->awaiting_request()) {
      LogDebug("ipc: closed the oldest idle connection to make room");
      s->Close();
      sessions_.erase(it);
      return true;
    }
  }
  return false;
}

void IpcServer::Stop() {
  if (!acceptor_.is_open()) return;
  std::error_code ignored;
  acceptor_.close(ignored);
  std::filesystem::remove(path_, ignored);
}

}  // namespace accord::daemon
