#include "base/duration.h"

#include <array>
#include <cstdint>

namespace accord {

namespace {

struct Unit {
  char letter;
  int64_t seconds;
};
constexpr std::array<Unit, 5> kUnits = {
    {{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

Error BadDuration(std::string_view text, std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument, "bad duration '" + std::string(text) +
                                                    "': " + std::string(why) +
                                                    " (use forms like 90m, 2h, 1h30m, 3d, 2w)");
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return BadDuration(text, "empty");
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear in kUnits order, each once
  size_t i = 0;
  while (i < text.size()) {
    int64_t number = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > kMaxDuration.count()) return BadDuration(text, "too long");
      number = number * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0) return BadDuration(text, "expected a number");
    if (i == text.size()) return BadDuration(text, "missing unit after number");
    char letter = text[i++];
    size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].letter != letter) ++u;
    if (u == kUnits.size()) {
      bool known = false;
      for (const Unit& unit : kUnits) known |= unit.letter == letter;
      return BadDuration(text, known ? "units must go from largest to smallest, each once"
                                     : "unknown unit '" + std::string(1, letter) + "'");
    }
    next_unit = u + 1;
    if (number > kMaxDuration.count() / kUnits[u].seconds) return BadDuration(text, "too long");
    total += number * kUnits[u].seconds;
    if (total > kMaxDuration.count()) return BadDuration(text, "longer than a year");
  }
  if (total == 0) return BadDuration(text, "must be longer than zero");
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds d) {
  int64_t left = d.count();
  if (left <= 0) return "0s";
  std::string out;
  for (const Unit& unit : kUnits) {
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds);
      out += unit.letter;
      left %= unit.seconds;
    }
  }
  return out;
}

}  // namespace accord
