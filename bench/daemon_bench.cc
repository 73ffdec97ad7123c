// The daemon as a user meets it (issue: accordd and accord): `accord status` round trips
// including process start, and appends per second through the local socket.
#include <benchmark/benchmark.h>

#include "accord/ipc.pb.h"
#include "bench/bench_support.h"
#include "tests/integration/ipc_pipe.h"
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

void BM_StatusRoundTripWithProcessStart(benchmark::State& state) {
  testing::Daemon& daemon = SharedDaemon();
  for (auto _ : state) {
    if (daemon.Accord({"status"}).exit_code != 0) state.SkipWithError("status failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StatusRoundTripWithProcessStart)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AppendThroughSocket(benchmark::State& state) {
  testing::RawIpc ipc(SharedDaemon().socket());
  if (!ipc.connected()) {
    state.SkipWithError("connect failed");
    return;
  }
  uint64_t i = 0;
  for (auto _ : state) {
    proto::Request request;
    request.set_protocol(1);
    request.mutable_add_need()->set_text(NeedBody(++i).need().text());
    if (!ipc.Call(request)) break;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendThroughSocket)->UseRealTime();

}  // namespace
}  // namespace accord::bench
