#include "bench/history_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/integration/ipc_pipe.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

using Steady = std::chrono::steady_clock;

double MsSince(Steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

proto::Request WithProtocol(proto::Request r) {
  r.set_protocol(kIpcProtocolVersion);
  return r;
}

}  // namespace

TimedDaemon::~TimedDaemon() {
  if (pid_ > 0) Stop();
}

Result<double> TimedDaemon::Start(int timeout_s) {
  std::vector<std::string> argv = {testing::AccorddBinary(),
                                   "--home",
                                   home_.string(),
                                   "--no-discovery",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--notify",
                                   "none"};
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string log = (home_ / "accordd.log").string();
  const Steady::time_point t0 = Steady::now();
  pid_ = ::fork();
  if (pid_ < 0) return MakeError(ErrorCode::kInternal, "fork failed");
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  const Steady::time_point deadline = t0 + std::chrono::seconds(timeout_s);
  while (Steady::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return MakeError(ErrorCode::kUnavailable, "accordd exited before answering; see " + log);
    }
    testing::RawIpc ipc(socket(), timeout_s);
    if (ipc.connected()) {
      std::optional<proto::Response> r = ipc.Call(StatusRequest());
      if (r && r->error().code() == proto::OK && r->has_status()) return MsSince(t0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return MakeError(ErrorCode::kUnavailable, "accordd did not answer status in time");
}

int TimedDaemon::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);  // our own child, by PID
  const Steady::time_point deadline = Steady::now() + std::chrono::seconds(60);
  int status = 0;
  while (Steady::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

Result<uint64_t> TimedDaemon::RssKiB() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));  // "  1234 kB"
  }
  return MakeError(ErrorCode::kNotFound, "no VmRSS for pid " + std::to_string(pid_));
}

Result<uint64_t> TimedDaemon::ContextSwitches() const {
  uint64_t total = 0;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid_) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "status");
    std::string line;
    while (std::getline(in, line)) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string key = line.substr(0, colon);
      if (key == "voluntary_ctxt_switches" || key == "nonvoluntary_ctxt_switches")
        total += std::stoull(line.substr(colon + 1));
    }
  }
  if (ec) return MakeError(ErrorCode::kNotFound, "no tasks for pid " + std::to_string(pid_));
  return total;
}

Result<TimedCall> CallOnce(const std::filesystem::path& socket, const proto::Request& request,
                           int timeout_s) {
  testing::RawIpc ipc(socket, timeout_s);
  if (!ipc.connected()) return MakeError(ErrorCode::kUnavailable, "cannot connect");
  TimedCall out;
  const Steady::time_point t0 = Steady::now();
  std::optional<proto::Response> r = ipc.Call(request);
  out.ms = MsSince(t0);
  if (!r) return MakeError(ErrorCode::kUnavailable, "no answer");
  if (r->error().code() != proto::OK)
    return MakeError(ErrorCode::kInternal, "answered with an error: " + r->error().message());
  out.response = std::move(*r);
  return out;
}

proto::Request StatusRequest() {
  proto::Request r;
  r.mutable_status();
  return WithProtocol(std::move(r));
}

proto::Request AppreciateRequest(const std::string& text) {
  proto::Request r;
  r.mutable_appreciate()->set_text(text);
  return WithProtocol(std::move(r));
}

proto::Request NeedsRequest() {
  proto::Request r;
  r.mutable_list_notes()->set_kind(proto::ListNotesRequest::NEEDS);
  r.mutable_list_notes()->mutable_page()->set_limit(20);  // what `accord needs` asks for
  return WithProtocol(std::move(r));
}

proto::Request AgreementsRequest() {
  proto::Request r;
  r.mutable_list_agreements()->set_filter(proto::ListAgreementsRequest::CURRENT);  // the default
  return WithProtocol(std::move(r));
}

proto::Request SpaceRequest() {
  proto::Request r;
  r.mutable_space();
  return WithProtocol(std::move(r));
}

proto::Request DueRequest() {
  proto::Request r;
  r.mutable_due();
  return WithProtocol(std::move(r));
}

size_t ItemsIn(const proto::Response& r) {
  if (r.has_notes()) return static_cast<size_t>(r.notes().notes_size());
  if (r.has_agreements()) return static_cast<size_t>(r.agreements().agreements_size());
  if (r.has_space())
    return static_cast<size_t>(r.space().in_space_size() + r.space().recent_size() +
                               r.space().upcoming_size());
  if (r.has_due()) return static_cast<size_t>(r.due().due_size());
  if (r.has_status()) return static_cast<size_t>(r.status().members_size());
  return 0;
}

}  // namespace accord::bench
