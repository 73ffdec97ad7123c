// SPEC §3: a partner's devices receive no trace of a member's private entries — no header,
// count, time or size. Two real daemons, paired; after Alice writes reflections (and shared
// entries around them, which do reach Bob), Bob's database file, its WAL and his `--json log`
// are searched byte by byte for anything derived from the reflections: their entry ids (raw
// and hex), header bytes, sealed bodies, the chain's key and the reflections' times.
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "tests/integration/pact_fixture.h"
#include "tests/support/file_bytes.h"

namespace accord::testing {
namespace {

struct StoredRow {
  Bytes author, header, sealed_body;
};

// The row of `id_hex` in a database (read-only; the daemon may be running).
StoredRow ReadRow(const std::filesystem::path& db, const std::string& id_hex) {
  StoredRow row;
  std::optional<Bytes> id = FromHex(id_hex);
  EXPECT_TRUE(id.has_value());
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(h, "SELECT author, header, sealed_body FROM entries WHERE entry_id = ?",
                         -1, &q, nullptr),
      SQLITE_OK);
  sqlite3_bind_blob(q, 1, id->data(), static_cast<int>(id->size()), SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    auto column = [&](int i) {
      const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(q, i));
      return Bytes(p, p + sqlite3_column_bytes(q, i));
    };
    row = StoredRow{column(0), column(1), column(2)};
  }
  sqlite3_finalize(q);
  sqlite3_close(h);
  return row;
}

bool Contains(const Bytes& haystack, ByteView needle) {
  return !needle.empty() && std::search(haystack.begin(), haystack.end(), needle.begin(),
                                        needle.end()) != haystack.end();
}

class PrivateTraceTest : public PactTest {};

TEST_F(PrivateTraceTest, APartnersDeviceHoldsNothingDerivedFromAReflection) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairResult paired = Pair(alice, bob);
  ASSERT_EQ(paired.join_exit, 0) << paired.join_err;

  std::vector<std::string> ids;
  for (const char* text : {"canary-reflection-one", "canary-reflection-two"}) {
    Ok(alice, {"need", "add", std::string("I need quiet before ") + text});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // distinct times
    ids.push_back(Json(alice, {"reflect", text})["written"]["id"].get<std::string>());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Ok(alice, {"need", "add", "I need a last word"});
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json needs = Json(bob, {"needs"});
    return needs["notes"]["notes"].size() == 3;
  })) << Json(bob, {"needs"}).dump();

  // What Bob's copy would hold if anything leaked.
  std::vector<Bytes> needles;
  for (const std::string& id : ids) {
    StoredRow row = ReadRow(alice.daemon->home() / "accord.db", id);
    ASSERT_EQ(row.header.size(), 178u) << "reflection " << id << " not in Alice's store";
    ASSERT_FALSE(row.sealed_body.empty());  // an empty needle would be found nowhere
    ASSERT_EQ(row.author.size(), 32u);
    needles.push_back(*FromHex(id));
    needles.push_back(Bytes(id.begin(), id.end()));
    needles.push_back(row.header);
    needles.push_back(row.sealed_body);
    needles.push_back(row.author);  // the private chain's key
    needles.push_back(Bytes(row.header.begin() + 100, row.header.begin() + 108));  // its time
    const std::string author_hex = ToHex(row.author);
    needles.push_back(Bytes(author_hex.begin(), author_hex.end()));
  }

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(bob.daemon->home())) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("accord.db", 0) == 0) files.push_back(entry.path());
  }
  ASSERT_FALSE(files.empty());
  const std::string bob_log = Json(bob, {"log", "--verify"}).dump();
  for (size_t i = 0; i < needles.size(); ++i) {
    for (const auto& f : files)
      EXPECT_FALSE(Contains(ReadFileBytes(f), needles[i])) << "needle " << i << " in " << f;
    EXPECT_FALSE(Contains(Bytes(bob_log.begin(), bob_log.end()), needles[i])) << "needle " << i;
  }
  // Alice's feed in Bob's log is contiguous and holds only shared and control entries.
  nlohmann::json log = Json(bob, {"log"});
  uint64_t alice_seq = 0;
  for (const auto& e : log["log"]["entries"]) {
    EXPECT_NE(e["scope"], "SCOPE_PRIVATE") << e.dump();
    if (e["author_name"] == "alice")
      EXPECT_EQ(std::stoull(e["seq"].get<std::string>()), ++alice_seq);
  }
  EXPECT_TRUE(Json(bob, {"reflections"})["notes"]["notes"].empty());
  EXPECT_EQ(Json(alice, {"reflections"})["notes"]["notes"].size(), 2u);
}

TEST_F(PrivateTraceTest, ForgetTakesOnlyOnesOwnReflectionByAValidId) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairResult paired = Pair(alice, bob);
  ASSERT_EQ(paired.join_exit, 0) << paired.join_err;
  const std::string id = Json(alice, {"reflect", "to be forgotten"})["written"]["id"];
  const std::string need = Json(alice, {"need", "add", "I need a walk"})["written"]["id"];
  EXPECT_EQ(alice.daemon->Accord({"forget", "zz"}).exit_code, 2);               // not an id
  EXPECT_EQ(alice.daemon->Accord({"forget", id.substr(0, 3)}).exit_code, 2);    // too short
  EXPECT_EQ(alice.daemon->Accord({"forget", need.substr(0, 8)}).exit_code, 4);  // not a reflection
  EXPECT_EQ(bob.daemon->Accord({"forget", id.substr(0, 8)}).exit_code, 4);      // not Bob's
  EXPECT_EQ(Json(alice, {"reflections"})["notes"]["notes"].size(), 1u);
  Ok(alice, {"forget", id.substr(0, 8)});
  EXPECT_TRUE(Json(alice, {"reflections"})["notes"]["notes"].empty());
  EXPECT_EQ(alice.daemon->Accord({"forget", id.substr(0, 8)}).exit_code, 4);  // gone already
}

}  // namespace
}  // namespace accord::testing
