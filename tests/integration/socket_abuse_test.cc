// Bad input on the local socket: oversized lengths, truncated frames, garbage, unknown
// requests, another IPC protocol version, and connections from another uid. The daemon answers with
// an error or closes that connection, and keeps serving everyone else.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "accord/ipc.pb.h"
#include "base/frame.h"
#include "crypto/random.h"
#include "tests/integration/cli_fixture.h"
#include "tests/integration/ipc_pipe.h"

namespace accord::testing {
namespace {

class RawSocket {
 public:
  explicit RawSocket(const std::filesystem::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Write(ByteView bytes) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    (void)n;
  }
  void SendRequest(const proto::Request& r) {
    std::string s = r.SerializeAsString();
    Write(EncodeFrame(AsBytes(s)));
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  // Everything the daemon sends until it closes or `ms` pass with nothing new.
  std::string ReadAll(int ms = 3000) {
    std::string out;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, ms) > 0) {
      char buf[4096];
      ssize_t n = ::read(fd_, buf, sizeof(buf));
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

// Every complete response frame in `bytes`, in order.
std::vector<proto::Response> Responses(const std::string& bytes) {
  std::vector<proto::Response> out;
  size_t at = 0;
  while (bytes.size() - at >= kFrameHeaderBytes) {
    uint8_t header[kFrameHeaderBytes];
    std::memcpy(header, bytes.data() + at, kFrameHeaderBytes);
    Result<uint32_t> n = DecodeFrameLength(header);
    if (!n.ok() || bytes.size() - at - kFrameHeaderBytes < *n) break;
    proto::Response r;
    if (!r.ParseFromArray(bytes.data() + at + kFrameHeaderBytes, static_cast<int>(*n))) break;
    out.push_back(std::move(r));
    at += kFrameHeaderBytes + *n;
  }
  return out;
}

class SocketAbuseTest : public CliTest {
 protected:
  void ExpectStillServing() {
    CommandResult r = Run({"status"});
    EXPECT_EQ(r.exit_code, 0) << r.err << daemon_->Log();
  }
  void SetUp() override {
    CliTest::SetUp();
    Init();
  }
};

TEST_F(SocketAbuseTest, AnOversizedLengthGetsAnErrorAndAClose) {
  RawSocket s(daemon_->socket());
  ASSERT_TRUE(s.connected());
  const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff};
  s.Write(huge);
  std::string got = s.ReadAll();
  std::vector<proto::Response> r = Responses(got);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error().code(), proto::TOO_LARGE);
  EXPECT_TRUE(s.closed());
  ExpectStillServing();
}

TEST_F(SocketAbuseTest, ATruncatedFrameClosesOnlyThatConnection) {
  RawSocket s(daemon_->socket());
  uint8_t partial[14] = {0, 0, 0, 100};  // promises 100 bytes, sends 10
  s.Write(partial);
  s.ShutdownWrite();
  EXPECT_EQ(s.ReadAll(), "");
  EXPECT_TRUE(s.closed());
  ExpectStillServing();
}

TEST_F(SocketAbuseTest, GarbageBytesNeverCrashTheDaemon) {
  for (int round = 0; round < 50; ++round) {
    RawSocket s(daemon_->socket());
    Bytes garbage(1 + crypto::RandomUniform(2000));
    crypto::RandomBytes(garbage);
    s.Write(garbage);
    s.ShutdownWrite();
    std::string got = s.ReadAll();
    if (!got.empty()) {
      std::vector<proto::Response> r = Responses(got);
      ASSERT_FALSE(r.empty()) << "round " << round;
      EXPECT_NE(r[0].error().code(), proto::OK);
    }
  }
  ExpectStillServing();
}

TEST_F(SocketAbuseTest, AValidFrameWithAnUnknownRequestGetsAnErrorAndTheConnectionStaysUsable) {
  RawSocket s(daemon_->socket());
  proto::Request unknown;
  unknown.set_protocol(1);
  // Field 999 is no command we know: what a newer client might send.
  std::string bytes = unknown.SerializeAsString();
  bytes += std::string("\xba\x3e\x00", 3);  // tag (999 << 3 | 2), empty length-delimited value
  s.Write(EncodeFrame(AsBytes(bytes)));
  proto::Request status;
  status.set_protocol(1);
  status.mutable_status();
  s.SendRequest(status);
  s.ShutdownWrite();
  std::string got = s.ReadAll();
  std::vector<proto::Response> r = Responses(got);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].error().code(), proto::INVALID_ARGUMENT);
  EXPECT_TRUE(r[1].has_status());
  ExpectStillServing();
}

TEST_F(SocketAbuseTest, ARequestOfAnotherIpcProtocolIsRefusedWithAClearErrorAndAClose) {
  RawIpc ipc(daemon_->socket());
  ASSERT_TRUE(ipc.connected());
  proto::Request status;
  status.set_protocol(99);
  status.mutable_status();
  std::optional<proto::Response> r = ipc.Call(status);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->error().code(), proto::INVALID_ARGUMENT);
  EXPECT_EQ(r->error().message(),
            "accord speaks IPC protocol 99, accordd speaks 1: use the same version of both");
  EXPECT_FALSE(ipc.Read().has_value()) << "the connection is closed after the error";
  ExpectStillServing();
}

TEST_F(SocketAbuseTest, AConnectionFromAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to another uid";
  // Open the path for the other user so that only SO_PEERCRED stands in the way.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(
      daemon_->home(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
  std::filesystem::permissions(
      daemon_->socket().parent_path(),
      std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
  std::filesystem::permissions(daemon_->socket(), std::filesystem::perms::all);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(10);
    RawSocket s(daemon_->socket());
    if (!s.connected()) ::_exit(11);
    proto::Request status;
    status.set_protocol(1);
    status.mutable_status();
    s.SendRequest(status);
    std::string got = s.ReadAll();
    ::_exit(got.empty() && s.closed() ? 0 : 12);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: cannot switch uid, 11: cannot connect, 12: got an answer";
  EXPECT_NE(daemon_->Log().find("refused a local connection from another user"), std::string::npos);
  ExpectStillServing();
}

}  // namespace
}  // namespace accord::testing
