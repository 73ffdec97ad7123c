#include "tests/support/terminal.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

namespace accord::testing {

TerminalRun RunOnTerminal(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& answers,
                          int timeout_s) {
  TerminalRun run;
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return run;
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  size_t searched_from = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (run.answered < answers.size()) {
      size_t at = run.output.find(answers[run.answered].first, searched_from);
      if (at != std::string::npos) {
        searched_from = at + answers[run.answered].first.size();
        std::string line = answers[run.answered].second + "\n";
        if (::write(master, line.data(), line.size()) != static_cast<ssize_t>(line.size())) break;
        ++run.answered;
        continue;
      }
    }
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child closed the terminal (it exited)
    run.output.append(buf, static_cast<size_t>(n));
  }
  // It closed the terminal (or the bound passed): give it two seconds to exit, then end it.
  int status = 0;
  bool reaped = false;
  for (int i = 0; i < 100 && !reaped; ++i) {
    reaped = ::waitpid(pid, &status, WNOHANG) == pid;
    if (!reaped) ::usleep(20'000);
  }
  if (!reaped) {
    ::kill(pid, SIGKILL);  // our own child
    ::waitpid(pid, &status, 0);
  }
  ::close(master);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace accord::testing
