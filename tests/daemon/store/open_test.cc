// Tests of the database file itself: what is on disk, its mode, damage, schema versions.
#include "daemon/store/open.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <vector>

#include "daemon/store/migrate.h"
#include "tests/daemon/store/store_fixture.h"

namespace accord::store {
namespace {

using log::testing::NeedBody;
using log::testing::ReflectionBody;

constexpr char kCanary[] = "canary-7f3a-need-text";

// Runs one statement on the file with plain SQLite, outside the store.
void RawExec(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

std::string DatabaseFilesBytes(const std::filesystem::path& db) {
  return ReadFileBytes(db) + ReadFileBytes(db.string() + "-wal") +
         ReadFileBytes(db.string() + "-shm");
}

using OpenTest = StoreFixture;

TEST_F(OpenTest, TheDatabaseFilesHoldNoPlaintextWhileOpenOrAfterClose) {
  const std::string text = std::string(kCanary) + " and more words";
  const proto::Body need = NeedBody(text);
  const proto::Body reflection = ReflectionBody(text);
  ASSERT_NE(need.SerializeAsString().find(kCanary), std::string::npos) << "positive control";
  {
    std::unique_ptr<Store> store = OpenStore();
    ASSERT_TRUE(store);
    std::vector<log::VerifiedEntry> batch;
    for (int i = 0; i < 20; ++i) batch.push_back(Next(i % 2, i % 4 == 3 ? reflection : need));
    ASSERT_TRUE(store->AppendBatch(batch).ok());
    ASSERT_TRUE(store->AppendOwn(feed_.Write(2, need)).ok());
    ASSERT_TRUE(std::filesystem::exists(db_path().string() + "-wal"));
    EXPECT_EQ(DatabaseFilesBytes(db_path()).find(kCanary), std::string::npos) << "while open";
  }
  EXPECT_EQ(DatabaseFilesBytes(db_path()).find(kCanary), std::string::npos) << "after close";
}

TEST_F(OpenTest, ReadingTheRawFilesDoesSeeWhatWasJustWritten) {
  // The control for the test above: plaintext put in on purpose is found in the same bytes.
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->SetMeta("control", AsBytes(kCanary)).ok());
  EXPECT_NE(DatabaseFilesBytes(db_path()).find(kCanary), std::string::npos);
}

TEST_F(OpenTest, TheDatabaseAndItsWalAndShmAreOwnerOnly) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->AppendOwn(feed_.Write(0, NeedBody("x"))).ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    struct stat st;
    ASSERT_EQ(stat((db_path().string() + suffix).c_str(), &st), 0) << suffix;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << suffix;
  }
}

TEST_F(OpenTest, AGroupReadableDatabaseIsTightenedAndASymlinkRefused) {
  { ASSERT_TRUE(OpenStore()); }
  ASSERT_EQ(chmod(db_path().c_str(), 0644), 0);
  { ASSERT_TRUE(OpenStore()); }
  struct stat st;
  ASSERT_EQ(stat(db_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::filesystem::path link = dir_.path() / "link.db";
  std::filesystem::create_symlink(db_path(), link);
  EXPECT_EQ(Store::Open(link).code(), ErrorCode::kInsecureFile);
}

TEST_F(OpenTest, MigrationsSetUserVersion) {
  std::unique_ptr<Store> store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_FALSE(BuiltInMigrations().empty());
  EXPECT_EQ(*store->SchemaVersion(), BuiltInMigrations().back().version);
}

TEST_F(OpenTest, ADatabaseFromANewerAccordIsRefused) {
  { ASSERT_TRUE(OpenStore()); }
  RawExec(db_path(), "PRAGMA user_version = 999");
  Result<std::unique_ptr<Store>> store = Store::Open(db_path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("newer accord"), std::string::npos);
}

TEST_F(OpenTest, AFailingMigrationLeavesThePreviousVersion) {
  std::vector<Migration> migrations(BuiltInMigrations().begin(), BuiltInMigrations().end());
  const int latest = migrations.back().version;
  migrations.push_back({latest + 1, "extra.sql", "CREATE TABLE extra (x INTEGER) STRICT;"});
  migrations.push_back(
      {latest + 2, "broken.sql", "CREATE TABLE half (x INTEGER) STRICT; CREATE TABLE ("});
  EXPECT_FALSE(Store::OpenWith(db_path(), migrations).ok());

  // The file is at version latest + 1 now: newer than the built-ins.
  EXPECT_EQ(Store::Open(db_path()).code(), ErrorCode::kCorrupt);
  migrations.pop_back();
  Result<std::unique_ptr<Store>> reopened = Store::OpenWith(db_path(), migrations);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->SchemaVersion(), latest + 1);
  reopened->reset();
  RawExec(db_path(), "CREATE TABLE half (y INTEGER)");  // fails if `half` had survived
}

TEST_F(OpenTest, AFileOfGarbageIsCorruptNotACrash) {
  {
    std::ofstream out(db_path(), std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>((i * 131 + 7) & 0xff));
  }
  Result<std::unique_ptr<Store>> store = Store::Open(db_path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("restore it from a backup"), std::string::npos);
}

TEST_F(OpenTest, AnyOverwrittenPageIsCorruptNotACrash) {
  {
    std::unique_ptr<Store> store = OpenStore();
    ASSERT_TRUE(store);
    std::vector<log::VerifiedEntry> batch;
    for (int i = 0; i < 60; ++i) batch.push_back(Next(i % 3, NeedBody(std::string(200, 'n'))));
    ASSERT_TRUE(store->AppendBatch(batch).ok());
    ASSERT_TRUE(
        store
            ->RecordFork([&] {
              feed_.Rewind(0, FeedHead{});
              const log::AuthoredEntry other = feed_.Write(0, NeedBody("other"));
              return log::ForkProof{feed_.device(0), 1, batch[0].id, other.id, other.envelope};
            }())
            .ok());
    ASSERT_TRUE(store->PutWrappedKey({WrappedKeyKind::kEpoch, 1, Bytes(72, 1)}).ok());
    ASSERT_TRUE(store->SetMeta("pact", feed_.pact()).ok());
  }  // closing checkpoints the WAL into the main file
  ASSERT_FALSE(std::filesystem::exists(db_path().string() + "-wal"));
  const std::string good = ReadFileBytes(db_path());
  const size_t page_size = (static_cast<uint8_t>(good[16]) << 8) | static_cast<uint8_t>(good[17]);
  ASSERT_EQ(good.size() % page_size, 0u);
  const size_t pages = good.size() / page_size;
  ASSERT_GE(pages, 8u);

  for (size_t page = 1; page <= pages; ++page) {
    const std::filesystem::path damaged = dir_.path() / ("page" + std::to_string(page) + ".db");
    std::string bytes = good;
    std::fill(bytes.begin() + (page - 1) * page_size, bytes.begin() + page * page_size, '\xa5');
    std::ofstream(damaged, std::ios::binary) << bytes;
    Result<std::unique_ptr<Store>> store = Store::Open(damaged);
    ASSERT_FALSE(store.ok()) << "page " << page << " of " << pages;
    EXPECT_EQ(store.code(), ErrorCode::kCorrupt)
        << "page " << page << ": " << store.error().message;
  }
}

}  // namespace
}  // namespace accord::store
