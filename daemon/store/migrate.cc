#include "daemon/store/migrate.h"

#include <cassert>
#include <charconv>
#include <string>

namespace accord::store {

Result<int> SchemaVersion(Sqlite& db) {
  Result<std::string> text = db.QueryText("PRAGMA user_version");
  if (!text.ok()) return text.error();
  int version = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), version);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return MakeError(ErrorCode::kCorrupt, "database reports schema version '" + *text + "'");
  }
  return version;
}

Status ApplyMigrations(Sqlite& db, std::span<const Migration> migrations) {
  Result<int> current = SchemaVersion(db);
  if (!current.ok()) return current.error();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest || *current < 0) {
    return MakeError(ErrorCode::kCorrupt,
                     "the database has schema version " + std::to_string(*current) +
                         ": it was made by a newer accord (this one knows up to version " +
                         std::to_string(latest) + "); run a newer accord to open it");
  }
  for (size_t i = 0; i < migrations.size(); ++i) {
    const Migration& m = migrations[i];
    assert(m.version == static_cast<int>(i) + 1);
    if (m.version <= *current) continue;
    Transaction txn(db);
    ACCORD_RETURN_IF_ERROR(txn.status());
    Status applied = db.Exec(m.sql);
    if (!applied.ok()) {
      return MakeError(applied.code(),
                       std::string("schema migration ") + m.name + ": " + applied.error().message);
    }
    ACCORD_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(m.version)));
    ACCORD_RETURN_IF_ERROR(txn.Commit());
  }
  return Status::Ok();
}

}  // namespace accord::store
