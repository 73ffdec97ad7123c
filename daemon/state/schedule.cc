#include "daemon/state/schedule.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <exception>
#include <optional>

#include "daemon/state/ical.h"

namespace accord::state {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr size_t kMaxSpecBytes = 200;      // bytes; longer input is not a schedule
constexpr uint32_t kMinutesPerDay = 1440;  // minutes
constexpr uint32_t kMaxEveryWeeks = 52;    // weeks
constexpr uint32_t kAllDays = 0x7f;        // weekday bits, Monday = bit 0
constexpr size_t kMaxOccurrences = 1000;   // occurrences per NextOccurrences call
// Instants outside the years 0001..9999 are not evaluated (date's calendar and RFC 5545's
// four-digit years both end there).
constexpr date::sys_days kFirstDay = date::sys_days{date::year{1} / 1 / 1};
constexpr date::sys_days kLastDay = date::sys_days{date::year{9999} / 12 / 31};

constexpr std::array<std::string_view, 7> kShortDays = {"mon", "tue", "wed", "thu",
                                                        "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 7> kICalDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

Error BadSchedule(std::string_view spec, std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "bad schedule '" + std::string(spec) + "': " + std::string(why) +
                       " (like 'tue,thu 19:00-21:00' or 'sat 10:00-18:00 every 2w')");
}

// nullptr for an unknown zone; date throws for unknown names and an unreadable database.
const date::time_zone* FindZone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool InCalendarRange(int64_t ms) {
  const int64_t lo = std::chrono::duration_cast<milliseconds>(kFirstDay.time_since_epoch()).count();
  const int64_t hi = std::chrono::duration_cast<milliseconds>(kLastDay.time_since_epoch()).count();
  return ms >= lo && ms <= hi;
}

std::optional<int> DayIndex(std::string_view word) {
  for (int i = 0; i < 7; ++i) {
    if (word == kShortDays[i] || word == kLongDays[i]) return i;
  }
  return std::nullopt;
}

// One comma-separated item: a day, a range "mon-fri" (may wrap: "fri-mon"), or a word.
std::optional<uint32_t> DayItemMask(std::string_view item) {
  if (item == "daily") return kAllDays;
  if (item == "weekdays") return 0x1fu;
  if (item == "weekends") return 0x60u;
  const size_t dash = item.find('-');
  if (dash == std::string_view::npos) {
    const auto day = DayIndex(item);
    if (!day) return std::nullopt;
    return 1u << *day;
  }
  const auto first = DayIndex(item.substr(0, dash));
  const auto last = DayIndex(item.substr(dash + 1));
  if (!first || !last || *first == *last) return std::nullopt;
  uint32_t mask = 0;
  for (int d = *first;; d = (d + 1) % 7) {
    mask |= 1u << d;
    if (d == *last) break;
  }
  return mask;
}

// "H:MM" or "HH:MM" in 00:00..23:59, and "24:00" when `end` is set.
std::optional<uint32_t> ParseClock(std::string_view s, bool end) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon < 1 || colon > 2 || s.size() != colon + 3) {
    return std::nullopt;
  }
  uint32_t h = 0, m = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == colon) continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    uint32_t& part = i < colon ? h : m;
    part = part * 10 + static_cast<uint32_t>(s[i] - '0');
  }
  if (end && h == 24 && m == 0) return kMinutesPerDay;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

// Wall-clock length: an end at or before the start is on the next day (00:00-24:00 is 24h).
uint32_t DurationMinutes(const Schedule& s) {
  return s.end_minute > s.start_minute ? s.end_minute - s.start_minute
                                       : s.end_minute + kMinutesPerDay - s.start_minute;
}

bool WellFormed(const Schedule& s) {
  return (s.weekdays & kAllDays) != 0 && (s.weekdays & ~kAllDays) == 0 &&
         s.start_minute < kMinutesPerDay && s.end_minute < kMinutesPerDay && s.every_weeks >= 1 &&
         s.every_weeks <= kMaxEveryWeeks && s.anchor_day >= kFirstDay.time_since_epoch().count() &&
         s.anchor_day <= kLastDay.time_since_epoch().count();
}

