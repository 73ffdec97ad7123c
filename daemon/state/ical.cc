#include "daemon/state/ical.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace accord::state {
namespace {

using std::chrono::seconds;
using Sys = date::sys_seconds;

constexpr size_t kMaxLineOctets = 75;  // octets per physical line, RFC 5545 §3.1
// Observances emitted at most; a range of 2026-2028 needs 7, so this only bounds bad input.
constexpr int kMaxObservances = 2000;

// The years RFC 5545 DATE-TIME can write (4 digits); later instants are clamped to these.
constexpr date::sys_days kFirstDay = date::sys_days{date::year{1} / 1 / 1};
constexpr date::sys_days kLastDay = date::sys_days{date::year{9999} / 12 / 31};

// nullptr for an unknown zone. date throws for unknown names (and if the database directory
// cannot be read); exceptions stop here.
const date::time_zone* FindZone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Sys ClampedSeconds(int64_t ms) {
  const int64_t lo = std::chrono::duration_cast<seconds>(kFirstDay.time_since_epoch()).count();
  const int64_t hi = std::chrono::duration_cast<seconds>(kLastDay.time_since_epoch()).count();
  int64_t s = ms / 1000;
  if (s < lo) s = lo;
  if (s > hi) s = hi;
  return Sys{seconds{s}};
}

// UTC offset as RFC 5545 utc-offset: "+HHMM", or "+HHMMSS" for the odd historic offsets with
// seconds. Zero is "+0000" ("-0000" is not allowed).
std::string FormatUtcOffset(seconds offset) {
  int64_t s = offset.count();
  const char sign = s < 0 ? '-' : '+';
  if (s < 0) s = -s;
  char buf[16];
  if (s % 60 == 0) {
    (void)std::snprintf(buf, sizeof buf, "%c%02d%02d", sign, static_cast<int>(s / 3600),
                        static_cast<int>(s / 60 % 60));
  } else {
    (void)std::snprintf(buf, sizeof buf, "%c%02d%02d%02d", sign, static_cast<int>(s / 3600),
                        static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  }
  return buf;
}

// One STANDARD or DAYLIGHT block. `dtstart` is the onset in the local time in effect before
// it (TZOFFSETFROM), as the RFC requires.
void AppendObservance(std::vector<std::string>& lines, const date::sys_info& info,
                      seconds offset_from, const std::string& dtstart) {
  // The OS database only knows "is DST" (date sets save to a token non-zero value for it).
  const char* kind = info.save != std::chrono::minutes{0} ? "DAYLIGHT" : "STANDARD";
  lines.push_back(std::string("BEGIN:") + kind);
  lines.push_back("DTSTART:" + dtstart);
  lines.push_back("TZOFFSETFROM:" + FormatUtcOffset(offset_from));
  lines.push_back("TZOFFSETTO:" + FormatUtcOffset(info.offset));
  if (!info.abbrev.empty()) lines.push_back("TZNAME:" + EscapeICalText(info.abbrev));
  lines.push_back(std::string("END:") + kind);
}

std::string LocalStamp(Sys utc, seconds offset) {
  return ICalLocalDateTime((utc.time_since_epoch() + offset).count());
}

}  // namespace

std::vector<std::string> VTimezoneLines(std::string_view zone, int64_t from_ms, int64_t to_ms) {
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) return {};
  const Sys from = ClampedSeconds(from_ms);
  const Sys to = ClampedSeconds(to_ms);

  std::vector<std::string> lines = {"BEGIN:VTIMEZONE", "TZID:" + std::string(zone)};
  date::sys_info info = tz->get_info(from);
  if (info.begin <= Sys{kFirstDay}) {
    // No transition before `from` that a DATE-TIME can express: the observance has held
    // since "always", written with the customary 1970 start.
    AppendObservance(lines, info, info.offset, "19700101T000000");
  } else {
    const date::sys_info before = tz->get_info(info.begin - seconds{1});
    AppendObservance(lines, info, before.offset, LocalStamp(info.begin, before.offset));
  }
  // info.end is the next transition (or the far future for a zone that no longer changes).
  for (int n = 0; n < kMaxObservances && info.end <= to && info.end < Sys{kLastDay}; ++n) {
    const date::sys_info next = tz->get_info(info.end);
    AppendObservance(lines, next, info.offset, LocalStamp(info.end, info.offset));
    info = next;
  }
  lines.push_back("END:VTIMEZONE");
  return lines;
}

std::string FoldICalLine(std::string_view line) {
  if (line.size() <= kMaxLineOctets) return std::string(line);
  std::string out;
  out.reserve(line.size() + line.size() / 24);
  size_t pos = 0;
  size_t room = kMaxLineOctets;  // the first line has no leading space
  while (line.size() - pos > room) {
    size_t cut = pos + room;
    // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx); always
    // keep at least one octet so that malformed input still makes progress.
    while (cut > pos + 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(pos, cut - pos));
    out.append("\r\n ");
    pos = cut;
    room = kMaxLineOctets - 1;  // the leading space counts
  }
  out.append(line.substr(pos));
  return out;
}

std::string EscapeICalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) break;
        out += c;
    }
  }
  return out;
}

std::string ICalLocalDateTime(int64_t local_seconds) {
  const date::local_seconds t{seconds{local_seconds}};
  const date::local_days day = date::floor<date::days>(t);
  if (day < date::local_days{kFirstDay.time_since_epoch()} ||
      day > date::local_days{kLastDay.time_since_epoch()}) {
    return "";
  }
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{t - day};
  char buf[32];
  (void)std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02d", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace accord::state
