// `accord status` while `accord log --verify` checks a long log (issue 9: the check must not
// hold up other commands): status round trips over the local socket, idle and while a client
// keeps verifying a 30,000-entry log, in the same run.
#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "accord/ipc.pb.h"
#include "base/frame.h"
#include "bench/bench_support.h"
#include "tests/integration/ipc_pipe.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

constexpr size_t kLogEntries = 30000;  // entries the verifying client checks each round

testing::Daemon& VerifyDaemon() {
  static BenchDir dir;
  static testing::Daemon daemon(dir.path() / "home");
  static bool started = [] {
    if (!daemon.Start()) return false;
    if (daemon.Accord({"init", "--name", "Bench"}).exit_code != 0) return false;
    return testing::WriteNeeds(daemon.socket(), kLogEntries) == kLogEntries;
  }();
  if (!started) std::abort();
  return daemon;
}

int Connect(const std::filesystem::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool ReadExactly(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool Call(int fd, const proto::Request& request, proto::Response& response) {
  Bytes frame = EncodeFrame(AsBytes(request.SerializeAsString()));
  if (::write(fd, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) return false;
  uint8_t header[kFrameHeaderBytes];
  if (!ReadExactly(fd, header, sizeof(header))) return false;
  Bytes body(GetU32Be(header));
  return ReadExactly(fd, body.data(), body.size()) &&
         response.ParseFromArray(body.data(), static_cast<int>(body.size()));
}

void StatusLoop(benchmark::State& state, int fd) {
  proto::Request request;
  request.set_protocol(1);
  request.mutable_status();
  proto::Response response;
  for (auto _ : state) {
    if (!Call(fd, request, response)) state.SkipWithError("status failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_StatusIdle(benchmark::State& state) {
  int fd = Connect(VerifyDaemon().socket());
  StatusLoop(state, fd);
  ::close(fd);
}
BENCHMARK(BM_StatusIdle)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_StatusDuringLogVerify(benchmark::State& state) {
  testing::Daemon& daemon = VerifyDaemon();
  std::atomic<bool> stop = false;
  std::atomic<uint64_t> rounds = 0;
  std::thread verifier([&] {
    int fd = Connect(daemon.socket());
    proto::Request request;
    request.set_protocol(1);
    request.mutable_log()->set_verify(true);
    while (!stop) {
      proto::Response response;
      if (!Call(fd, request, response)) break;
      while (response.log().more()) {  // the rest of this round's chunks
        uint8_t header[kFrameHeaderBytes];
        if (!ReadExactly(fd, header, sizeof(header))) return;
        Bytes body(GetU32Be(header));
        if (!ReadExactly(fd, body.data(), body.size())) return;
        response.ParseFromArray(body.data(), static_cast<int>(body.size()));
      }
      ++rounds;
    }
    ::close(fd);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a check is under way
  int fd = Connect(daemon.socket());
  StatusLoop(state, fd);
  ::close(fd);
  stop = true;
  verifier.join();
  state.counters["verify_rounds"] = static_cast<double>(rounds.load());
}
BENCHMARK(BM_StatusDuringLogVerify)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accord::bench
