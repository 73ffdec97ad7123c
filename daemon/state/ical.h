// RFC 5545 building blocks for the `export --format ics` calendar: VTIMEZONE components from
// the system time zone database, line folding and TEXT escaping. Pure; any thread.
// Not here: the VEVENT of a schedule (schedule.h) or assembling/writing the whole file.
#ifndef ACCORD_DAEMON_STATE_ICAL_H_
#define ACCORD_DAEMON_STATE_ICAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace accord::state {

// Content lines are returned unfolded and without line ends: the writer passes each through
// FoldICalLine and ends it with CRLF.

// A VTIMEZONE component for IANA zone `zone`: BEGIN:VTIMEZONE, TZID, one STANDARD or DAYLIGHT
// sub-component for the observance in effect at `from_ms` and one for every transition up to
// `to_ms` (unix milliseconds), END:VTIMEZONE. A zone that never changes gets one STANDARD
// block starting 1970-01-01. Empty for a zone the database does not know.
// Note: the packaged tz database (TZif "fat" files) lists transitions up to 2037 only; later
// years repeat the offset in effect at the end of 2037.
std::vector<std::string> VTimezoneLines(std::string_view zone, int64_t from_ms, int64_t to_ms);

// Folds a content line longer than 75 octets (RFC 5545 §3.1): CRLF + one space before each
// continuation, never splitting a UTF-8 sequence. No trailing CRLF.
std::string FoldICalLine(std::string_view line);

// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline (LF, CRLF
// or CR become "\n"). Other control characters except TAB are not allowed in TEXT and are
// dropped.
std::string EscapeICalText(std::string_view text);

// "YYYYMMDDTHHMMSS" for a local wall-clock time given as seconds since 1970-01-01T00:00 of
// that wall clock (no zone). Empty outside the years 0001..9999.
std::string ICalLocalDateTime(int64_t local_seconds);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_ICAL_H_
