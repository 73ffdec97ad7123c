// WriteQueue: the one outbox of a stream connection (peer TCP or the local socket): byte
// buffers written in order, one at a time, and "close once everything queued is written".
// Daemon thread only (the socket's executor). Reading, and what the bytes mean, are the owner's.
#ifndef ACCORD_DAEMON_NET_WRITE_QUEUE_H_
#define ACCORD_DAEMON_NET_WRITE_QUEUE_H_

#include <asio.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "base/bytes.h"

namespace accord::daemon {

template <typename Socket>
class WriteQueue {
 public:
  using CloseFn = std::function<void()>;
  using RefillFn = std::function<std::optional<Bytes>()>;

  // `close` ends the owner's connection (it must close `socket`): it runs after a failed
  // write, and once the queue drains after CloseAfterWrites. `socket` outlives the queue.
  WriteQueue(Socket& socket, CloseFn close) : socket_(socket), close_(std::move(close)) {}
  ~WriteQueue() { *alive_ = false; }  // a write still in flight then completes into nothing
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Asked for more bytes each time the queue runs dry, until it returns nullopt (answers
  // made one piece at a time, each only once the previous one is written).
  void set_refill(RefillFn refill) { refill_ = std::move(refill); }

  // Queues `bytes` behind everything queued and starts writing; dropped once the socket is
  // closed. `owner`, if given, is kept alive until the writes end (a session that only its
  // writes still hold is not destroyed before they are done).
  void Push(Bytes bytes, std::shared_ptr<void> owner = nullptr) {
    if (!socket_.is_open()) return;
    outbox_.push_back(std::move(bytes));
    if (!writing_) WriteNext(std::move(owner));
  }
  // Starts writing if idle: the refill may have something now.
  void Resume(std::shared_ptr<void> owner = nullptr) {
    if (socket_.is_open() && !writing_) WriteNext(std::move(owner));
  }
  // Closes once everything queued (and everything the refill still gives) is written; at
  // once if nothing is being written.
  void CloseAfterWrites() {
    close_after_writes_ = true;
    if (!writing_) close_();
  }

  bool writing() const { return writing_; }
  bool closing() const { return close_after_writes_; }

 private:
  void WriteNext(std::shared_ptr<void> owner) {
    while (outbox_.empty() && refill_ && socket_.is_open()) {
      std::optional<Bytes> more = refill_();
      if (!more) break;
      outbox_.push_back(std::move(*more));
    }
    if (outbox_.empty()) {
      writing_ = false;
      if (close_after_writes_) close_();
      return;
    }
    writing_ = true;
    asio::async_write(
        socket_, asio::buffer(outbox_.front()),
        [this, alive = alive_, owner = std::move(owner)](std::error_code ec, size_t) mutable {
          if (!*alive) return;
          if (ec) {
            outbox_.clear();
            writing_ = false;
            close_();
            return;
          }
          outbox_.pop_front();
          WriteNext(std::move(owner));
        });
  }

  Socket& socket_;
  CloseFn close_;
  RefillFn refill_;
  std::deque<Bytes> outbox_;  // the front one is being written while writing_
  bool writing_ = false;
  bool close_after_writes_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_WRITE_QUEUE_H_
