// The daemon as a user meets it (issue: accordd and accord): `accord status` round trips
// including process start, and appends per second through the local socket.
#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "accord/ipc.pb.h"
#include "base/frame.h"
#include "bench/bench_support.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

// One initialised daemon shared by the benchmarks below.
testing::Daemon& SharedDaemon() {
  static BenchDir dir;
  static testing::Daemon daemon(dir.path() / "home");
  static bool started = [] {
    if (!daemon.Start()) return false;
    return daemon.Accord({"init", "--name", "Bench"}).exit_code == 0;
  }();
  if (!started) std::abort();
  return daemon;
}

bool ReadExact(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

void BM_StatusRoundTripWithProcessStart(benchmark::State& state) {
  testing::Daemon& daemon = SharedDaemon();
  for (auto _ : state) {
    if (daemon.Accord({"status"}).exit_code != 0) state.SkipWithError("status failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StatusRoundTripWithProcessStart)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AppendThroughSocket(benchmark::State& state) {
  testing::Daemon& daemon = SharedDaemon();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, daemon.socket().c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    state.SkipWithError("connect failed");
    return;
  }
  uint64_t i = 0;
  for (auto _ : state) {
    proto::Request request;
    request.set_protocol(1);
    request.mutable_add_need()->set_text(NeedBody(++i).need().text());
    Bytes frame = EncodeFrame(AsBytes(request.SerializeAsString()));
    if (::write(fd, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) break;
    uint8_t header[kFrameHeaderBytes];
    if (!ReadExact(fd, header, sizeof(header))) break;
    Bytes body(GetU32Be(header));
    if (!ReadExact(fd, body.data(), body.size())) break;
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendThroughSocket)->UseRealTime();

}  // namespace
}  // namespace accord::bench
