#include "tests/daemon/net/netns.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>
#include <thread>

namespace accord::daemon::lan {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kPollStep{10};  // ms between looks at a child

// Waits for `pid` (ours) until `deadline`, then kills it. The exit status, or nullopt if it
// had to be killed.
std::optional<int> WaitOrKill(pid_t pid, Clock::time_point deadline) {
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return std::nullopt;
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);  // SIGKILL cannot be caught: this returns at once
      return std::nullopt;
    }
    std::this_thread::sleep_for(kPollStep);
  }
}

std::string Joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

::testing::AssertionResult Run(const std::vector<std::string>& argv, std::string* captured,
                               std::chrono::seconds limit) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return ::testing::AssertionFailure() << "pipe failed";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return ::testing::AssertionFailure() << "fork failed";
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  const Clock::time_point deadline = Clock::now() + limit;
  std::string output;
  char chunk[4096];
  while (Clock::now() < deadline) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(kPollStep.count())) <= 0) continue;
    const ssize_t n = ::read(pipe_fds[0], chunk, sizeof chunk);
    if (n <= 0) break;  // EOF: the command is done with its output
    output.append(chunk, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (captured != nullptr) *captured = output;
  const std::optional<int> status = WaitOrKill(pid, deadline);
  if (!status) {
    return ::testing::AssertionFailure()
           << "'" << Joined(argv) << "' did not finish in " << limit.count() << " s: " << output;
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return ::testing::AssertionFailure() << "'" << Joined(argv) << "' failed: " << output;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Ip(const std::string& args) {
  std::vector<std::string> argv = {"ip"};
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  return Run(argv);
}

std::string NextNamespaceName() {
  static int next = 0;
  return "accord-t-" + std::to_string(::getpid()) + "-" + std::to_string(++next);
}

NetnsGuard::NetnsGuard() : name_(NextNamespaceName()) {
  ::testing::AssertionResult added = Ip("netns add " + name_);
  ok_ = added;
  if (!ok_) ADD_FAILURE() << added.message();
}

NetnsGuard::~NetnsGuard() {
  if (!ok_) return;
  ::testing::AssertionResult deleted = Ip("netns delete " + name_);
  if (!deleted) ADD_FAILURE() << "namespace " << name_ << " left behind: " << deleted.message();
}

::testing::AssertionResult EnterNetns(const std::string& name) {
  const std::string path = "/run/netns/" + name;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ::testing::AssertionFailure() << "cannot open " << path << ": " << std::strerror(errno);
  }
  const int entered = ::setns(fd, CLONE_NEWNET);
  const int error = errno;
  ::close(fd);
  if (entered != 0) {
    return ::testing::AssertionFailure() << "setns " << name << ": " << std::strerror(error);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult RunInNetns(const std::string& name, const std::function<void()>& body,
                                      std::chrono::seconds limit) {
  std::fflush(nullptr);  // nothing buffered before the fork is printed twice
  const pid_t pid = ::fork();
  if (pid < 0) return ::testing::AssertionFailure() << "fork failed";
  if (pid == 0) {
    int code = 0;
    if (::testing::AssertionResult entered = EnterNetns(name); !entered) {
      ADD_FAILURE() << entered.message();
      code = 3;
    } else {
      try {
        body();
        code = ::testing::Test::HasFailure() ? 1 : 0;
      } catch (const std::exception& e) {
        ADD_FAILURE() << "exception in the namespace's body: " << e.what();
        code = 2;
      }
    }
    std::fflush(nullptr);
    ::_exit(code);  // no destructors, atexit or gtest summary of the parent's in the child
  }
  const std::optional<int> status = WaitOrKill(pid, Clock::now() + limit);
  if (!status) {
    return ::testing::AssertionFailure()
           << "the body in " << name << " did not end in " << limit.count() << " s (killed)";
  }
  if (WIFSIGNALED(*status)) {
    return ::testing::AssertionFailure()
           << "the body in " << name << " died of signal " << WTERMSIG(*status);
  }
  if (WEXITSTATUS(*status) != 0) {
    return ::testing::AssertionFailure()
           << "the body in " << name << " failed (exit " << WEXITSTATUS(*status)
           << "; its failures are printed above)";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult AddVethPair(const VethEnd& a, const VethEnd& b,
                                       const std::string& b_netns) {
  if (auto r = Ip("link add " + a.name + " type veth peer name " + b.name); !r) return r;
  if (!b_netns.empty()) {
    if (auto r = Ip("link set " + b.name + " netns " + b_netns); !r) return r;
  }
  for (const VethEnd* end : {&a, &b}) {
    const std::string ip = end == &b && !b_netns.empty() ? "-n " + b_netns + " " : "";
    const std::string& dev = end->name;
    if (auto r = Ip(ip + "link set " + dev + " addrgenmode none"); !r) return r;
    if (!end->ipv4.empty()) {
      if (auto r = Ip(ip + "addr add " + end->ipv4 + " brd + dev " + dev); !r) return r;
    }
    if (!end->ipv6.empty()) {
      if (auto r = Ip(ip + "addr add " + end->ipv6 + " dev " + dev + " nodad"); !r) return r;
    }
    if (auto r = Ip(ip + "link set " + dev + " up"); !r) return r;
  }
  for (const VethEnd* end : {&a, &b}) {
    std::vector<std::string> show = {"ip", "-o", "link", "show", "dev", end->name};
    if (end == &b && !b_netns.empty()) show.insert(show.begin() + 1, {"-n", b_netns});
    const Clock::time_point deadline = Clock::now() + kWaitLimit;
    std::string output;
    while (true) {
      if (auto r = Run(show, &output); !r) return r;
      if (output.find("state UP") != std::string::npos) break;
      if (Clock::now() >= deadline) {
        return ::testing::AssertionFailure() << end->name << " did not come up: " << output;
      }
      std::this_thread::sleep_for(kPollStep);
    }
  }
  return ::testing::AssertionSuccess();
}

bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds limit) {
  const Clock::time_point deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    io.restart();
    if (io.run_for(kPollStep) == 0 && io.stopped()) std::this_thread::sleep_for(kPollStep);
  }
  return true;
}

void RunFor(asio::io_context& io, std::chrono::milliseconds span) {
  RunUntil(
      io, [] { return false; }, span);
}

}  // namespace accord::daemon::lan
