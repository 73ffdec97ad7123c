// `accord log --verify` on a real store answers in slices (daemon/ipc/log_stream.cc): other
// requests run between them, so a long check never holds up `status`.
#include "daemon/ipc/log_stream.h"

#include <gtest/gtest.h>

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

TEST(LogStream, AVerifyOfALongLogLetsOtherWorkRunBeforeItFinishes) {
  constexpr int kNeeds = 3 * kLogSliceEntries;
  accord::testing::TempDir dir;
  Result<InstancePaths> paths = ResolveInstancePaths(dir.path().string());
  ASSERT_TRUE(paths.ok());
  Result<std::unique_ptr<Node>> node = Node::Open(*paths, SystemClock());
  ASSERT_TRUE(node.ok()) << node.error().message;
  ASSERT_TRUE((*node)->Init("Alice", "laptop").ok());
  for (int i = 0; i < kNeeds; ++i) {
    ASSERT_TRUE((*node)->Write(state::NeedAdded{"need " + std::to_string(i)}).ok());
  }

  asio::io_context io;
  asio::local::stream_protocol::socket ours(io), theirs(io);
  asio::local::connect_pair(ours, theirs);
  NoRequests dispatcher;
  auto session = std::make_shared<IpcSession>(std::move(ours), dispatcher);

  std::shared_ptr<LogStream> stream =
      LogStream::Start(**node, /*verify=*/true, /*limit=*/0, session);
  bool other_ran = false;
  bool stream_was_done = true;
  asio::post(io, [&] {  // a request that arrived while the log was being checked
    other_ran = true;
    stream_was_done = stream->finished();
  });
  for (int i = 0; i < 1000 && !stream->finished(); ++i) io.run_one();
  EXPECT_TRUE(other_ran);
  EXPECT_FALSE(stream_was_done);
  ASSERT_TRUE(stream->finished());
  EXPECT_EQ(stream->verified(), static_cast<uint64_t>(kNeeds) + 1);  // and MemberCreated
}

TEST(LogStream, ALimitReadsOnlyTheNewestEntriesAcrossSlices) {
  constexpr int kNeeds = 2 * kLogSliceEntries;
  constexpr uint32_t kLimit = kLogSliceEntries + 5;
  accord::testing::TempDir dir;
  Result<InstancePaths> paths = ResolveInstancePaths(dir.path().string());
  ASSERT_TRUE(paths.ok());
  Result<std::unique_ptr<Node>> node = Node::Open(*paths, SystemClock());
  ASSERT_TRUE(node.ok()) << node.error().message;
  ASSERT_TRUE((*node)->Init("Alice", "laptop").ok());
  for (int i = 0; i < kNeeds; ++i) {
    ASSERT_TRUE((*node)->Write(state::NeedAdded{"need " + std::to_string(i)}).ok());
  }
  asio::io_context io;
  asio::local::stream_protocol::socket ours(io), theirs(io);
  asio::local::connect_pair(ours, theirs);
  NoRequests dispatcher;
  auto session = std::make_shared<IpcSession>(std::move(ours), dispatcher);

  std::shared_ptr<LogStream> stream = LogStream::Start(**node, /*verify=*/true, kLimit, session);
  for (int i = 0; i < 1000 && !stream->finished(); ++i) io.run_one();
  ASSERT_TRUE(stream->finished());
  EXPECT_EQ(stream->verified(), kLimit);

  // Asking for more than the log holds reads it all, then stops.
  auto again = std::make_shared<IpcSession>(std::move(theirs), dispatcher);
  std::shared_ptr<LogStream> whole = LogStream::Start(**node, /*verify=*/true, 100000, again);
  for (int i = 0; i < 1000 && !whole->finished(); ++i) io.run_one();
  ASSERT_TRUE(whole->finished());
  EXPECT_EQ(whole->verified(), static_cast<uint64_t>(kNeeds) + 1);
}

}  // namespace
}  // namespace accord::daemon