// Whether a window starts on local day `day` (days since 1970-01-01).
bool StartsOn(const Schedule& s, int64_t day) {
  const date::weekday wd{date::local_days{date::days{day}}};
  if ((s.weekdays & (1u << (wd.iso_encoding() - 1))) == 0) return false;
  const int64_t diff = day - s.anchor_day;
  const int64_t week = diff >= 0 ? diff / 7 : -((-diff + 6) / 7);  // floor division
  return week % static_cast<int64_t>(s.every_weeks) == 0;
}

// Local wall time to UTC, always with the offset in effect just before that wall time
// (local_info::first). For a time that exists once this is the only offset; in a
// spring-forward gap it moves the time forward by the gap's length (02:30 -> 03:30), which
// is also how RFC 5545 reads a nonexistent DATE-TIME; for a repeated fall-back time it picks
// the earlier instant. date::choose::latest would instead pin gap times to the gap's end.
int64_t LocalToUtcMs(const date::time_zone& zone, date::local_seconds t) {
  const date::local_info info = zone.get_info(t);
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch() - info.first.offset).count();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) words.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// "Nw" (N in 1..52) or "week"; 0 when neither.
uint32_t ParseEvery(std::string_view word) {
  if (word == "week") return 1;
  if (word.size() < 2 || word.size() > 3 || word.back() != 'w') return 0;
  uint32_t n = 0;
  for (char c : word.substr(0, word.size() - 1)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  return n >= 1 && n <= kMaxEveryWeeks ? n : 0;
}

}  // namespace

Result<Schedule> ParseSchedule(std::string_view spec, std::string_view time_zone, int64_t now_ms) {
  if (spec.size() > kMaxSpecBytes) {
    return BadSchedule(spec.substr(0, 20), "longer than 200 characters");
  }
  const date::time_zone* zone = FindZone(time_zone);
  if (zone == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown time zone '" + std::string(time_zone) +
                         "': expected an IANA name like 'Europe/Berlin' or 'America/New_York'");
  }
  if (!InCalendarRange(now_ms)) return MakeError(ErrorCode::kInvalidArgument, "clock out of range");

  Schedule s;
  s.spec = std::string(spec);
  s.time_zone = std::string(time_zone);
  const std::vector<std::string> words = SplitWords(Lower(spec));
  if (words.size() < 2) return BadSchedule(spec, "expected DAYS HH:MM-HH:MM [every Nw]");

  // Days: comma-separated items, each day at most once.
  std::string_view days = words[0];
  while (true) {
    const size_t comma = days.find(',');
    const std::string_view item = days.substr(0, comma);
    const auto mask = DayItemMask(item);
    if (!mask) {
      return BadSchedule(spec, "unknown days '" + std::string(item) +
                                   "': expected mon..sun, a range like mon-fri, daily, "
                                   "weekdays or weekends, joined by commas");
    }
    if ((s.weekdays & *mask) != 0) {
      const int day = std::countr_zero(s.weekdays & *mask);
      return BadSchedule(spec, "'" + std::string(kShortDays[day]) + "' appears twice");
    }
    s.weekdays |= *mask;
    if (comma == std::string_view::npos) break;
    days.remove_prefix(comma + 1);
  }

  // Times: start-end; 24:00 is only an end and is stored as 0 (midnight of the next day).
  const std::string_view times = words[1];
  const size_t dash = times.find('-');
  const auto start = ParseClock(times.substr(0, dash), /*end=*/false);
  const auto end =
      dash == std::string_view::npos ? std::nullopt : ParseClock(times.substr(dash + 1), true);
  if (!start || !end) return BadSchedule(spec, "expected HH:MM-HH:MM in 24-hour time");
  if (*start == *end) return BadSchedule(spec, "start and end are the same time");
  s.start_minute = *start;
  s.end_minute = *end % kMinutesPerDay;

  // Optional "every Nw" / "every week", then nothing.
  if (words.size() >= 3) {
    s.every_weeks = words[2] == "every" && words.size() >= 4 ? ParseEvery(words[3]) : 0;
    if (s.every_weeks == 0) {
      return BadSchedule(spec, "expected 'every Nw' with N from 1 to 52, or 'every week'");
    }
    if (words.size() > 4) return BadSchedule(spec, "unexpected '" + words[4] + "' at the end");
  }

  // The anchor is the Monday of now's local week.
  const date::local_days today =
      date::floor<date::days>(zone->to_local(date::sys_time<milliseconds>{milliseconds{now_ms}}));
  const date::local_days monday = today - (date::weekday{today} - date::Monday);
  s.anchor_day = monday.time_since_epoch().count();
  return s;
}

