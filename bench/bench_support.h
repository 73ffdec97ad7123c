// What the benchmarks share: a one-pact feed of real signed entries, a temporary directory,
// and a raw SQLite table for baselines. Bench only.
#ifndef ACCORD_BENCH_BENCH_SUPPORT_H_
#define ACCORD_BENCH_BENCH_SUPPORT_H_

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "accord/entry.pb.h"
#include "crypto/sign.h"
#include "daemon/log/author.h"
#include "daemon/log/key_ring.h"

namespace accord::bench {

class BenchDir {
 public:
  BenchDir();
  ~BenchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Devices writing real entries (sealed and signed) into one pact.
class Feed {
 public:
  explicit Feed(int devices);
  log::AuthoredEntry Write(const proto::Body& body, int device = 0);
  const log::PactId& pact() const { return pact_; }
  const log::KeyRing& keys() const { return keys_; }

 private:
  log::PactId pact_;
  log::KeyRing keys_;
  std::vector<std::unique_ptr<crypto::SigningKey>> signing_;
  std::vector<std::unique_ptr<log::Author>> authors_;
  uint64_t lamport_ = 0;
};

// A need of typical length (about 80 characters).
proto::Body NeedBody(uint64_t i);

// A table shaped like the entry store's, with the store's durability settings.
class RawTable {
 public:
  RawTable();
  ~RawTable();
  void Begin();
  void Insert(int64_t key, const Bytes& row);
  void Commit();

 private:
  BenchDir dir_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_BENCH_SUPPORT_H_
