#include "bench/bench_support.h"

#include <stdlib.h>

#include <string>

#include "crypto/random.h"

namespace accord::bench {

BenchDir::BenchDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/accord-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

BenchDir::~BenchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Feed::Feed(int devices) : pact_(crypto::RandomFixed<16>()) {
  keys_.AddEpochKey(0, crypto::SecretKey::Random());
  keys_.AddPersonKey(0, crypto::SecretKey::Random());
  for (int i = 0; i < devices; ++i) {
    signing_.push_back(std::make_unique<crypto::SigningKey>(crypto::SigningKey::Generate()));
    authors_.push_back(std::make_unique<log::Author>(*signing_.back(), pact_, log::FeedHead{}));
  }
}

log::AuthoredEntry Feed::Write(const proto::Body& body, int device) {
  const uint64_t lamport = ++lamport_;  // once: argument order is unspecified
  Result<log::AuthoredEntry> e = authors_[device]->Write(
      body, keys_, keys_.current_epoch(), lamport, 1'790'000'000'000 + lamport * 1000);
  if (!e.ok()) std::abort();
  return std::move(*e);
}

proto::Body NeedBody(uint64_t i) {
  proto::Body b;
  b.mutable_need()->set_text("I need an evening to myself every week, without checking in #" +
                             std::to_string(i));
  return b;
}

RawTable::RawTable() {
  std::string path = (dir_.path() / "raw.db").string();
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) std::abort();
  sqlite3_exec(db_,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
               "CREATE TABLE t(k INTEGER PRIMARY KEY, author BLOB, seq INTEGER, id BLOB UNIQUE,"
               " row BLOB);",
               nullptr, nullptr, nullptr);
  sqlite3_prepare_v2(db_, "INSERT INTO t(k, author, seq, id, row) VALUES(?, ?, ?, ?, ?)", -1,
                     &insert_, nullptr);
}

RawTable::~RawTable() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

void RawTable::Begin() { sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); }
void RawTable::Commit() { sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr); }

void RawTable::Insert(int64_t key, const Bytes& row) {
  uint8_t author[32] = {1};
  FixedBytes<32> id = crypto::RandomFixed<32>();
  sqlite3_bind_int64(insert_, 1, key);
  sqlite3_bind_blob(insert_, 2, author, sizeof(author), SQLITE_STATIC);
  sqlite3_bind_int64(insert_, 3, key);
  sqlite3_bind_blob(insert_, 4, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(insert_, 5, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
  sqlite3_step(insert_);
  sqlite3_reset(insert_);
}

}  // namespace accord::bench
