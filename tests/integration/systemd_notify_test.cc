// accordd tells systemd when it is ready and when it stops (sd_notify), so a Type=notify
// unit orders its dependants correctly.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

std::string ReceiveNotification(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return "";
  char buf[512];
  ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

TEST(SystemdNotify, TheDaemonReportsReadyAndStopping) {
  TempDir dir;
  std::filesystem::path notify = dir.path() / "notify.sock";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, notify.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);

  std::string home = (dir.path() / "home").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("NOTIFY_SOCKET", notify.c_str(), 1);
    ::execl(AccorddBinary().c_str(), "accordd", "--home", home.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string ready = ReceiveNotification(fd, 20000);
  EXPECT_NE(ready.find("READY=1"), std::string::npos) << ready;
  ::kill(pid, SIGTERM);  // our own child
  std::string stopping = ReceiveNotification(fd, 20000);
  EXPECT_NE(stopping.find("STOPPING=1"), std::string::npos) << stopping;
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(fd);
}

}  // namespace
}  // namespace accord::testing
