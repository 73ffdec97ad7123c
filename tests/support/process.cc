#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace accord::testing {

namespace {

using Clock = std::chrono::steady_clock;

bool SocketAnswers(const std::filesystem::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

std::vector<char*> CArgs(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string AccordBinary() { return ACCORD_BINARY; }
std::string AccorddBinary() { return ACCORDD_BINARY; }

CommandResult RunProcess(const std::vector<std::string>& argv, const std::string& input,
                         int timeout_s) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    std::vector<char*> args = CArgs(argv);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty()) {
    ssize_t ignored = ::write(in[1], input.data(), input.size());
    (void)ignored;
  }
  ::close(in[1]);

  CommandResult result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  int open_fds = 2;
  while (open_fds > 0 && Clock::now() < deadline) {
    if (::poll(fds, 2, 200) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  // The pipes close a moment before the child can be reaped: wait for it, still bounded.
  int status = 0;
  bool exited = false;
  while (!(exited = ::waitpid(pid, &status, WNOHANG) == pid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);  // over time: our own child, by PID
    ::waitpid(pid, &status, 0);
    result.err += "\n[killed after timeout]";
    return result;
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Daemon::Daemon(std::filesystem::path home, std::vector<std::string> extra_args)
    : home_(std::move(home)), extra_args_(std::move(extra_args)) {}

Daemon::~Daemon() {
  if (pid_ > 0) Stop();
}

bool Daemon::Start() {
  std::filesystem::create_directories(home_);
  std::filesystem::permissions(home_, std::filesystem::perms::owner_all);
  std::vector<std::string> argv = {AccorddBinary(), "--home", home_.string()};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  // These tests run on the machine's real network: no beacons on it, and no listener beyond
  // loopback. The LAN tests (tests/lan) run daemons with discovery inside namespaces.
  argv.push_back("--no-discovery");
  if (std::find(extra_args_.begin(), extra_args_.end(), "--listen") == extra_args_.end())
    argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  // Nor on its desktop: no notification reaches the session bus of whoever runs the tests
  // unless a test asks for one (tests/integration/notify_test.cc, on a private bus).
  if (std::find(extra_args_.begin(), extra_args_.end(), "--notify") == extra_args_.end())
    argv.insert(argv.end(), {"--notify", "none"});
  std::string log = (home_ / "accordd.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 2);
    ::dup2(fd, 1);
    std::vector<char*> args = CArgs(argv);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    if (SocketAnswers(socket())) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int Daemon::WaitExit(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

int Daemon::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = WaitExit(15000);
  if (code == -1 && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  return code;
}

void Daemon::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string Daemon::Log() const {
  std::ifstream f(home_ / "accordd.log");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

CommandResult Daemon::Accord(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv = {AccordBinary(), "--home", home_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, input);
}

}  // namespace accord::testing
