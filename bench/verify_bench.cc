// `accord status` while `accord log --verify` checks a long log (issue 9: the check must not
// hold up other commands): status round trips over the local socket, idle and while a client
// keeps verifying a 30,000-entry log, in the same run.
#include <benchmark/benchmark.h>
#include <atomic>
#include <thread>

#include "accord/ipc.pb.h"
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

void StatusLoop(benchmark::State& state, testing::RawIpc& ipc) {
  proto::Request request;
  request.set_protocol(1);
  request.mutable_status();
  for (auto _ : state) {
    if (!ipc.Call(request)) state.SkipWithError("status failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_StatusIdle(benchmark::State& state) {
  testing::RawIpc ipc(VerifyDaemon().socket());
  StatusLoop(state, ipc);
}
BENCHMARK(BM_StatusIdle)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_StatusDuringLogVerify(benchmark::State& state) {
  testing::Daemon& daemon = VerifyDaemon();
  std::atomic<bool> stop = false;
  std::atomic<uint64_t> rounds = 0;
  std::thread verifier([&] {
    testing::RawIpc ipc(daemon.socket(), /*timeout_s=*/60);
    proto::Request request;
    request.set_protocol(1);
    request.mutable_log()->set_verify(true);
    while (!stop) {
      std::optional<proto::Response> response = ipc.Call(request);
      while (response && response->log().more()) response = ipc.Read();  // the rest of it
      if (!response) break;
      ++rounds;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a check is under way
  {
    testing::RawIpc ipc(daemon.socket());
    StatusLoop(state, ipc);
  }
  stop = true;
  verifier.join();
  state.counters["verify_rounds"] = static_cast<double>(rounds.load());
}
BENCHMARK(BM_StatusDuringLogVerify)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accord::bench
