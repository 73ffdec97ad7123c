#include "daemon/state/schedule.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace accord::state {
namespace {

using date::days;
using date::sys_days;
using namespace date::literals;

// Unix milliseconds of `day` at hh:mm UTC (date's calendar, independent of the code under test).
int64_t Utc(sys_days day, int hour, int minute = 0) {
  const auto t = day + std::chrono::hours{hour} + std::chrono::minutes{minute};
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

int64_t DayNumber(sys_days day) { return day.time_since_epoch().count(); }

Schedule Parsed(std::string_view spec, std::string_view zone, int64_t now_ms) {
  Result<Schedule> s = ParseSchedule(spec, zone, now_ms);
  EXPECT_TRUE(s.ok()) << spec << ": " << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : Schedule{};
}

const int64_t kNow = Utc(2027_y / 1 / 6, 12);  // a Wednesday

TEST(Schedule, ParsesEveryAcceptedForm) {
  struct Case {
    const char* spec;
    uint32_t weekdays, start, end, every;
  };
  const Case cases[] = {
      {"tue,thu 19:00-21:00", 0x0a, 1140, 1260, 1},
      {"sat 10:00-18:00 every 2w", 0x20, 600, 1080, 2},
      {"TUE,Thursday 9:30-11:00", 0x0a, 570, 660, 1},
      {"monday,tuesday,wednesday,thursday,friday,saturday,sunday 06:00-07:00", 0x7f, 360, 420, 1},
      {"mon-fri 08:00-09:00", 0x1f, 480, 540, 1},
      {"fri-mon 20:00-22:00", 0x71, 1200, 1320, 1},
      {"mon,wed-thu,sun 07:00-07:30", 0x4d, 420, 450, 1},
      {"daily 00:00-24:00", 0x7f, 0, 0, 1},
      {"weekdays 12:00-13:00 every week", 0x1f, 720, 780, 1},
      {"weekends 10:00-12:00 every 52w", 0x60, 600, 720, 52},
      {"fri 22:00-02:00", 0x10, 1320, 120, 1},
      {"sun 23:59-00:00 every 1w", 0x40, 1439, 0, 1},
      {"  sat\t10:00-18:00   EVERY  3W ", 0x20, 600, 1080, 3},
  };
  for (const Case& c : cases) {
    const Schedule s = Parsed(c.spec, "Europe/Berlin", kNow);
    EXPECT_EQ(s.spec, c.spec);
    EXPECT_EQ(s.time_zone, "Europe/Berlin");
    EXPECT_EQ(s.weekdays, c.weekdays) << c.spec;
    EXPECT_EQ(s.start_minute, c.start) << c.spec;
    EXPECT_EQ(s.end_minute, c.end) << c.spec;
    EXPECT_EQ(s.every_weeks, c.every) << c.spec;
  }
}

TEST(Schedule, RejectsEachBadFormWithTheAcceptedForm) {
  const char* bad[] = {"",
                       "   ",
                       "tue",
                       "19:00-21:00",
                       "tue 19-21",
                       "tue 19:00",
                       "tue 19:00-",
                       "tue -21:00",
                       "tue 19:00-19:00",
                       "tue 24:00-02:00",
                       "tue 23:00-24:01",
                       "tue 19:60-21:00",
                       "tue 7:5-9:00",
                       "tue 119:00-121:00",
                       "tue 19:00-21:00-22:00",
                       "tue 1a:00-21:00",
                       "tue 19:00-21:00 every",
                       "tue 19:00-21:00 every 0w",
                       "tue 19:00-21:00 every 53w",
                       "tue 19:00-21:00 every 2",
                       "tue 19:00-21:00 every 2 weeks",
                       "tue 19:00-21:00 every -2w",
                       "tue 19:00-21:00 weekly",
                       "tue 19:00-21:00 every 2w please",
                       "tue,tue 19:00-21:00",
                       "mon-fri,wed 10:00-11:00",
                       "daily,sun 10:00-11:00",
                       "weekdays,weekends,mon 10:00-11:00",
                       "tues 19:00-21:00",
                       "tue, thu 19:00-21:00",
                       "tue,,thu 19:00-21:00",
                       "tue, 19:00-21:00",
                       "mon-mon 10:00-11:00",
                       "mon-xyz 10:00-11:00",
                       "mon-tue-wed 10:00-11:00",
                       "every 2w 10:00-11:00"};
  for (const char* spec : bad) {
    Result<Schedule> s = ParseSchedule(spec, "Europe/Berlin", kNow);
    ASSERT_FALSE(s.ok()) << spec;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << spec;
    EXPECT_NE(s.error().message.find("bad schedule '" + std::string(spec) + "'"), std::string::npos)
        << s.error().message;
    EXPECT_NE(s.error().message.find("like 'tue,thu 19:00-21:00'"), std::string::npos)
        << s.error().message;
  }
  EXPECT_EQ(ParseSchedule("tue 19-21", "Europe/Berlin", kNow).error().message,
            "bad schedule 'tue 19-21': expected HH:MM-HH:MM in 24-hour time (like "
            "'tue,thu 19:00-21:00' or 'sat 10:00-18:00 every 2w')");
  EXPECT_EQ(ParseSchedule(std::string(300, 'a'), "UTC", kNow).code(), ErrorCode::kInvalidArgument);
}

TEST(Schedule, RejectsAnUnknownTimeZone) {
  for (const char* zone : {"Mars/Olympus_Mons", "", "../../etc/passwd", "europe/berlin"}) {
    Result<Schedule> s = ParseSchedule("tue 19:00-21:00", zone, kNow);
    ASSERT_FALSE(s.ok()) << zone;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find("'" + std::string(zone) + "'"), std::string::npos);
  }
}

TEST(Schedule, AnchorIsTheMondayOfNowsLocalWeek) {
  EXPECT_EQ(Parsed("sat 10:00-18:00", "Europe/Berlin", kNow).anchor_day, DayNumber(2027_y / 1 / 4));
  // Sunday 23:30 UTC is already Monday 00:30 in Berlin: the next local week.
  const int64_t sunday_night = Utc(2027_y / 1 / 10, 23, 30);
  EXPECT_EQ(Parsed("sat 10:00-18:00", "Europe/Berlin", sunday_night).anchor_day,
            DayNumber(2027_y / 1 / 11));
  EXPECT_EQ(Parsed("sat 10:00-18:00", "UTC", sunday_night).anchor_day, DayNumber(2027_y / 1 / 4));
}

// Asserts the two Tuesdays around a DST change both start at 19:00 local.
void ExpectTuesdaysAround(const char* zone, sys_days change, sys_days tue_before,
                          int utc_hour_before, sys_days tue_after, int utc_hour_after) {
  ASSERT_LT(tue_before, change);
  ASSERT_GT(tue_after, change);
  const Schedule s = Parsed("tue 19:00-21:00", zone, Utc(tue_before - days{1}, 12));
  const auto got = NextOccurrences(s, Utc(tue_before - days{1}, 12), 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0],
            (Occurrence{Utc(tue_before, utc_hour_before), Utc(tue_before, utc_hour_before + 2)}));
  EXPECT_EQ(got[1],
            (Occurrence{Utc(tue_after, utc_hour_after), Utc(tue_after, utc_hour_after + 2)}));
}

