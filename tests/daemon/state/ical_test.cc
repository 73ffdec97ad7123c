#include "daemon/state/ical.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/state/schedule.h"
#include "tests/support/temp_dir.h"

namespace accord::state {
namespace {

using date::sys_days;
using namespace date::literals;

int64_t Ms(sys_days day) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count();
}

// "YYYYMMDDTHHMMSS" of `day` at `hour`:00 on the wall clock.
std::string LocalStamp(sys_days day, int hour) {
  const auto t = day.time_since_epoch() + std::chrono::hours{hour};
  return ICalLocalDateTime(std::chrono::duration_cast<std::chrono::seconds>(t).count());
}

// The physical lines of a folded line.
std::vector<std::string> Physical(const std::string& folded) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t at; (at = folded.find("\r\n", pos)) != std::string::npos; pos = at + 2) {
    out.push_back(folded.substr(pos, at - pos));
  }
  out.push_back(folded.substr(pos));
  return out;
}

std::string Unfold(const std::string& folded) {
  std::string out;
  for (const std::string& p : Physical(folded)) out += out.empty() ? p : p.substr(1);
  return out;
}

TEST(ICal, ShortLinesAreNotFolded) {
  const std::string line(75, 'x');
  EXPECT_EQ(FoldICalLine(line), line);
  EXPECT_EQ(FoldICalLine(""), "");
}

TEST(ICal, LongLinesFoldAt75OctetsAndUnfoldToTheOriginal) {
  EXPECT_EQ(FoldICalLine(std::string(76, 'x')), std::string(75, 'x') + "\r\n x");
  const std::string ascii = "SUMMARY:" + std::string(300, 'a');
  const auto parts = Physical(FoldICalLine(ascii));
  EXPECT_EQ(parts.size(), 5u);  // 75 + 74 * 3 = 297 < 308 octets
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(parts[i].size(), 75u);
    if (i > 0) {
      EXPECT_EQ(parts[i][0], ' ');
    }
  }
  EXPECT_EQ(Unfold(FoldICalLine(ascii)), ascii);
}

TEST(ICal, FoldingNeverSplitsAUtf8Character) {
  std::string text = "SUMMARY:";
  for (int i = 0; i < 60; ++i) text += "\xc3\xa4\xe2\x82\xac";  // "ä€": 2 + 3 octets
  const std::string folded = FoldICalLine(text);
  for (const std::string& p : Physical(folded)) {
    EXPECT_LE(p.size(), 75u);
    const size_t first = p.size() > 0 && p[0] == ' ' ? 1 : 0;
    ASSERT_LT(first, p.size());
    EXPECT_NE(static_cast<unsigned char>(p[first]) & 0xC0, 0x80) << "split inside a character";
  }
  EXPECT_EQ(Unfold(folded), text);
}

TEST(ICal, TextEscapingCoversBackslashSemicolonCommaAndNewlines) {
  EXPECT_EQ(EscapeICalText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeICalText(std::string("tab\there\x01\x7f", 11)), "tab\there");
  EXPECT_EQ(EscapeICalText("Zeit für uns"), "Zeit für uns");
}

TEST(ICal, LocalDateTimeFormatsWallClockSeconds) {
  EXPECT_EQ(ICalLocalDateTime(0), "19700101T000000");
  const auto t = sys_days{2027_y / 3 / 28} + std::chrono::hours{2} + std::chrono::minutes{30} +
                 std::chrono::seconds{7};
  EXPECT_EQ(ICalLocalDateTime(t.time_since_epoch().count()), "20270328T023007");
  EXPECT_EQ(ICalLocalDateTime(INT64_MAX / 2), "");
  EXPECT_EQ(ICalLocalDateTime(INT64_MIN / 2), "");
}

struct Observance {
  std::string kind, dtstart, from, to, name;
};

// The sub-components of a VTIMEZONE, checking the frame around them.
std::vector<Observance> Observances(const std::vector<std::string>& lines,
                                    const std::string& zone) {
  EXPECT_GE(lines.size(), 4u);
  if (lines.size() < 4) return {};
  EXPECT_EQ(lines.front(), "BEGIN:VTIMEZONE");
  EXPECT_EQ(lines[1], "TZID:" + zone);
  EXPECT_EQ(lines.back(), "END:VTIMEZONE");
  std::vector<Observance> out;
  for (size_t i = 2; i + 1 < lines.size(); ++i) {
    const std::string& l = lines[i];
    auto value = [&](const char* key) { return l.substr(std::string(key).size()); };
    if (l.rfind("BEGIN:", 0) == 0) out.push_back({value("BEGIN:"), "", "", "", ""});
    if (out.empty()) continue;
    if (l.rfind("DTSTART:", 0) == 0) out.back().dtstart = value("DTSTART:");
    if (l.rfind("TZOFFSETFROM:", 0) == 0) out.back().from = value("TZOFFSETFROM:");
    if (l.rfind("TZOFFSETTO:", 0) == 0) out.back().to = value("TZOFFSETTO:");
    if (l.rfind("TZNAME:", 0) == 0) out.back().name = value("TZNAME:");
  }
  return out;
}

