// The local socket (SPEC §4 local access): a Unix stream socket, mode 0600 in a 0700
// directory, each peer's uid checked with SO_PEERCRED, u32-length-prefixed protobuf frames
// with a hard maximum checked before allocation; buffers grow only as bytes arrive, sessions
// are capped and one still waiting for its request is closed when idle. Runs on the daemon's
// io_context thread. What a request means is the Dispatcher's business, not this file's.
#ifndef ACCORD_DAEMON_IPC_IPC_SERVER_H_
#define ACCORD_DAEMON_IPC_IPC_SERVER_H_

#include <asio.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <optional>

#include "accord/ipc.pb.h"
#include "base/bytes.h"
#include "base/result.h"
#include "daemon/net/write_queue.h"

namespace accord::daemon {

class IpcSession;

struct IpcLimits {
  int max_sessions = 16;                          // open at once; the oldest idle one makes room
  std::chrono::milliseconds idle_timeout{60000};  // to send a whole request (watch is not idle)
};
constexpr size_t kIpcReadChunkBytes = 64 << 10;  // bytes; a payload buffer grows by at most this

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  // Answers with session->Send (once, or many times for a stream). Must not throw.
  virtual void Handle(const proto::Request& request,
                      const std::shared_ptr<IpcSession>& session) = 0;
};

class IpcSession : public std::enable_shared_from_this<IpcSession> {
 public:
  IpcSession(asio::local::stream_protocol::socket socket, Dispatcher& dispatcher,
             std::chrono::milliseconds idle_timeout = IpcLimits{}.idle_timeout);
  void Start();
  // Still waiting for (the rest of) a request: a session that may be closed to make room.
  bool awaiting_request() const { return awaiting_request_; }
  void Send(const proto::Response& response);
  void SendError(ErrorCode code, const std::string& message);
  // A long answer in bounded memory: `next` is asked for one response at a time, each once
  // everything before it is written, until it returns nullopt or the connection ends. A
  // second pulled answer on the same connection follows the first one whole.
  using Pull = std::function<std::optional<proto::Response>()>;
  void SendPulled(Pull next);
  // Sends what is queued, then closes.
  void CloseAfterWrites();
  void Close();
  bool is_open() const { return socket_.is_open(); }
  // The daemon thread's executor, for handlers that answer in several steps.
  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  asio::awaitable<void> ReadLoop();
  // The next pulled response as a frame, or nullopt when every pulled answer is done.
  std::optional<Bytes> NextPulled();
  void ArmIdleDeadline();
  void ParkIdleDeadline();  // between requests: nothing is timed (see ipc_server.cc)

  asio::local::stream_protocol::socket socket_;
  Dispatcher& dispatcher_;
  std::chrono::milliseconds idle_timeout_;
  asio::steady_timer idle_deadline_;
  bool awaiting_request_ = true;
  std::deque<Pull> pulls_;  // pulled answers still being sent, in request order
  WriteQueue<asio::local::stream_protocol::socket> writes_{socket_, [this] { Close(); }};
};

class IpcServer {
 public:
  // Creates `socket_dir` (0700, refused if unsafe), removes a stale socket (refuses if a live
  // daemon answers on it: kAlreadyExists), binds, chmods the socket 0600, starts accepting.
  static Result<std::unique_ptr<IpcServer>> Listen(asio::io_context& io,
                                                   const std::filesystem::path& socket_dir,
                                                   const std::filesystem::path& socket,
                                                   Dispatcher& dispatcher, IpcLimits limits = {});
  ~IpcServer();
  void Stop();

 private:
  IpcServer(asio::io_context& io, std::filesystem::path path, Dispatcher& dispatcher,
            IpcLimits limits);
  asio::awaitable<void> AcceptLoop();
  // Makes room for one more session: false if every open session is busy (then the newcomer
  // is told so and closed).
  bool MakeRoom();

  asio::local::stream_protocol::acceptor acceptor_;
  std::filesystem::path path_;
  Dispatcher& dispatcher_;
  IpcLimits limits_;
  std::list<std::weak_ptr<IpcSession>> sessions_;  // oldest first
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_IPC_SERVER_H_
