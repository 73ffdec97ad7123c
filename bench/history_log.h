// The history bench's logs (issue 14): a two-person pact whose log grows to a given size
// through the real Node API (sealed, signed, stored in SQLite, folded), in a realistic mix of
// kinds. Bench only; one thread.
#ifndef ACCORD_BENCH_HISTORY_LOG_H_
#define ACCORD_BENCH_HISTORY_LOG_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "base/result.h"

namespace accord::bench {

struct HistoryReport {
  uint64_t entries = 0;                   // in the measured home's store, control entries too
  std::map<std::string, uint64_t> kinds;  // user entries written, by kind
  double seconds = 0;                     // wall time of the whole generation
};

// The mix in words, for the bench's output and README.
std::string HistoryMixText();
// Bumped whenever the mix or the way logs are made changes (part of the cache key).
constexpr int kHistoryMixVersion = 1;

// Makes `home` (an accordd --home that must not exist yet) hold Alice's device of a pact with
// Bob after `user_entries` user entries between them; Bob's home is `partner_home`, removed at
// the end. Times run 5 minutes apart and end about now, so the log spans
// user_entries * 5 minutes of the past.
Result<HistoryReport> GenerateHistory(const std::filesystem::path& home,
                                      const std::filesystem::path& partner_home,
                                      uint64_t user_entries);

}  // namespace accord::bench

#endif  // ACCORD_BENCH_HISTORY_LOG_H_
