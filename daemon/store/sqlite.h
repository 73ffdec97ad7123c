// A thin owner of one SQLite connection and its cached prepared statements, with errors
// mapped to ErrorCode. Used by one thread (the daemon thread, through the store); SQLite is
// opened without mutexes. No schema or accord policy here: that is store.cc and migrate.cc.
// Only daemon/store/*.cc include <sqlite3.h>; this header names its two types only.
#ifndef ACCORD_DAEMON_STORE_SQLITE_H_
#define ACCORD_DAEMON_STORE_SQLITE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

// SQLite's own types, declared as <sqlite3.h> declares them (typedef struct sqlite3 sqlite3).
struct sqlite3;
struct sqlite3_stmt;

namespace accord::store {

// One use of a statement: bind, step, read columns. A cached statement is reset (bindings
// cleared) and handed back to the cache when the Query goes out of scope; a one-off statement
// (the cached one was busy, e.g. a nested walk) is finalized.
class Query {
 public:
  // `in_use` is the cache's busy flag for `stmt`, or null when the Query owns `stmt`.
  Query(sqlite3* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {}
  ~Query();
  Query(Query&& other) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;

  // Parameter indexes start at 1, as in SQLite. A failed bind is reported by Step/Run.
  Query& Bind(int index, ByteView blob);
  Query& Bind(int index, int64_t value);
  Query& BindText(int index, std::string_view text);
  Query& BindNull(int index);

  // True when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, ignoring rows.
  Status Run();

  // Column indexes start at 0. REQUIRES: the last Step returned a row.
  int64_t Int64(int column) const;
  Bytes Blob(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  // Copies an N-byte blob column into `out`; false if the column is not exactly N bytes.
  template <size_t N>
  bool Fixed(int column, FixedBytes<N>& out) const {
    return CopyBlob(column, out.data(), N);
  }

 private:
  // Copies the blob column into `out` if it is exactly `size` bytes.
  bool CopyBlob(int column, uint8_t* out, size_t size) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int bind_rc_ = 0;  // SQLITE_OK, or the first failed bind's result code
};

class Sqlite {
 public:
  // Opens an existing file read-write; never creates it and never follows a symlink.
  static Result<std::unique_ptr<Sqlite>> Open(const std::string& path);
  ~Sqlite();
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  // Runs one or more statements that return no rows of interest.
  Status Exec(const std::string& sql);
  // The cached statement for `sql`, prepared on first use (a fresh one while it is busy).
  Result<Query> Prepare(const std::string& sql);
  // The first column of the first row as text ("" when there is no row).
  Result<std::string> QueryText(const std::string& sql);

  // Maps an SQLite result code, with the connection's message, to an Error.
  Error ErrorFrom(int rc, std::string_view what) const;
  bool in_transaction() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Sqlite(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  Status PrepareRaw(const std::string& sql, unsigned flags, sqlite3_stmt** out);
  std::map<std::string, Cached> statements_;  // node-based: the in_use flags stay put
};

// Maps an SQLite result code to our ErrorCode (corrupt, I/O, constraint, ...).
ErrorCode CodeFor(int rc);

// BEGIN IMMEDIATE on construction (check status()); ROLLBACK on destruction unless
// Commit() succeeded, so an early return leaves nothing of the transaction behind. Inside an
// open transaction (Store::Atomically) it is a SAVEPOINT instead: Commit releases it into the
// outer transaction, and destruction without Commit rolls back to it.
class Transaction {
 public:
  explicit Transaction(Sqlite& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& status() const { return begin_; }
  Status Commit();

 private:
  Sqlite& db_;
  bool nested_;
  Status begin_;
  bool committed_ = false;
};

}  // namespace accord::store

#endif  // ACCORD_DAEMON_STORE_SQLITE_H_
