// Real processes for integration tests: an accordd with its own temporary home, and runs of
// the real accord client. Every wait is bounded; only processes started here are signalled.
#ifndef ACCORD_TESTS_SUPPORT_PROCESS_H_
#define ACCORD_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace accord::testing {

struct CommandResult {
  int exit_code = -1;  // -1 if it did not exit normally
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `input` on stdin (bounded by `timeout_s`; killed after).
CommandResult RunProcess(const std::vector<std::string>& argv, const std::string& input = "",
                         int timeout_s = 60);

class Daemon {
 public:
  // REQUIRES: ACCORDD_BINARY and ACCORD_BINARY defined for the test target.
  explicit Daemon(std::filesystem::path home, std::vector<std::string> extra_args = {});
  ~Daemon();  // SIGTERM, then SIGKILL if it does not exit in time
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts accordd and waits until its socket answers. False (with the log) on failure.
  bool Start();
  // SIGTERM and wait; returns the exit status (0 on a clean shutdown).
  int Stop();
  // SIGKILL and wait: a crash at an arbitrary point.
  void Kill9();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string Log() const;

  // Runs `accord --home HOME args...`.
  CommandResult Accord(const std::vector<std::string>& args, const std::string& input = "") const;

  const std::filesystem::path& home() const { return home_; }
  std::filesystem::path socket() const { return home_ / "run" / "accord.sock"; }

 private:
  int WaitExit(int timeout_ms);
  std::filesystem::path home_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
};

std::string AccordBinary();
std::string AccorddBinary();

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_PROCESS_H_
