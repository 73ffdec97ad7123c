// Shared set-up for the store tests: a TempDir, a TestFeed writing real entries, and helpers
// to open the store and read raw files. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_STORE_STORE_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_STORE_STORE_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "daemon/store/store.h"
#include "tests/daemon/log/test_feed.h"
#include "tests/support/temp_dir.h"

namespace accord::store {

inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class StoreFixture : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_.path() / "accord.db"; }

  std::unique_ptr<Store> OpenStore() {
    Result<std::unique_ptr<Store>> store = Store::Open(db_path());
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  // The device's next entry as validation would hand it to the store.
  log::VerifiedEntry Next(int device, const proto::Body& body) {
    return log::testing::AsVerified(feed_.Write(device, body), body);
  }

  testing::TempDir dir_;
  log::testing::TestFeed feed_;
};

}  // namespace accord::store

#endif  // ACCORD_TESTS_DAEMON_STORE_STORE_FIXTURE_H_
