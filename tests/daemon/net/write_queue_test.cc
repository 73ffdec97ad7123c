// WriteQueue over a real local stream socket pair: order, close after writes, a failed
// write, refills, and a queue that goes away mid-write.
#include "daemon/net/write_queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

namespace accord::daemon {
namespace {

using asio::local::stream_protocol;

Bytes Pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 13);
  return b;
}

class WriteQueueTest : public ::testing::Test {
 protected:
  WriteQueueTest() { asio::local::connect_pair(ours_, theirs_); }

  // Everything the other end receives until our side closes (EOF) or fails.
  Bytes ReadToEnd() {
    Bytes out;
    std::error_code ec;
    Bytes chunk(64 << 10);
    std::function<void()> next = [&] {
      theirs_.async_read_some(asio::buffer(chunk), [&](std::error_code e, size_t n) {
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
        if (e) {
          ec = e;
          return;
        }
        next();
      });
    };
    next();
    io_.run();
    io_.restart();
    return out;
  }

  void Close() {
    std::error_code ignored;
    ours_.close(ignored);
    ++closes_;
  }

  asio::io_context io_;
  stream_protocol::socket ours_{io_};
  stream_protocol::socket theirs_{io_};
  int closes_ = 0;
};

TEST_F(WriteQueueTest, EverythingPushedArrivesInOrderAndCloseAfterWritesComesLast) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  const Bytes big = Pattern(1 << 20, 1);  // larger than the socket buffer: several writes
  queue.Push(Pattern(10, 2));
  queue.Push(big);
  queue.Push(Pattern(3, 3));
  EXPECT_TRUE(queue.writing());
  queue.CloseAfterWrites();
  EXPECT_EQ(closes_, 0) << "not while bytes are still queued";

  Bytes want = Pattern(10, 2);
  AppendBytes(want, big);
  AppendBytes(want, Pattern(3, 3));
  EXPECT_EQ(ReadToEnd(), want);
  EXPECT_EQ(closes_, 1);
  EXPECT_FALSE(queue.writing());
}

TEST_F(WriteQueueTest, CloseAfterWritesClosesAtOnceWhenNothingIsQueued) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  queue.CloseAfterWrites();
  EXPECT_EQ(closes_, 1);
  EXPECT_TRUE(queue.closing());
}

TEST_F(WriteQueueTest, NothingIsQueuedOnceTheSocketIsClosed) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  Close();
  queue.Push(Pattern(5, 1));
  EXPECT_FALSE(queue.writing());
  io_.run();
  EXPECT_EQ(closes_, 1);  // only ours: the queue had nothing to fail
}

TEST_F(WriteQueueTest, AFailedWriteClosesOnceAndDropsTheRest) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  theirs_.close();
  queue.Push(Pattern(100, 1));
  queue.Push(Pattern(100, 2));
  io_.run();
  EXPECT_EQ(closes_, 1);
  EXPECT_FALSE(queue.writing());
}

TEST_F(WriteQueueTest, TheRefillIsAskedEachTimeTheQueueRunsDryUntilItHasNothing) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  int asked = 0;
  queue.set_refill([&]() -> std::optional<Bytes> {
    ++asked;
    if (asked > 3) return std::nullopt;
    return Pattern(4, static_cast<uint8_t>(10 * asked));
  });
  queue.Push(Pattern(2, 1));
  queue.CloseAfterWrites();

  Bytes want = Pattern(2, 1);
  for (uint8_t seed : {10, 20, 30}) AppendBytes(want, Pattern(4, seed));
  EXPECT_EQ(ReadToEnd(), want);
  EXPECT_EQ(asked, 4);  // three pieces, then "nothing more"
  EXPECT_EQ(closes_, 1);
}

TEST_F(WriteQueueTest, ResumeStartsWritingWhatTheRefillHasNow) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  std::optional<Bytes> ready;
  queue.set_refill([&] { return std::exchange(ready, std::nullopt); });
  queue.Resume();
  EXPECT_FALSE(queue.writing());
  ready = Pattern(6, 5);
  queue.Resume();
  EXPECT_TRUE(queue.writing());
  queue.CloseAfterWrites();
  EXPECT_EQ(ReadToEnd(), Pattern(6, 5));
}

TEST_F(WriteQueueTest, TheOwnerIsKeptAliveUntilItsWritesEnd) {
  WriteQueue<stream_protocol::socket> queue(ours_, [this] { Close(); });
  auto owner = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owner;
  queue.Push(Pattern(1 << 20, 1), std::move(owner));
  EXPECT_FALSE(watch.expired()) << "held by the write in flight";
  queue.CloseAfterWrites();
  EXPECT_EQ(ReadToEnd().size(), size_t{1} << 20);
  EXPECT_TRUE(watch.expired());
}

TEST_F(WriteQueueTest, AQueueDestroyedMidWriteRunsNoCallbackAfterwards) {
  auto queue = std::make_unique<WriteQueue<stream_protocol::socket>>(ours_, [this] { Close(); });
  queue->Push(Pattern(1 << 20, 1));  // blocks: nobody reads the other end yet
  io_.poll();
  ASSERT_TRUE(queue->writing());
  queue.reset();
  std::error_code ignored;
  ours_.close(ignored);  // the owner's socket goes with it: the write completes as aborted
  io_.run();
  EXPECT_EQ(closes_, 0);
}

}  // namespace
}  // namespace accord::daemon
