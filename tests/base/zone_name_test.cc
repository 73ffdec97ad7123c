#include "base/zone_name.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(ZoneName, TzNamesAZoneWithOrWithoutItsColon) {
  EXPECT_EQ(ZoneNameFromTz("Europe/Paris"), "Europe/Paris");
  EXPECT_EQ(ZoneNameFromTz(":Europe/Paris"), "Europe/Paris");
  EXPECT_EQ(ZoneNameFromTz("UTC"), "UTC");
  EXPECT_EQ(ZoneNameFromTz(""), "");
  EXPECT_EQ(ZoneNameFromTz(":"), "");
}

TEST(ZoneName, APathIntoZoneinfoNamesItsZone) {
  EXPECT_EQ(ZoneNameFromTz("/usr/share/zoneinfo/Asia/Tokyo"), "Asia/Tokyo");
  EXPECT_EQ(ZoneNameFromTz(":/usr/share/zoneinfo/Asia/Tokyo"), "Asia/Tokyo");
  EXPECT_EQ(ZoneNameFromPath("../usr/share/zoneinfo/Etc/UTC"), "Etc/UTC");
  EXPECT_EQ(ZoneNameFromPath("/usr/share/zoneinfo/posix/Europe/Berlin"), "Europe/Berlin");
  EXPECT_EQ(ZoneNameFromPath("/etc/zoneinfo-copy"), "");
  EXPECT_EQ(ZoneNameFromPath("/somewhere/else"), "");
}

TEST(ZoneName, AnythingElseComesBackAsWritten) {
  EXPECT_EQ(ZoneNameFromTz("Not/AZone"), "Not/AZone");
  EXPECT_EQ(ZoneNameFromTz("CET-1CEST,M3.5.0,M10.5.0/3"), "CET-1CEST,M3.5.0,M10.5.0/3");
}

}  // namespace
}  // namespace accord