TEST(ICal, BerlinTimezoneListsEachTransitionInTheRange) {
  const auto obs = Observances(
      VTimezoneLines("Europe/Berlin", Ms(2026_y / 1 / 1), Ms(2028_y / 12 / 31)), "Europe/Berlin");
  ASSERT_EQ(obs.size(), 7u);
  // In effect on 2026-01-01: standard time since the last Sunday of October 2025, 03:00 CEST.
  const sys_days oct2025{2025_y / date::October / date::Sunday[date::last]};
  EXPECT_EQ(obs[0].kind, "STANDARD");
  EXPECT_EQ(obs[0].dtstart, LocalStamp(oct2025, 3));
  EXPECT_EQ(obs[0].from, "+0200");
  EXPECT_EQ(obs[0].to, "+0100");
  EXPECT_EQ(obs[0].name, "CET");
  for (int y = 0; y < 3; ++y) {
    const date::year year{2026 + y};
    const Observance& spring = obs[1 + 2 * y];
    EXPECT_EQ(spring.kind, "DAYLIGHT");
    EXPECT_EQ(spring.dtstart,
              LocalStamp(sys_days{year / date::March / date::Sunday[date::last]}, 2));
    EXPECT_EQ(spring.from, "+0100");
    EXPECT_EQ(spring.to, "+0200");
    EXPECT_EQ(spring.name, "CEST");
    const Observance& autumn = obs[2 + 2 * y];
    EXPECT_EQ(autumn.kind, "STANDARD");
    EXPECT_EQ(autumn.dtstart,
              LocalStamp(sys_days{year / date::October / date::Sunday[date::last]}, 3));
    EXPECT_EQ(autumn.from, "+0200");
    EXPECT_EQ(autumn.to, "+0100");
  }
}

TEST(ICal, ZonesWithoutTransitionsGetOneStandardBlock) {
  const auto utc =
      Observances(VTimezoneLines("UTC", Ms(2026_y / 1 / 1), Ms(2028_y / 1 / 1)), "UTC");
  ASSERT_EQ(utc.size(), 1u);
  EXPECT_EQ(utc[0].kind, "STANDARD");
  EXPECT_EQ(utc[0].dtstart, "19700101T000000");
  EXPECT_EQ(utc[0].from, "+0000");
  EXPECT_EQ(utc[0].to, "+0000");
  const auto india = Observances(
      VTimezoneLines("Asia/Kolkata", Ms(2026_y / 1 / 1), Ms(2028_y / 1 / 1)), "Asia/Kolkata");
  ASSERT_EQ(india.size(), 1u);
  EXPECT_EQ(india[0].kind, "STANDARD");
  EXPECT_EQ(india[0].to, "+0530");
  EXPECT_FALSE(india[0].dtstart.empty());
}

TEST(ICal, OffsetsWithSecondsAreWrittenInFull) {
  // Liberia kept -0:44:30 until 1972-01-07.
  const auto obs = Observances(
      VTimezoneLines("Africa/Monrovia", Ms(1971_y / 1 / 1), Ms(1973_y / 1 / 1)), "Africa/Monrovia");
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0].to, "-004430");
  EXPECT_EQ(obs[1].from, "-004430");
  EXPECT_EQ(obs[1].to, "+0000");
}

TEST(ICal, UnknownZoneOrReversedRangeStaysSafe) {
  EXPECT_TRUE(VTimezoneLines("Nowhere/Land", 0, Ms(2028_y / 1 / 1)).empty());
  EXPECT_EQ(
      Observances(VTimezoneLines("Europe/Berlin", Ms(2028_y / 1 / 1), 0), "Europe/Berlin").size(),
      1u);
  EXPECT_FALSE(VTimezoneLines("Europe/Berlin", INT64_MIN, INT64_MAX).empty());
}

// Checks a calendar with the Python icalendar parser (plus pytz and dateutil, which it
// depends on): argv = calendar, expected occurrences ("start end" unix seconds per line),
// expected SUMMARY, zone, interval, BYDAY. Exits non-zero with a reason on any mismatch.
constexpr char kChecker[] = R"PY(
import datetime, sys
import dateutil.rrule, icalendar, pytz
cal_path, expected_path, summary_path, zone, interval, byday = sys.argv[1:7]
def fail(why):
    print('icalendar check failed: ' + why, file=sys.stderr)
    sys.exit(1)
cal = icalendar.Calendar.from_ical(open(cal_path, 'rb').read())
for c in cal.walk():
    if c.errors: fail('%s: %r' % (c.name, c.errors))
