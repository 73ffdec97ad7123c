// `accord export`: everything this member can read, as JSON, Markdown, or an iCalendar file
// of the scheduled space times (RFC 5545). Daemon thread; pure functions of the state.
#ifndef ACCORD_DAEMON_EXPORT_EXPORT_H_
#define ACCORD_DAEMON_EXPORT_EXPORT_H_

#include <string>

#include "daemon/state/state.h"

namespace accord::daemon {

std::string ExportJson(const state::State& state, const state::MemberId& me, int64_t now_ms);
std::string ExportMarkdown(const state::State& state, const state::MemberId& me, int64_t now_ms);
// One VEVENT with an RRULE per active agreement with a schedule, with a VTIMEZONE for each
// zone used. `now_ms` stamps DTSTAMP and bounds the time-zone rules included.
std::string ExportICalendar(const state::State& state, const state::MemberId& me, int64_t now_ms);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_EXPORT_EXPORT_H_
