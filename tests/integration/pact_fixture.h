// Several real daemons on loopback (each with its own home and a --listen port chosen by the
// kernel), paired with the real client. Every wait is bounded.
#ifndef ACCORD_TESTS_INTEGRATION_PACT_FIXTURE_H_
#define ACCORD_TESTS_INTEGRATION_PACT_FIXTURE_H_

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace accord::testing {

class PactTest : public ::testing::Test {
 protected:
  struct Person {
    std::unique_ptr<Daemon> daemon;
    std::string name;
    std::string address;  // HOST:PORT it listens on
  };

  // Starts a daemon listening on 127.0.0.1 (port 0) and runs `init`.
  Person& Start(const std::string& name, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--listen", "127.0.0.1:0"});
    auto p = std::make_unique<Person>();
    p->name = name;
    p->daemon = std::make_unique<Daemon>(dir_.path() / name, extra);
    EXPECT_TRUE(p->daemon->Start()) << p->daemon->Log();
    EXPECT_EQ(p->daemon->Accord({"init", "--name", name}).exit_code, 0);
    p->address = Json(*p, {"status"})["status"]["listen_address"].get<std::string>();
    people_.push_back(std::move(p));
    return *people_.back();
  }

  // A daemon on a machine where `init` never ran (listening on 127.0.0.1, port 0).
  Person& StartFresh(const std::string& name) {
    auto p = std::make_unique<Person>();
    p->name = name;
    p->daemon = std::make_unique<Daemon>(dir_.path() / name,
                                         std::vector<std::string>{"--listen", "127.0.0.1:0"});
    EXPECT_TRUE(p->daemon->Start()) << p->daemon->Log();
    people_.push_back(std::move(p));
    return *people_.back();
  }

  nlohmann::json Json(const Person& p, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = p.daemon->Accord(args);
    EXPECT_EQ(r.exit_code, 0) << p.name << ": " << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  std::string Ok(const Person& p, const std::vector<std::string>& args) {
    CommandResult r = p.daemon->Accord(args);
    EXPECT_EQ(r.exit_code, 0) << p.name << ": " << r.err;
    return r.out;
  }
  std::string Digest(const Person& p) { return Json(p, {"status"})["status"]["state_digest"]; }

  // Polls `done` every 20 ms for at most `seconds`.
  static bool WaitFor(const std::function<bool()>& done, int seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  struct PairResult {
    int join_exit = -1;
    std::string join_err;
    nlohmann::json join;                       // the joiner's response
    std::vector<nlohmann::json> invite_lines;  // the inviter's updates
    int invite_exit = -1;
  };

  // `inviter` runs a waiting `accord invite --json` (not a terminal: it accepts whoever
  // completes the code); `joiner` types the code, after `mutate` if given.
  PairResult Pair(Person& inviter, Person& joiner,
                  const std::function<std::string(const std::string&)>& mutate = nullptr,
                  bool share_history = false) {
    PairResult result;
    std::filesystem::path out =
        dir_.path() / ("invite-" + inviter.name + "-" + std::to_string(++invites_) + ".out");
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, 0);
      ::execl(AccordBinary().c_str(), "accord", "--home", inviter.daemon->home().c_str(), "--json",
              "invite", share_history ? "--share-history" : static_cast<char*>(nullptr),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::string code;
    WaitFor(
        [&] {
          std::ifstream f(out);
          std::string line;
          if (!std::getline(f, line)) return false;
          nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
          if (j.is_discarded()) return false;
          code = j["invite"]["code"].get<std::string>();
          return true;
        },
        10);
    EXPECT_FALSE(code.empty()) << "no code from accord invite";
    CommandResult join = joiner.daemon->Accord(
        {"--json", "join", mutate ? mutate(code) : code, "--peer", inviter.address});
    result.join_exit = join.exit_code;
    result.join_err = join.err;
    if (join.exit_code == 0) result.join = nlohmann::json::parse(join.out, nullptr, false);
    int status = 0;
    bool exited = WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 20);
    if (!exited) {
      ::kill(pid, SIGKILL);  // our own child
      ::waitpid(pid, &status, 0);
    }
    result.invite_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream f(out);
    std::string line;
    while (std::getline(f, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) result.invite_lines.push_back(j);
    }
    return result;
  }

  TempDir dir_;
  std::vector<std::unique_ptr<Person>> people_;
  int invites_ = 0;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_PACT_FIXTURE_H_
