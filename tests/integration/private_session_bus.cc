#include "tests/integration/private_session_bus.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace accord::testing {

namespace {
constexpr int kStartTimeoutMs = 10000;  // ms for the bus to print its address
constexpr int kStopTimeoutMs = 5000;    // ms for it to exit after SIGTERM
}  // namespace

PrivateSessionBus::PrivateSessionBus(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return;
  const std::string listen = "--address=unix:dir=" + dir.string();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    int log = ::open((dir / "dbus-daemon.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(log, 2);
    ::execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork", "--print-address",
             listen.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(out[0], buf, sizeof(buf));
    if (n <= 0) break;  // it exited
    line.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  if (size_t nl = line.find('\n'); nl != std::string::npos) address_ = line.substr(0, nl);
}

PrivateSessionBus::~PrivateSessionBus() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);  // our own child, by PID
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kStopTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace accord::testing
