// Damage to a stopped daemon's database, as a failing disk or a careless edit would leave it:
// bytes of one stored row changed in place, through SQLite so the file stays a valid database.
#ifndef ACCORD_TESTS_INTEGRATION_STORE_DAMAGE_H_
#define ACCORD_TESTS_INTEGRATION_STORE_DAMAGE_H_

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

namespace accord::testing {

// Flips one bit of byte `at` of column `column` ("sealed_body", "header", "signature") of the
// entry whose id is `id_hex`. False (and nothing changed) if there is no such row or byte.
inline bool FlipStoredByte(const std::filesystem::path& db, const std::string& id_hex,
                           const std::string& column, size_t at) {
  std::vector<unsigned char> id;
  for (size_t i = 0; i + 1 < id_hex.size(); i += 2) {
    id.push_back(static_cast<unsigned char>(std::stoi(id_hex.substr(i, 2), nullptr, 16)));
  }
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) {
    sqlite3_close(h);
    return false;
  }
  bool done = false;
  sqlite3_stmt* read = nullptr;
  const std::string select = "SELECT " + column + " FROM entries WHERE entry_id = ?";
  if (sqlite3_prepare_v2(h, select.c_str(), -1, &read, nullptr) == SQLITE_OK) {
    sqlite3_bind_blob(read, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(read) == SQLITE_ROW) {
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(read, 0));
      std::vector<unsigned char> bytes(p, p + sqlite3_column_bytes(read, 0));
      if (at < bytes.size()) {
        bytes[at] ^= 0x04;
        sqlite3_stmt* write = nullptr;
        const std::string update = "UPDATE entries SET " + column + " = ? WHERE entry_id = ?";
        if (sqlite3_prepare_v2(h, update.c_str(), -1, &write, nullptr) == SQLITE_OK) {
          sqlite3_bind_blob(write, 1, bytes.data(), static_cast<int>(bytes.size()),
                            SQLITE_TRANSIENT);
          sqlite3_bind_blob(write, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
          done = sqlite3_step(write) == SQLITE_DONE && sqlite3_changes(h) == 1;
        }
        sqlite3_finalize(write);
      }
    }
  }
  sqlite3_finalize(read);
  sqlite3_close(h);
  return done;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_STORE_DAMAGE_H_
