// `accord log --verify` on a real store answers in slices (daemon/ipc/log_stream.cc): other
// requests run between them, so a long check never holds up `status`.
#include "daemon/ipc/log_stream.h"

#include <gtest/gtest.h>

#include <deque>

#include <asio.hpp>

#include "base/paths.h"
#include "daemon/node/clock.h"
#include "tests/support/temp_dir.h"

namespace accord::daemon {
namespace {

class NoRequests final : public Dispatcher {
 public:
  void Handle(const proto::Request&, const std::shared_ptr<IpcSession>&) override {}
};

// A node holding `needs` needs (and its MemberCreated), and a session to answer on.
class LogStreamTest : public ::testing::Test {
 protected:
  void Hold(int needs) {
    Result<InstancePaths> paths = ResolveInstancePaths(dir_.path().string());
    ASSERT_TRUE(paths.ok());
    Result<std::unique_ptr<Node>> node = Node::Open(*paths, SystemClock());
    ASSERT_TRUE(node.ok()) << node.error().message;
    node_ = std::move(*node);
    ASSERT_TRUE(node_->Init("Alice", "laptop").ok());
    for (int i = 0; i < needs; ++i) {
      ASSERT_TRUE(node_->Write(state::NeedAdded{"need " + std::to_string(i)}).ok());
    }
  }
  std::shared_ptr<IpcSession> Session() {
    sockets_.emplace_back(io_);
    sockets_.emplace_back(io_);
    auto& theirs = sockets_.back();
    auto& ours = sockets_[sockets_.size() - 2];
    asio::local::connect_pair(ours, theirs);
    return std::make_shared<IpcSession>(std::move(ours), dispatcher_);
  }
  void RunUntilFinished(const LogStream& stream) {
    for (int i = 0; i < 1000 && !stream.finished(); ++i) io_.run_one();
  }

  accord::testing::TempDir dir_;
  std::unique_ptr<Node> node_;
  asio::io_context io_;
  std::deque<asio::local::stream_protocol::socket> sockets_;
  NoRequests dispatcher_;
};

TEST_F(LogStreamTest, AVerifyOfALongLogLetsOtherWorkRunBeforeItFinishes) {
  constexpr int kNeeds = 3 * kLogSliceEntries;
  Hold(kNeeds);
  std::shared_ptr<LogStream> stream =
      LogStream::Start(*node_, /*verify=*/true, /*limit=*/0, Session());
  bool other_ran = false;
  bool stream_was_done = true;
  asio::post(io_, [&] {  // a request that arrived while the log was being checked
    other_ran = true;
    stream_was_done = stream->finished();
  });
  RunUntilFinished(*stream);
  EXPECT_TRUE(other_ran);
  EXPECT_FALSE(stream_was_done);
  ASSERT_TRUE(stream->finished());
  EXPECT_EQ(stream->verified(), static_cast<uint64_t>(kNeeds) + 1);  // and MemberCreated
}

TEST_F(LogStreamTest, ALimitReadsOnlyTheNewestEntriesAcrossSlices) {
  constexpr int kNeeds = 2 * kLogSliceEntries;
  constexpr uint32_t kLimit = kLogSliceEntries + 5;
  Hold(kNeeds);
  std::shared_ptr<LogStream> stream = LogStream::Start(*node_, /*verify=*/true, kLimit, Session());
  RunUntilFinished(*stream);
  ASSERT_TRUE(stream->finished());
  EXPECT_EQ(stream->verified(), kLimit);
  // Asking for more than the log holds reads it all, then stops.
  std::shared_ptr<LogStream> whole = LogStream::Start(*node_, /*verify=*/true, 100000, Session());
  RunUntilFinished(*whole);
  ASSERT_TRUE(whole->finished());
  EXPECT_EQ(whole->verified(), static_cast<uint64_t>(kNeeds) + 1);
}

}  // namespace
}  // namespace accord::daemon
