// The per-entry pipeline (issue: the core): building own entries (seal + sign + durable append)
// and receiving entries (parse + hash + verify + open + insert in batches), next to the raw
// primitives they are made of, all measured in one run.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <memory>
#include <span>
#include <vector>

#include "bench/bench_support.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/sign.h"
#include "daemon/log/ingest.h"
#include "daemon/log/signatures.h"
#include "daemon/store/store.h"
#include "daemon/store/store_log_view.h"

namespace accord::bench {
namespace {

constexpr size_t kBatch = 256;                // entries per received batch (SECURITY §5.6)
constexpr size_t kReceiveBatches = 64;        // batches per receive run
constexpr size_t kRowBytes = 178 + 120 + 64;  // bytes: header + typical sealed need + signature

void BM_RawEd25519Verify(benchmark::State& state) {
  Feed feed(1);
  log::AuthoredEntry e = feed.Write(NeedBody(0));
  crypto::Signature sig{};
  std::copy(e.envelope.signature.begin(), e.envelope.signature.end(), sig.begin());
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::VerifySignature(e.header.author, e.envelope.header, sig));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawEd25519Verify)->UseRealTime();

void BM_RawAeadOpen(benchmark::State& state) {
  Feed feed(1);
  log::AuthoredEntry e = feed.Write(NeedBody(0));
  const crypto::SecretKey* key = feed.keys().KeyFor(e.header.scope, e.header.epoch);
  ByteView ad(e.envelope.header.data(), log::kHeaderAdBytes);
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::OpenBody(*key, e.header.nonce, ad, e.envelope.sealed_body));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawAeadOpen)->UseRealTime();

// One row of entry size into a WAL + synchronous=FULL database, `kBatch` rows per
// transaction: the storage floor under the receive pipeline.
void BM_RawSqliteInsert(benchmark::State& state) {
  RawTable table;
  Bytes row(kRowBytes, 0x5a);
  int64_t n = 0;
  for (auto _ : state) {
    table.Begin();
    for (size_t i = 0; i < kBatch; ++i) table.Insert(++n, row);
    table.Commit();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_RawSqliteInsert)->UseRealTime();

// One row per committed transaction: the floor under authoring, where every own entry is
// durable before it may be sent.
void BM_RawSqliteInsertCommitEach(benchmark::State& state) {
  RawTable table;
  Bytes row(kRowBytes, 0x5a);
  int64_t n = 0;
  for (auto _ : state) {
    table.Begin();
    table.Insert(++n, row);
    table.Commit();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawSqliteInsertCommitEach)->UseRealTime();

void BM_BuildEntry(benchmark::State& state) {
  Feed feed(1);
  BenchDir dir;
  auto store = store::Store::Open(dir.path() / "build.db");
  if (!store.ok()) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  uint64_t i = 0;
  for (auto _ : state) {
    log::AuthoredEntry e = feed.Write(NeedBody(++i));
    if (!(*store)->AppendOwn(e).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildEntry)->UseRealTime();

// Receives kReceiveBatches batches of kBatch entries into a fresh store, checking signatures
// on `signature_threads` threads.
void ReceiveEntries(benchmark::State& state, unsigned signature_threads) {
  Feed feed(1);
  std::vector<log::Envelope> chain;
  chain.reserve(kBatch * kReceiveBatches);
  for (size_t i = 0; i < kBatch * kReceiveBatches; ++i)
    chain.push_back(feed.Write(NeedBody(i)).envelope);
  size_t received = 0;
  for (auto _ : state) {
    state.PauseTiming();
    BenchDir dir;
    auto store = store::Store::Open(dir.path() / "receive.db");
    if (!store.ok()) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    store::StoreLogView view(**store, [](const log::DeviceKey&) { return true; });
    state.ResumeTiming();
    for (size_t b = 0; b < kReceiveBatches; ++b) {
      std::span<const log::Envelope> batch(chain.data() + b * kBatch, kBatch);
      Result<log::IngestPlan> plan =
          log::IngestBatch(batch, feed.pact(), view, feed.keys(), signature_threads);
      if (!plan.ok() || !(*store)->AppendBatch(plan->to_store).ok()) {
        state.SkipWithError("receive failed");
        return;
      }
      received += plan->to_store.size();
    }
    state.PauseTiming();
    store->reset();  // closing is not part of receiving
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(received));
}
// As the daemon receives: signatures checked on up to one thread per core.
void BM_ReceiveEntries(benchmark::State& state) { ReceiveEntries(state, log::SignatureThreads()); }
BENCHMARK(BM_ReceiveEntries)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

// Everything on one thread: the pipeline's cost per entry.
void BM_ReceiveEntriesOneThread(benchmark::State& state) { ReceiveEntries(state, 1); }
BENCHMARK(BM_ReceiveEntriesOneThread)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace accord::bench
