// accord_bench: every benchmark in one run, then the ratios against the baselines measured in
// that same run (so the figures mean something on any machine).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>

#include "bench/ratio_reporter.h"
#include "crypto/random.h"

int main(int argc, char** argv) {
  if (!accord::crypto::Init()) {
    std::fprintf(stderr, "libsodium failed to initialise\n");
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  accord::bench::RatioReporter reporter(
      {
          {"receive pipeline, one thread / raw Ed25519 verify", "BM_ReceiveEntriesOneThread",
           "BM_RawEd25519Verify"},
          {"receive pipeline / the same on one thread", "BM_ReceiveEntries",
           "BM_ReceiveEntriesOneThread"},
          {"receive pipeline / raw AEAD open", "BM_ReceiveEntries", "BM_RawAeadOpen"},
          {"receive pipeline / raw SQLite insert (batches of 256)", "BM_ReceiveEntries",
           "BM_RawSqliteInsert"},
          {"build entry / raw SQLite insert (one commit each)", "BM_BuildEntry",
           "BM_RawSqliteInsertCommitEach"},
          {"append through the socket / build entry (core pipeline)", "BM_AppendThroughSocket",
           "BM_BuildEntry"},
          {"status round trip with process start / build entry",
           "BM_StatusRoundTripWithProcessStart", "BM_BuildEntry"},
          {"initial sync between daemons / single-process receive pipeline", "BM_InitialSync100k",
           "BM_ReceiveEntries"},
          {"initial sync between daemons / the pipeline on one thread", "BM_InitialSync100k",
           "BM_ReceiveEntriesOneThread"},
          {"status while log --verify runs / status idle", "BM_StatusDuringLogVerify",
           "BM_StatusIdle"},
      },
      isatty(STDOUT_FILENO) != 0);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