events = cal.walk('VEVENT')
if len(events) != 1: fail('%d VEVENTs' % len(events))
ev = events[0]
start, end = ev['DTSTART'].dt, ev['DTEND'].dt
if getattr(start.tzinfo, 'zone', None) != zone: fail('DTSTART tzinfo %r' % start.tzinfo)
want = {'FREQ': ['WEEKLY'], 'BYDAY': byday.split(','), 'WKST': ['MO']}
if int(interval) > 1: want['INTERVAL'] = [int(interval)]
if dict(ev['RRULE']) != want: fail('RRULE %r, want %r' % (dict(ev['RRULE']), want))
if str(ev['SUMMARY']) != open(summary_path, encoding='utf-8').read(): fail('SUMMARY')
# The VTIMEZONE agrees with the real zone at every hour of 2026-2028.
real, vtz = pytz.timezone(zone), cal.walk('VTIMEZONE')[0].to_tz()
t = datetime.datetime(2026, 1, 1, tzinfo=pytz.utc)
while t.year < 2029:
    if t.astimezone(vtz).utcoffset() != t.astimezone(real).utcoffset(): fail('offset at %s' % t)
    t += datetime.timedelta(hours=1)
# Expanding the RRULE in the zone gives the occurrences NextOccurrences computed.
expected = [tuple(map(int, l.split())) for l in open(expected_path) if l.strip()]
if len(expected) < 10: fail('too few expected occurrences')
local = start.replace(tzinfo=None)
length = end.replace(tzinfo=None) - local
rule = dateutil.rrule.rrulestr(ev['RRULE'].to_ical().decode(), dtstart=local)
for want_pair, occ in zip(expected, rule):
    got = (int(real.localize(occ).timestamp()), int(real.localize(occ + length).timestamp()))
    if got != want_pair: fail('occurrence %s: %r, want %r' % (occ, got, want_pair))
)PY";

bool HavePythonICalendar() {
  return std::system("/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1") == 0;
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ICal, GeneratedCalendarParsesWithPythonICalendar) {
  if (!HavePythonICalendar()) GTEST_SKIP() << "python3-icalendar is not installed";
  const int64_t now = Ms(2026_y / 3 / 4);  // three weeks before the spring change
  Result<Schedule> s = ParseSchedule("tue,thu 19:00-21:00 every 2w", "Europe/Berlin", now);
  ASSERT_TRUE(s.ok());
  const std::string summary =
      "Space time: quiet evening; no phones, no plans \\ just us, Zeit für uns — "
      "line two\nof a summary long enough to need folding";

  std::vector<std::string> lines = {"BEGIN:VCALENDAR", "VERSION:2.0",
                                    "PRODID:-//accord//schedule test//EN"};
  for (std::string& l : VTimezoneLines("Europe/Berlin", Ms(2026_y / 1 / 1), Ms(2028_y / 12 / 31))) {
    lines.push_back(std::move(l));
  }
  lines.insert(lines.end(), {"BEGIN:VEVENT", "UID:0123abcd@accord", "DTSTAMP:20260304T000000Z",
                             "SUMMARY:" + EscapeICalText(summary)});
  for (std::string& l : ToICalendarLines(*s)) lines.push_back(std::move(l));
  lines.insert(lines.end(), {"END:VEVENT", "END:VCALENDAR"});
  std::string calendar;
  for (const std::string& l : lines) calendar += FoldICalLine(l) + "\r\n";
  ASSERT_NE(calendar.find("\r\n "), std::string::npos) << "the summary should be folded";

  // 40 occurrences over 40 weeks from the anchor Monday (DTSTART's week): both 2026 changes.
  std::string expected;
  for (const Occurrence& o : NextOccurrences(*s, s->anchor_day * 86'400'000, 40)) {
    expected += std::to_string(o.start_ms / 1000) + " " + std::to_string(o.end_ms / 1000) + "\n";
  }
  accord::testing::TempDir dir;
  WriteFile(dir.path() / "checker.py", kChecker);
  WriteFile(dir.path() / "accord.ics", calendar);
  WriteFile(dir.path() / "expected.txt", expected);
  WriteFile(dir.path() / "summary.txt", summary);
  const std::string d = "'" + dir.path().string() + "/";
  auto run = [&](const std::string& expected_file, const char* redirect) {
    return std::system(("/usr/bin/python3 " + d + "checker.py' " + d + "accord.ics' " + d +
                        expected_file + "' " + d + "summary.txt' Europe/Berlin 2 TU,TH" + redirect)
                           .c_str());
  };
  EXPECT_EQ(run("expected.txt", ""), 0);

  // The checker notices an occurrence that is an hour off.
  WriteFile(dir.path() / "wrong.txt",
            std::to_string(std::stoll(expected) + 3600) + expected.substr(expected.find(' ')));
  EXPECT_NE(run("wrong.txt", " 2>/dev/null"), 0);
}

}  // namespace
}  // namespace accord::state