TEST(Schedule, DstChangeKeepsTue1900To2100At1900Local) {
  // EU: summer time from the last Sunday of March to the last Sunday of October.
  const sys_days march_change{2027_y / date::March / date::Sunday[date::last]};
  ExpectTuesdaysAround("Europe/Berlin", march_change, 2027_y / 3 / 23, 18, 2027_y / 3 / 30, 17);
  const sys_days october_change{2027_y / date::October / date::Sunday[date::last]};
  ExpectTuesdaysAround("Europe/Berlin", october_change, 2027_y / 10 / 26, 17, 2027_y / 11 / 2, 18);
  // US: second Sunday of March. 19:00 EST is 00:00Z the next day; 19:00 EDT is 23:00Z.
  const sys_days us_change{2027_y / date::March / date::Sunday[2]};
  ExpectTuesdaysAround("America/New_York", us_change, 2027_y / 3 / 9, 24, 2027_y / 3 / 16, 23);
}

TEST(Schedule, EveryTwoWeeksAlternatesFromTheAnchorWeek) {
  const Schedule even = Parsed("sat 10:00-18:00 every 2w", "Europe/Berlin", kNow);
  const auto got = NextOccurrences(even, kNow, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Occurrence{Utc(2027_y / 1 / 9, 9), Utc(2027_y / 1 / 9, 17)}));
  EXPECT_EQ(got[1], (Occurrence{Utc(2027_y / 1 / 23, 9), Utc(2027_y / 1 / 23, 17)}));
  EXPECT_EQ(got[2], (Occurrence{Utc(2027_y / 2 / 6, 9), Utc(2027_y / 2 / 6, 17)}));
  // Anchored a week later, the other Saturdays; asked from before the anchor, earlier weeks
  // of the same phase.
  const Schedule odd = Parsed("sat 10:00-18:00 every 2w", "Europe/Berlin", kNow + 7 * 86'400'000);
  const auto other = NextOccurrences(odd, Utc(2026_y / 12 / 28, 0), 3);
  ASSERT_EQ(other.size(), 3u);
  EXPECT_EQ(other[0].start_ms, Utc(2027_y / 1 / 2, 9));
  EXPECT_EQ(other[1].start_ms, Utc(2027_y / 1 / 16, 9));
  EXPECT_EQ(other[2].start_ms, Utc(2027_y / 1 / 30, 9));
}

