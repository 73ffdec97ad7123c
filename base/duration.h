// Human durations as users type them: "90m", "2h", "1h30m", "3d", "2w". Any thread; pure.
// Calendar-aware things (schedules, time zones) live in daemon/state/schedule.h, not here.
#ifndef ACCORD_BASE_DURATION_H_
#define ACCORD_BASE_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace accord {

constexpr std::chrono::seconds kMaxDuration{366LL * 24 * 3600};  // one year, in seconds

// One or more <number><unit> groups, units w d h m s, each unit at most once and in that
// order; total > 0 and <= kMaxDuration. Anything else is kInvalidArgument with a message
// that shows the accepted forms.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

// The shortest form ParseDuration accepts back: 5400s -> "1h30m".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace accord

#endif  // ACCORD_BASE_DURATION_H_
