#include "daemon/store/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

namespace accord::store {

ErrorCode CodeFor(int rc) {
  // Only a repeated key means "already there"; other constraints (CHECK, NOT NULL) mean a
  // row we should never have tried to write.
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return ErrorCode::kAlreadyExists;
  }
  switch (rc & 0xff) {  // the primary code of an extended one
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return ErrorCode::kCorrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kUnavailable;
    case SQLITE_TOOBIG:
      return ErrorCode::kTooLarge;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
      return ErrorCode::kInternal;
    default:
      return ErrorCode::kIo;
  }
}

Query::~Query() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Query::Query(Query&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(other.in_use_),
      bind_rc_(other.bind_rc_) {}

Query& Query::Bind(int index, ByteView blob) {
  // A zero-length blob must still bind as a blob, not NULL: give SQLite a non-null pointer.
  static const uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindText(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Query::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return MakeError(CodeFor(bind_rc_),
                     std::string("binding a value failed: ") + sqlite3_errstr(bind_rc_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return MakeError(CodeFor(rc), std::string("database step failed: ") + sqlite3_errmsg(db_));
}

Status Query::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
  }
}

int64_t Query::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

Bytes Query::Blob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return Bytes();
  return Bytes(data, data + size);
}

bool Query::CopyBlob(int column, uint8_t* out, size_t size) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr || sqlite3_column_bytes(stmt_, column) != static_cast<int>(size)) {
    return false;
  }
  std::copy(data, data + size, out);
  return true;
}

std::string Query::Text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(data, static_cast<size_t>(size));
}

bool Query::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Result<std::unique_ptr<Sqlite>> Sqlite::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return MakeError(CodeFor(rc), "cannot open the database " + path + ": " + why);
  }
  return std::unique_ptr<Sqlite>(new Sqlite(db));
}

Sqlite::~Sqlite() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status Sqlite::Exec(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string why = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return MakeError(CodeFor(rc), "database statement failed: " + why);
}

Status Sqlite::PrepareRaw(const std::string& sql, unsigned flags, sqlite3_stmt** out) {
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), flags, out, nullptr);
  if (rc != SQLITE_OK) return ErrorFrom(rc, "preparing a statement");
  return Status::Ok();
}

Result<Query> Sqlite::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    ACCORD_RETURN_IF_ERROR(PrepareRaw(sql, SQLITE_PREPARE_PERSISTENT, &stmt));
    it = statements_.emplace(sql, Cached{stmt, false}).first;
  }
  if (it->second.in_use) {
    sqlite3_stmt* stmt = nullptr;
    ACCORD_RETURN_IF_ERROR(PrepareRaw(sql, 0, &stmt));
    return Query(db_, stmt, nullptr);
  }
  it->second.in_use = true;
  return Query(db_, it->second.stmt, &it->second.in_use);
}

Result<std::string> Sqlite::QueryText(const std::string& sql) {
  Result<Query> query = Prepare(sql);
  if (!query.ok()) return query.error();
  Result<bool> row = query->Step();
  if (!row.ok()) return row.error();
  return *row ? query->Text(0) : std::string();
}

bool Sqlite::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Error Sqlite::ErrorFrom(int rc, std::string_view what) const {
  return MakeError(CodeFor(rc), std::string(what) + " failed: " + sqlite3_errmsg(db_) + " (" +
                                    sqlite3_errstr(rc) + ")");
}

namespace {
constexpr char kSavepoint[] = "accord_nested";
}  // namespace

Transaction::Transaction(Sqlite& db)
    : db_(db),
      nested_(db.in_transaction()),
      begin_(db.Exec(nested_ ? std::string("SAVEPOINT ") + kSavepoint : "BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (committed_ || !begin_.ok()) return;
  if (nested_) {
    // Undoes this savepoint's changes alone; the outer transaction goes on.
    (void)db_.Exec(std::string("ROLLBACK TO ") + kSavepoint + "; RELEASE " + kSavepoint);
    return;
  }
  // A failed COMMIT can leave the transaction open (SQLITE_BUSY); roll back in that case too.
  if (db_.in_transaction()) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!begin_.ok()) return begin_;
  Status committed = db_.Exec(nested_ ? std::string("RELEASE ") + kSavepoint : "COMMIT");
  committed_ = committed.ok();
  return committed;
}

}  // namespace accord::store