TEST(Schedule, WindowCrossingMidnightEndsTheNextDay) {
  const Schedule s = Parsed("fri 22:00-02:00", "Europe/Berlin", kNow);
  const auto got = NextOccurrences(s, kNow, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (Occurrence{Utc(2027_y / 1 / 8, 21), Utc(2027_y / 1 / 9, 1)}));
  // Across the March change night 22:00 CET to 04:00 CEST is five real hours.
  const Schedule late = Parsed("sat 22:00-04:00", "Europe/Berlin", kNow);
  const auto change = NextOccurrences(late, Utc(2027_y / 3 / 27, 0), 1);
  ASSERT_EQ(change.size(), 1u);
  EXPECT_EQ(change[0], (Occurrence{Utc(2027_y / 3 / 27, 21), Utc(2027_y / 3 / 28, 2)}));
  // 00:00-24:00 is a whole day.
  const auto whole = NextOccurrences(Parsed("daily 00:00-24:00", "UTC", kNow), kNow, 1);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0], (Occurrence{Utc(2027_y / 1 / 6, 0), Utc(2027_y / 1 / 7, 0)}));
}

TEST(Schedule, WindowStartingInsideTheSpringGapIsShiftedNotDropped) {
  // 2027-03-28 02:00-03:00 does not exist in Berlin: 02:30 becomes 03:30 CEST (01:30Z).
  const Schedule s = Parsed("sun 02:30-03:30", "Europe/Berlin", kNow);
  const auto got = NextOccurrences(s, Utc(2027_y / 3 / 27, 0), 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (Occurrence{Utc(2027_y / 3 / 28, 1, 30), Utc(2027_y / 3 / 28, 2, 30)}));
  EXPECT_EQ(got[1], (Occurrence{Utc(2027_y / 4 / 4, 0, 30), Utc(2027_y / 4 / 4, 1, 30)}));
}

TEST(Schedule, RepeatedFallBackTimeTakesTheEarlierInstant) {
  // 2027-10-31 02:30 happens twice in Berlin; the window starts at the first (00:30Z) and
  // ends at 03:30 CET (02:30Z).
  const Schedule s = Parsed("sun 02:30-03:30", "Europe/Berlin", kNow);
  const auto got = NextOccurrences(s, Utc(2027_y / 10 / 30, 0), 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (Occurrence{Utc(2027_y / 10 / 31, 0, 30), Utc(2027_y / 10 / 31, 2, 30)}));
}

