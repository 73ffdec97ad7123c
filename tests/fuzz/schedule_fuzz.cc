// What users (and partners' entries) type as times: schedules (daemon/state/schedule.h
// ParseSchedule, NextOccurrences, ToICalendarLines), the calendar text helpers (ical.h) and
// durations (base/duration.h). Input: a zone byte (a fixed list, or the next chunk as the zone
// name), 8 bytes of "now" (unix ms, folded into +-4000 years), then a chunk for the schedule
// text and the rest as a duration and as iCalendar text.
// Invariants: a parsed schedule is in range and parses again to itself; its occurrences are
// ordered, non-empty, end after `from` and last at most a day plus a DST shift; its calendar
// lines and escaped or folded text carry no line break or control byte where RFC 5545 forbids
// one, and folding unfolds to the line; a parsed duration is in (0, one year] and its format
// parses back to it.
#include <string>

#include "base/duration.h"
#include "daemon/state/ical.h"
#include "daemon/state/schedule.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
namespace fuzz = accord::fuzz;
namespace state = accord::state;

constexpr const char* kZones[] = {"Europe/Berlin",       "America/New_York", "UTC",
                                  "Australia/Lord_Howe", "Pacific/Chatham",  "Asia/Kathmandu",
                                  "America/Santiago"};
constexpr size_t kZoneCount = sizeof(kZones) / sizeof(kZones[0]);
constexpr int64_t kMaxNowMs = 4000LL * 366 * 24 * 3600 * 1000;  // about 4000 years of ms
constexpr int64_t kMaxOccurrenceMs = (24 + 3) * 3600 * 1000;    // a day plus a DST shift

bool HasControl(std::string_view s, bool allow_tab) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
  }
  return false;
}

Bytes Seed(uint8_t zone, int64_t now_ms, std::string_view spec, std::string_view rest) {
  Bytes out = {zone};
  for (int i = 7; i >= 0; --i)
    out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(now_ms) >> (8 * i)));
  fuzz::AppendChunk(out, accord::AsBytes(spec));
  accord::AppendBytes(out, accord::AsBytes(rest));
  return out;
}

void CheckSchedule(std::string_view spec, std::string_view zone, int64_t now_ms) {
  accord::Result<state::Schedule> s = state::ParseSchedule(spec, zone, now_ms);
  if (!s.ok()) {
    fuzz::Explain("schedule refused: " + s.error().message);
    fuzz::Check(s.code() == accord::ErrorCode::kInvalidArgument,
                "ParseSchedule: not kInvalidArgument");
    return;
  }
  fuzz::Explain("schedule parsed");
  fuzz::Check(s->weekdays != 0 && s->weekdays < 128 && s->start_minute < 1440 &&
                  s->end_minute < 1440 && s->every_weeks >= 1 && s->every_weeks <= 52,
              "a parsed schedule is out of range");
  accord::Result<state::Schedule> again = state::ParseSchedule(s->spec, s->time_zone, now_ms);
  fuzz::Check(again.ok() && *again == *s, "a schedule does not parse again to itself");
  const std::vector<state::Occurrence> next = state::NextOccurrences(*s, now_ms, 6);
  fuzz::Check(next.size() <= 6, "more occurrences than asked for");
  int64_t last_start = INT64_MIN;
  for (const state::Occurrence& o : next) {
    fuzz::Check(o.end_ms > now_ms, "an occurrence that ended before `from`");
    fuzz::Check(o.start_ms < o.end_ms && o.end_ms - o.start_ms <= kMaxOccurrenceMs,
                "an occurrence of impossible length");
    fuzz::Check(o.start_ms > last_start, "occurrences out of order");
    last_start = o.start_ms;
  }
  for (const std::string& line : state::ToICalendarLines(*s)) {
    fuzz::Check(!HasControl(line, false), "a calendar line with a control byte");
  }
}

void CheckICalText(std::string_view text) {
  const std::string escaped = state::EscapeICalText(text);
  fuzz::Check(!HasControl(escaped, true), "escaped iCalendar text with a control byte");
  const std::string folded = state::FoldICalLine(escaped);
  std::string unfolded;
  size_t pos = 0;
  for (int lines = 0; lines < 1 << 16; ++lines) {
    const size_t cut = folded.find("\r\n ", pos);
    const size_t piece = (cut == std::string::npos ? folded.size() : cut) - pos;
    // 75 octets per line (RFC 5545 3.1), the continuation's leading space included.
    fuzz::Check(piece + (pos == 0 ? 0 : 1) <= 75, "a folded line over 75 octets");
    unfolded.append(folded, pos, piece);
    if (cut == std::string::npos) break;
    pos = cut + 3;
    fuzz::Check(piece >= 1, "an empty folded piece");
  }
  fuzz::Check(unfolded == escaped, "a folded line does not unfold to itself");
}

void CheckDuration(std::string_view text) {
  accord::Result<std::chrono::seconds> d = accord::ParseDuration(text);
  if (!d.ok()) {
    fuzz::Check(d.code() == accord::ErrorCode::kInvalidArgument,
                "ParseDuration: not kInvalidArgument");
    return;
  }
  fuzz::Check(d->count() > 0 && *d <= accord::kMaxDuration, "a duration out of range");
  const std::string formatted = accord::FormatDuration(*d);
  accord::Result<std::chrono::seconds> back = accord::ParseDuration(formatted);
  fuzz::Check(back.ok() && *back == *d, "a formatted duration does not parse back");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::WriteSeedsIfAsked("schedule", [] {
    const int64_t now = 1'799'000'000'000;  // unix ms, 2027
    return std::vector<Bytes>{
        Seed(0, now, "tue,thu 19:00-21:00", "1h30m"),
        Seed(1, now, "sat 10:00-18:00 every 2w", "2w"),
        Seed(3, now, "sun 01:30-02:30", "90m"),
        Seed(4, now, "mon-fri 23:00-07:00", "Need: quiet; mornings, \\ please\r\nline two"),
        Seed(2, -86'400'000, "fri 00:00-23:59 every 52w", "366d"),
    };
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t zone_byte = in.Byte();
  uint64_t now_bits = 0;
  for (int i = 0; i < 8; ++i) now_bits = now_bits << 8 | in.Byte();
  int64_t now_ms = static_cast<int64_t>(now_bits);
  if (now_ms > kMaxNowMs || now_ms < -kMaxNowMs) {
    now_ms = static_cast<int64_t>(now_bits % (2 * static_cast<uint64_t>(kMaxNowMs))) - kMaxNowMs;
  }
  std::string zone;
  if (zone_byte < 0xf0) {
    zone = kZones[zone_byte % kZoneCount];
  } else {
    zone = std::string(accord::AsChars(in.Chunk()));
  }
  const std::string spec(accord::AsChars(in.Chunk()));
  const std::string rest(accord::AsChars(in.Rest()));
  CheckSchedule(spec, zone, now_ms);
  CheckDuration(rest);
  CheckICalText(rest);
  return 0;
}
