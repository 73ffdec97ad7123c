// IpcSession over a real local socket pair: the protocol version every request must carry
// is checked once, in the session, before any handler sees the request.
#include "daemon/ipc/ipc_server.h"

#include <gtest/gtest.h>

#include <asio.hpp>
#include <string>
#include <vector>

#include "base/frame.h"

namespace accord::daemon {
namespace {

using asio::local::stream_protocol;

// Answers every request with a status and closes, and counts what it was handed.
class CountingDispatcher final : public Dispatcher {
 public:
  void Handle(const proto::Request&, const std::shared_ptr<IpcSession>& session) override {
    ++handled;
    proto::Response response;
    response.mutable_status();
    session->Send(response);
    session->CloseAfterWrites();
  }
  int handled = 0;
};

class IpcSessionTest : public ::testing::Test {
 protected:
  IpcSessionTest() { asio::local::connect_pair(ours_, theirs_); }

  // Sends `request` as the client would, then collects every response until the daemon
  // side closes.
  std::vector<proto::Response> Exchange(const proto::Request& request) {
    auto session = std::make_shared<IpcSession>(std::move(ours_), dispatcher_);
    session->Start();
    const Bytes frame = EncodeFrame(AsBytes(request.SerializeAsString()));
    asio::write(theirs_, asio::buffer(frame));
    Bytes received;
    Bytes chunk(4096);
    std::function<void()> next = [&] {
      theirs_.async_read_some(asio::buffer(chunk), [&](std::error_code ec, size_t n) {
        received.insert(received.end(), chunk.begin(),
                        chunk.begin() + static_cast<std::ptrdiff_t>(n));
        if (!ec) next();
      });
    };
    next();
    io_.run();
    std::vector<proto::Response> out;
    size_t at = 0;
    while (received.size() - at >= kFrameHeaderBytes) {
      const uint32_t length = GetU32Be(received.data() + at);
      if (received.size() - at - kFrameHeaderBytes < length) break;
      proto::Response r;
      EXPECT_TRUE(
          r.ParseFromArray(received.data() + at + kFrameHeaderBytes, static_cast<int>(length)));
      out.push_back(r);
      at += kFrameHeaderBytes + length;
    }
    EXPECT_EQ(at, received.size()) << "a truncated response";
    return out;
  }

  asio::io_context io_;
  stream_protocol::socket ours_{io_};
  stream_protocol::socket theirs_{io_};
  CountingDispatcher dispatcher_;
};

TEST_F(IpcSessionTest, ARequestOfThisProtocolGoesToTheDispatcher) {
  proto::Request request;
  request.set_protocol(kIpcProtocolVersion);
  request.mutable_status();
  std::vector<proto::Response> responses = Exchange(request);
  EXPECT_EQ(dispatcher_.handled, 1);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_TRUE(responses[0].has_status());
}

TEST_F(IpcSessionTest, ARequestOfAnotherProtocolIsRefusedBeforeAnyHandlerAndTheSessionCloses) {
  proto::Request request;
  request.set_protocol(99);
  request.mutable_status();
  std::vector<proto::Response> responses = Exchange(request);  // returns only once closed
  EXPECT_EQ(dispatcher_.handled, 0);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].error().code(), proto::INVALID_ARGUMENT);
  EXPECT_EQ(responses[0].error().message(), "accord speaks IPC protocol 99, accordd speaks " +
                                                std::to_string(kIpcProtocolVersion) +
                                                ": use the same version of both");
}

TEST_F(IpcSessionTest, ARequestWithoutAProtocolIsRefused) {
  proto::Request request;  // protocol 0: a client that never set it
  request.mutable_status();
  std::vector<proto::Response> responses = Exchange(request);
  EXPECT_EQ(dispatcher_.handled, 0);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].error().code(), proto::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace accord::daemon