TEST(Schedule, FromInsideAnOccurrenceReturnsThatOccurrence) {
  const Schedule s = Parsed("fri 22:00-02:00", "UTC", kNow);
  const int64_t inside = Utc(2027_y / 1 / 9, 1, 59);  // Saturday, still Friday's window
  const auto got = NextOccurrences(s, inside, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (Occurrence{Utc(2027_y / 1 / 8, 22), Utc(2027_y / 1 / 9, 2)}));
  EXPECT_EQ(got[1].start_ms, Utc(2027_y / 1 / 15, 22));
  // At its end it is over.
  EXPECT_EQ(NextOccurrences(s, Utc(2027_y / 1 / 9, 2), 1)[0].start_ms, Utc(2027_y / 1 / 15, 22));
}

TEST(Schedule, LimitIsRespected) {
  const Schedule s = Parsed("daily 10:00-11:00", "Europe/Berlin", kNow);
  EXPECT_TRUE(NextOccurrences(s, kNow, 0).empty());
  const auto got = NextOccurrences(s, kNow, 5);
  ASSERT_EQ(got.size(), 5u);
  for (size_t i = 1; i < got.size(); ++i)
    EXPECT_EQ(got[i].start_ms - got[i - 1].start_ms, 86'400'000);
  const Schedule rare = Parsed("sun 10:00-11:00 every 52w", "Europe/Berlin", kNow);
  EXPECT_EQ(NextOccurrences(rare, kNow, 40).size(), 40u);
}

TEST(Schedule, MalformedStoredScheduleGivesNoOccurrences) {
  Schedule s = Parsed("tue 19:00-21:00", "Europe/Berlin", kNow);
  Schedule no_days = s, bad_every = s, bad_zone = s, bad_minute = s, bad_anchor = s;
  no_days.weekdays = 0;
  bad_every.every_weeks = 0;
  bad_zone.time_zone = "Nowhere/Land";
  bad_minute.end_minute = 5000;
  bad_anchor.anchor_day = INT64_MIN;
  for (const Schedule& b : {no_days, bad_every, bad_zone, bad_minute, bad_anchor}) {
    EXPECT_TRUE(NextOccurrences(b, kNow, 3).empty());
  }
  EXPECT_TRUE(ToICalendarLines(bad_anchor).empty());
  EXPECT_TRUE(ToICalendarLines(bad_zone).empty());
  bad_zone.time_zone = "UTC\r\nBEGIN:VEVENT";  // must not reach an .ics file
  EXPECT_TRUE(ToICalendarLines(bad_zone).empty());
  EXPECT_TRUE(NextOccurrences(s, INT64_MAX, 3).empty());
  EXPECT_TRUE(NextOccurrences(s, INT64_MIN, 3).empty());
}

TEST(Schedule, ICalendarLinesStartInTheAnchorWeek) {
  const int64_t wednesday = Utc(2027_y / 3 / 24, 12);
  const auto lines =
      ToICalendarLines(Parsed("tue,thu 19:00-21:00 every 2w", "Europe/Berlin", wednesday));
  const std::vector<std::string> expected = {"DTSTART;TZID=Europe/Berlin:20270323T190000",
                                             "DTEND;TZID=Europe/Berlin:20270323T210000",
                                             "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO"};
  EXPECT_EQ(lines, expected);
  const std::vector<std::string> overnight = {"DTSTART;TZID=America/New_York:20270108T220000",
                                              "DTEND;TZID=America/New_York:20270109T020000",
                                              "RRULE:FREQ=WEEKLY;BYDAY=FR;WKST=MO"};
  EXPECT_EQ(ToICalendarLines(Parsed("fri 22:00-02:00", "America/New_York", kNow)), overnight);
  const std::vector<std::string> daily = {"DTSTART;TZID=UTC:20270104T000000",
                                          "DTEND;TZID=UTC:20270105T000000",
                                          "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;WKST=MO"};
  EXPECT_EQ(ToICalendarLines(Parsed("daily 00:00-24:00", "UTC", kNow)), daily);
}

}  // namespace
}  // namespace accord::state
