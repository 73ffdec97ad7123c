// Space requests, export in every format (the .ics checked by a real iCalendar parser), and
// watch, through the real client and daemon.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

TEST_F(CliTest, AskingForSpaceShowsItUntilBack) {
  Init();
  std::string id = Wrote({"ask", "90m", "reading in the park"});
  nlohmann::json space = Json({"space"});
  ASSERT_EQ(space["space"]["in_space"].size(), 1u);
  EXPECT_EQ(space["space"]["in_space"][0]["id"], id);
  EXPECT_EQ(space["space"]["in_space"][0]["message"], "reading in the park");
  const auto& s = space["space"]["in_space"][0];
  EXPECT_EQ(
      std::stoll(s["end_ms"].get<std::string>()) - std::stoll(s["start_ms"].get<std::string>()),
      90 * 60 * 1000);
  EXPECT_NE(Ok({"status"}).find("is in space until"), std::string::npos);

  CommandResult own_ack = Run({"ack", id.substr(0, 8)});
  EXPECT_EQ(own_ack.exit_code, 5) << own_ack.err;

  Ok({"back"});
  space = Json({"space"});
  EXPECT_TRUE(!space["space"].contains("in_space") || space["space"]["in_space"].empty());
  EXPECT_EQ(Run({"back"}).exit_code, 5);  // not in space any more
}

TEST_F(CliTest, ABadSpaceDurationIsAUsageError) {
  Init();
  for (const char* bad : {"90x", "", "0m", "-1h", "1h30"}) {
    CommandResult r = Run({"ask", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
  }
  EXPECT_EQ(Json({"log"})["log"]["entries"].size(), 1u);  // only the member entry
}

TEST_F(CliTest, ScheduledSpaceTimesAreListedAhead) {
  Init();
  Wrote({"propose", "Weekend mornings", "--schedule", "sat,sun 08:00-10:00"});
  nlohmann::json space = Json({"space"});
  ASSERT_GE(space["space"]["upcoming"].size(), 2u);
  EXPECT_EQ(space["space"]["upcoming"][0]["text"], "Weekend mornings");
}

TEST_F(CliTest, ExportJsonHoldsEverythingAndParses) {
  Init();
  Ok({"need", "add", "I need time to read"});
  Ok({"reflect", "private thought"});
  Wrote({"propose", "Reading hour", "--schedule", "mon 20:00-21:00"});
  nlohmann::json j = nlohmann::json::parse(Ok({"export", "--format", "json"}));
  EXPECT_EQ(j["format"], "accord-export/1");
  EXPECT_EQ(j["needs"][0]["text"], "I need time to read");
  EXPECT_EQ(j["reflections"][0]["text"], "private thought");
  EXPECT_EQ(j["agreements"][0]["history"][0]["text"], "Reading hour");
  std::string md = Ok({"export", "--format", "md"});
  EXPECT_NE(md.find("# accord export"), std::string::npos);
  EXPECT_NE(md.find("Reading hour"), std::string::npos);
  EXPECT_EQ(Run({"export", "--format", "pdf"}).exit_code, 2);
}

TEST_F(CliTest, ExportedICalendarIsAcceptedByARealParser) {
  if (std::system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-icalendar is not installed";
  }
  Init();
  Wrote({"propose", "Tuesday and Thursday evenings", "--schedule", "tue,thu 19:00-21:00"});
  Wrote({"propose", "Every other Saturday", "--schedule", "sat 10:00-18:00 every 2w"});
  std::filesystem::path ics = dir_.path() / "space.ics";
  Ok({"export", "--format", "ics", "--out", ics.string()});
  std::filesystem::path script = dir_.path() / "check.py";
  std::ofstream(script) << R"(import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = [c for c in cal.walk() if c.name == 'VEVENT']
zones = [c for c in cal.walk() if c.name == 'VTIMEZONE']
assert len(events) == 2, events
assert len(zones) >= 1
rules = sorted(str(e['RRULE'].to_ical(), 'ascii') for e in events)
assert any('BYDAY=TU,TH' in r for r in rules), rules
assert any('INTERVAL=2' in r and 'BYDAY=SA' in r for r in rules), rules
for e in events:
    assert e['DTSTART'].dt.tzinfo is not None
    assert e['DTEND'].dt > e['DTSTART'].dt
print('ok')
)";
  CommandResult r = RunProcess({"/usr/bin/python3", script.string(), ics.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "ok\n");
}

TEST_F(CliTest, WatchPrintsEventsAsTheyHappen) {
  Init();
  std::filesystem::path out = dir_.path() / "watch.out";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::execl(AccordBinary().c_str(), "accord", "--home", daemon_->home().c_str(), "--json", "watch",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The watch registers with the daemon asynchronously; write until an event shows up.
  std::string seen;
  for (int i = 0; i < 100 && seen.find("I need a long bath") == std::string::npos; ++i) {
    if (i % 10 == 0) Ok({"need", "add", "I need a long bath"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream f(out);
    std::stringstream s;
    s << f.rdbuf();
    seen = s.str();
  }
  ::kill(pid, SIGTERM);  // our own child
  ::waitpid(pid, nullptr, 0);
  ASSERT_NE(seen.find("I need a long bath"), std::string::npos) << seen;
  std::string first_line = seen.substr(0, seen.find('\n'));
  nlohmann::json event = nlohmann::json::parse(first_line);
  EXPECT_EQ(event["event"]["kind"], "ENTRY_KIND_NEED");
  EXPECT_EQ(event["event"]["author_name"], "Alice");
}

}  // namespace
}  // namespace accord::testing