std::vector<Occurrence> NextOccurrences(const Schedule& schedule, int64_t from_ms, size_t limit) {
  const date::time_zone* zone = FindZone(schedule.time_zone);
  if (zone == nullptr || !WellFormed(schedule) || limit == 0 || !InCalendarRange(from_ms)) {
    return {};
  }
  limit = std::min(limit, kMaxOccurrences);
  const uint32_t duration = DurationMinutes(schedule);
  const date::local_days from_day =
      date::floor<date::days>(zone->to_local(date::sys_time<milliseconds>{milliseconds{from_ms}}));
  // Windows last at most 24h of wall clock (plus a DST shift), so one that started two local
  // days back is the earliest that can still be running.
  const int64_t first = from_day.time_since_epoch().count() - 2;
  const int64_t last_day = kLastDay.time_since_epoch().count() - 2;
  // Every block of every_weeks weeks holds at least one start: this many days always suffice.
  const int64_t span = static_cast<int64_t>(limit + 1) * 7 * schedule.every_weeks + 3;

  std::vector<Occurrence> out;
  for (int64_t day = first; day < first + span && day <= last_day && out.size() < limit; ++day) {
    if (!StartsOn(schedule, day)) continue;
    const date::local_seconds start =
        date::local_days{date::days{day}} + minutes{schedule.start_minute};
    Occurrence o;
    o.start_ms = LocalToUtcMs(*zone, start);
    o.end_ms = LocalToUtcMs(*zone, start + minutes{duration});
    // A start moved forward out of a spring-forward gap can reach the end ("sun 02:30-03:30"
    // on the change night): keep the window's wall-clock length rather than drop it.
    if (o.end_ms <= o.start_ms) o.end_ms = o.start_ms + int64_t{duration} * 60'000;
    if (o.end_ms > from_ms) out.push_back(o);
  }
  return out;
}

std::vector<std::string> ToICalendarLines(const Schedule& schedule) {
  // The zone name goes into the output: only names the database knows (letters, digits and
  // "/_+-", so no parameter quoting is needed) may, never whatever a stored entry says.
  if (!WellFormed(schedule) || FindZone(schedule.time_zone) == nullptr) return {};
  // DTSTART is the first start in the anchor week, so the RRULE's INTERVAL counts weeks
  // (starting Monday, WKST=MO) from the same week as NextOccurrences does.
  int64_t day = schedule.anchor_day;
  while (!StartsOn(schedule, day)) ++day;  // ends within 7 days: some weekday bit is set
  const int64_t start = day * 86'400 + int64_t{schedule.start_minute} * 60;  // local seconds
  const int64_t end = start + int64_t{DurationMinutes(schedule)} * 60;
  const std::string dtstart = ICalLocalDateTime(start);
  const std::string dtend = ICalLocalDateTime(end);
  if (dtstart.empty() || dtend.empty()) return {};

  std::string rrule = "RRULE:FREQ=WEEKLY";
  if (schedule.every_weeks > 1) rrule += ";INTERVAL=" + std::to_string(schedule.every_weeks);
  rrule += ";BYDAY=";
  bool first = true;
  for (int d = 0; d < 7; ++d) {
    if ((schedule.weekdays & (1u << d)) == 0) continue;
    if (!first) rrule += ',';
    rrule += kICalDays[d];
    first = false;
  }
  rrule += ";WKST=MO";
  return {"DTSTART;TZID=" + schedule.time_zone + ":" + dtstart,
          "DTEND;TZID=" + schedule.time_zone + ":" + dtend, rrule};
}

bool IsKnownTimeZone(std::string_view name) { return FindZone(name) != nullptr; }

}  // namespace accord::state
