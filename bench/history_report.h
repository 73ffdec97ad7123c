// The history bench's table: each figure at every log size beside its smallest-log twin as a
// ratio, and beside issue 14's bound with PASS or FAIL. Bench only; pure formatting.
#ifndef ACCORD_BENCH_HISTORY_REPORT_H_
#define ACCORD_BENCH_HISTORY_REPORT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace accord::bench {

// A bound applies at one log size (user entries): at most `max_ratio` times the figure at
// the smallest size (0: not part of it) and at most `max_value`.
struct Bound {
  uint64_t at_entries = 0;
  double max_ratio = 0;
  std::optional<double> max_value;
};

struct Figure {
  std::optional<double> value;  // none: `error` says why
  std::string error;
  std::string note;  // e.g. how many items the answer listed
};

struct Metric {
  std::string name;
  std::string unit;             // "ms", "MiB"
  std::vector<Figure> by_size;  // one per size, in the order of `sizes`
  std::vector<Bound> bounds;
};

struct Verdicts {
  int pass = 0;
  int fail = 0;
  int not_run = 0;  // bounds at a size this run did not make
};

// `sizes`: user entries per log, smallest first (the ratios' base).
Verdicts PrintMetrics(std::ostream& out, const std::vector<uint64_t>& sizes,
                      const std::vector<Metric>& metrics);

}  // namespace accord::bench

#endif  // ACCORD_BENCH_HISTORY_REPORT_H_
