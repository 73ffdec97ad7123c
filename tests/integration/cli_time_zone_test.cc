// Schedules are read in the client's time zone (SPEC §6): the real client run with TZ set
// against a real daemon running in UTC stores, shows and exports the client's zone.
#include <stdlib.h>
#include <time.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

// Sets TZ in this process for as long as it lives (the daemon started meanwhile inherits it).
class ScopedTz {
 public:
  explicit ScopedTz(const char* value) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", value, 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

// The wall clock of `ms` in `zone`, by the C library's own tz code (not the daemon's).
std::tm WallClockIn(const char* zone, int64_t ms) {
  ScopedTz tz(zone);
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return tm;
}

class CliTimeZoneTest : public CliTest {
 protected:
  void SetUp() override {
    ScopedTz utc("UTC");  // the daemon's own zone, which a schedule must not get
    CliTest::SetUp();
  }

  // `accord --home HOME args...` with TZ set to `tz` for the client alone.
  CommandResult RunIn(const std::string& tz, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/env", "TZ=" + tz, AccordBinary(), "--home",
                                     daemon_->home().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv);
  }
  std::string WroteIn(const std::string& tz, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = RunIn(tz, args);
    EXPECT_EQ(r.exit_code, 0) << Describe(args, r);
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    if (j.is_discarded() || !j.contains("written")) return "";
    return j["written"]["id"].get<std::string>();
  }
  size_t Entries() { return Json({"log"})["log"]["entries"].size(); }
};

TEST_F(CliTimeZoneTest, AScheduleIsStoredShownAndStartsInTheClientsZone) {
  Init();
  const std::string id = WroteIn("America/New_York", {"propose", "Tuesday evenings are mine",
                                                      "--schedule", "tue 19:00-21:00"});
  ASSERT_FALSE(id.empty());
  nlohmann::json version = Json({"show", id.substr(0, 8)})["show"]["agreement"]["history"][0];
  EXPECT_EQ(version["schedule"]["spec"], "tue 19:00-21:00");
  EXPECT_EQ(version["schedule"]["time_zone"], "America/New_York");
  const nlohmann::json& starts = version["schedule"]["next_starts_ms"];
  ASSERT_GE(starts.size(), 2u) << version.dump(2);
  for (const nlohmann::json& start : starts) {
    const int64_t ms = std::stoll(start.get<std::string>());  // int64 is a string in JSON
    const std::tm ny = WallClockIn("America/New_York", ms);
    EXPECT_EQ(ny.tm_wday, 2) << ms;  // Tuesday
    EXPECT_EQ(ny.tm_hour, 19) << ms;
    EXPECT_EQ(ny.tm_min, 0) << ms;
    // 19:00 in New York is 23:00 or 00:00 UTC (EDT or EST), never 19:00 UTC.
    const std::tm utc = WallClockIn("UTC", ms);
    EXPECT_TRUE(utc.tm_hour == 23 || utc.tm_hour == 0) << utc.tm_hour;
  }
  // Text output names the zone beside the times.
  EXPECT_NE(Ok({"show", id.substr(0, 8)}).find("space times: tue 19:00-21:00 (America/New_York)"),
            std::string::npos);

  // A counter typed in another zone is read in that one; the ":Area/City" form works too.
  ASSERT_FALSE(WroteIn(":Asia/Tokyo", {"counter", id.substr(0, 8), "Tuesday nights", "--schedule",
                                       "tue 21:00-23:00"})
                   .empty());
  nlohmann::json history = Json({"show", id.substr(0, 8)})["show"]["agreement"]["history"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["schedule"]["time_zone"], "Asia/Tokyo");
}

TEST_F(CliTimeZoneTest, TheIcsExportHoldsTheClientsZoneAsVtimezone) {
  Init();
  ASSERT_FALSE(WroteIn("America/New_York",
                       {"propose", "Tuesday evenings are mine", "--schedule", "tue 19:00-21:00"})
                   .empty());
  const std::filesystem::path ics = dir_.path() / "space.ics";
  Ok({"export", "--format", "ics", "--out", ics.string()});
  std::ifstream in(ics, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("TZOFFSETTO:-0400"), std::string::npos) << text;
  EXPECT_NE(text.find("TZOFFSETTO:-0500"), std::string::npos) << text;
  EXPECT_NE(text.find("DTSTART;TZID=America/New_York:"), std::string::npos) << text;
  EXPECT_EQ(text.find("TZID:UTC"), std::string::npos) << text;

  if (std::system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-icalendar is not installed";
  }
  const std::filesystem::path script = dir_.path() / "check.py";
  std::ofstream(script) << R"(import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
zones = [str(c['TZID']) for c in cal.walk() if c.name == 'VTIMEZONE']
assert zones == ['America/New_York'], zones
events = [c for c in cal.walk() if c.name == 'VEVENT']
assert len(events) == 1, events
start = events[0]['DTSTART']
assert start.params['TZID'] == 'America/New_York', start.params
assert (start.dt.weekday(), start.dt.hour, start.dt.minute) == (1, 19, 0), start.dt
assert start.dt.utcoffset().total_seconds() in (-4 * 3600, -5 * 3600), start.dt.utcoffset()
print('ok')
)";
  CommandResult r = RunProcess({"/usr/bin/python3", script.string(), ics.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "ok\n");
}

TEST_F(CliTimeZoneTest, AnUnknownZoneIsAClearUsageErrorAndStoresNothing) {
  Init();
  const std::string id = Wrote({"propose", "walks"});
  const size_t before = Entries();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"propose", "Tuesday evenings", "--schedule", "tue 19:00-21:00"},
        std::vector<std::string>{"counter", id.substr(0, 8), "Tuesday evenings", "--schedule",
                                 "tue 19:00-21:00"}}) {
    CommandResult r = RunIn("Not/AZone", args);
    EXPECT_EQ(r.exit_code, 2) << Describe(args, r);
    EXPECT_EQ(r.err.rfind("accord: error: unknown time zone 'Not/AZone'", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("set TZ to an IANA name"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(Entries(), before);
}

}  // namespace
}  // namespace accord::testing
