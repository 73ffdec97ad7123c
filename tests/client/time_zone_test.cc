// ClientTimeZone: the zone the client sends with a schedule (TZ, else /etc/localtime's link,
// else /etc/timezone), against a made-up root directory.
#include "client/time_zone.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace accord::client {
namespace {

namespace fs = std::filesystem;

class ClientZone : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "accord-zone-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    fs::create_directories(root_ / "etc");
  }
  void TearDown() override { fs::remove_all(root_); }

  void LinkLocaltime(const fs::path& target) {
    fs::create_symlink(target, root_ / "etc" / "localtime");
  }
  void WriteTimezone(const std::string& text) { std::ofstream(root_ / "etc" / "timezone") << text; }

  fs::path root_;
};

TEST_F(ClientZone, TzWinsInEachOfItsForms) {
  LinkLocaltime("/usr/share/zoneinfo/Asia/Tokyo");
  EXPECT_EQ(ClientTimeZone("America/New_York", root_), "America/New_York");
  EXPECT_EQ(ClientTimeZone(":America/New_York", root_), "America/New_York");
  EXPECT_EQ(ClientTimeZone(":/usr/share/zoneinfo/Europe/Paris", root_), "Europe/Paris");
  EXPECT_EQ(ClientTimeZone("/usr/share/zoneinfo/Europe/Paris", root_), "Europe/Paris");
}

TEST_F(ClientZone, AnEmptyTzIsUtcAsForTheCLibrary) {
  LinkLocaltime("/usr/share/zoneinfo/Asia/Tokyo");
  EXPECT_EQ(ClientTimeZone("", root_), "UTC");
  EXPECT_EQ(ClientTimeZone(":", root_), "UTC");
}

TEST_F(ClientZone, AnUnknownTzIsSentAsTypedForTheDaemonToRefuse) {
  EXPECT_EQ(ClientTimeZone("Not/AZone", root_), "Not/AZone");
  EXPECT_EQ(ClientTimeZone("CET-1CEST,M3.5.0,M10.5.0/3", root_), "CET-1CEST,M3.5.0,M10.5.0/3");
}

TEST_F(ClientZone, WithoutTzTheLocaltimeLinkNamesTheZone) {
  LinkLocaltime("/usr/share/zoneinfo/Asia/Tokyo");
  WriteTimezone("Europe/Berlin\n");
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "Asia/Tokyo");
}

TEST_F(ClientZone, ARelativeLinkNamesItsZoneToo) {
  LinkLocaltime("../usr/share/zoneinfo/America/Sao_Paulo");
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "America/Sao_Paulo");
}

TEST_F(ClientZone, ACopiedLocaltimeFallsBackToEtcTimezone) {
  std::ofstream(root_ / "etc" / "localtime") << "TZif";  // a copy, not a link
  WriteTimezone("  Europe/Berlin \n");
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "Europe/Berlin");
}

TEST_F(ClientZone, ALinkOutsideAZoneinfoTreeFallsBackToEtcTimezone) {
  LinkLocaltime("/somewhere/else");
  WriteTimezone("Europe/Berlin");
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "Europe/Berlin");
}

TEST_F(ClientZone, NothingToGoByIsEmptySoTheDaemonUsesItsOwn) {
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "");
  WriteTimezone("\n");
  EXPECT_EQ(ClientTimeZone(nullptr, root_), "");
}

}  // namespace
}  // namespace accord::client
