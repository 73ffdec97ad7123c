// The local socket's resource limits with a real daemon: memory follows the bytes that
// arrive (not the length a client declares), connections are capped without locking the
// user out, and a connection that never sends a whole request is closed when idle, while a
// quiet `watch` is not.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "accord/ipc.pb.h"
#include "base/frame.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace accord::testing {
namespace {

constexpr int kIdleMs = 2000;            // the daemon's idle timeout in this test
constexpr int kFloodConnections = 32;    // each declares the largest frame and sends nothing
constexpr long kMaxGrowthKb = 64 << 10;  // RSS growth allowed during the flood (64 MiB)
constexpr int kMaxSessions = 16;         // daemon/ipc/ipc_server.h IpcLimits

class Local {
 public:
  explicit Local(const std::filesystem::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Local() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Write(ByteView bytes) { (void)!::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // The daemon closed it (it sends these connections nothing else before closing). Reads
  // and drops anything that arrived.
  bool ClosedByDaemon() {
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    uint8_t buf[4096];
    while (true) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
      if (n == 0) return true;
      if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

long RssKb(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

Bytes DeclaredMaximum() {
  Bytes header;
  AppendU32Be(header, kMaxIpcFrameBytes);
  return header;
}

template <typename F>
bool WaitFor(F done, int ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

class IpcLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.path() / "home", std::vector<std::string>{"--ipc-idle-ms", std::to_string(kIdleMs)});
    ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
    ASSERT_EQ(daemon_->Accord({"init", "--name", "Alice"}).exit_code, 0);
  }
  TempDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(IpcLimitsTest, ConnectionsDeclaringHugeFramesCostOnlyWhatTheySendAndAreCapped) {
  const long before = RssKb(daemon_->pid());
  ASSERT_GT(before, 0);
  std::vector<std::unique_ptr<Local>> flood;
  for (int i = 0; i < kFloodConnections; ++i) {
    flood.push_back(std::make_unique<Local>(daemon_->socket()));
    ASSERT_TRUE(flood.back()->connected());
    flood.back()->Write(DeclaredMaximum());
    flood.back()->Write(Bytes(100, 0x0a));  // a few bytes of the promised 16 MiB
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long during = RssKb(daemon_->pid());
  std::cout << "daemon RSS " << before << " kB before, " << during << " kB with "
            << kFloodConnections << " connections declaring " << kMaxIpcFrameBytes << " bytes\n";
  EXPECT_LT(during - before, kMaxGrowthKb);

  // The user is not locked out by the flood: a newcomer makes room.
  CommandResult status = daemon_->Accord({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;

  int open = 0;
  for (auto& c : flood) open += c->ClosedByDaemon() ? 0 : 1;
  EXPECT_LE(open, kMaxSessions) << "no more than the cap stay open";
}

TEST_F(IpcLimitsTest, AConnectionThatNeverSendsAWholeRequestIsClosedButAQuietWatchIsNot) {
  Local silent(daemon_->socket());
  Local half(daemon_->socket());
  Local watch(daemon_->socket());
  ASSERT_TRUE(silent.connected() && half.connected() && watch.connected());
  half.Write(DeclaredMaximum());
  proto::Request request;
  request.set_protocol(1);
  request.mutable_watch();
  const std::string payload = request.SerializeAsString();
  watch.Write(EncodeFrame(AsBytes(payload)));

  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(WaitFor([&] { return silent.ClosedByDaemon(); }, kIdleMs * 5));
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(kIdleMs / 2));  // closed for idling, not at once
  EXPECT_TRUE(WaitFor([&] { return half.ClosedByDaemon(); }, kIdleMs * 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(kIdleMs));
  EXPECT_FALSE(watch.ClosedByDaemon()) << "a watch waits for events; it is not idle";
  EXPECT_EQ(daemon_->Accord({"status"}).exit_code, 0);
}

}  // namespace
}  // namespace accord::testing
