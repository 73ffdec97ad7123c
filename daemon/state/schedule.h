// Designated space times: a weekly recurrence in a member's IANA time zone ("tue,thu
// 19:00-21:00", "sat 10:00-18:00 every 2w"), evaluated in local time so DST never moves it.
// Pure (the time zone database is read-only data); any thread.
#ifndef ACCORD_DAEMON_STATE_SCHEDULE_H_
#define ACCORD_DAEMON_STATE_SCHEDULE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace accord::state {

struct Schedule {
  std::string spec;           // as typed
  std::string time_zone;      // IANA name
  uint32_t weekdays = 0;      // bit 0 = Monday ... bit 6 = Sunday
  uint32_t start_minute = 0;  // minutes after local midnight
  uint32_t end_minute = 0;    // <= start_minute: ends the next day
  uint32_t every_weeks = 1;   // 1 = weekly
  int64_t anchor_day = 0;     // days since 1970-01-01 (local): Monday of week 0

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// One concrete occurrence, as unix milliseconds (UTC instants).
struct Occurrence {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

// Parses `spec` for zone `time_zone`; the week of `now_ms` (local) anchors "every Nw".
// kInvalidArgument with a message showing the accepted form for anything else, including an
// unknown time zone.
Result<Schedule> ParseSchedule(std::string_view spec, std::string_view time_zone, int64_t now_ms);

// Occurrences that end after `from_ms`, in order, at most `limit` of them.
std::vector<Occurrence> NextOccurrences(const Schedule& schedule, int64_t from_ms, size_t limit);

// RFC 5545 lines for a VEVENT: DTSTART;TZID=..., DTEND;TZID=..., RRULE:FREQ=WEEKLY;...
std::vector<std::string> ToICalendarLines(const Schedule& schedule);

// True when `name` is an IANA zone of the time zone database ("Europe/Paris", "UTC").
bool IsKnownTimeZone(std::string_view name);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_SCHEDULE_H_
