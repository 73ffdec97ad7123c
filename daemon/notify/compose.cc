#include "daemon/notify/compose.h"

#include "base/text.h"

namespace accord::notify {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, 3 bytes

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string_view Verb(Topic topic) {
  switch (topic) {
    case Topic::kSpaceAsked:
      return "asked for space";
    case Topic::kProposed:
      return "proposed an agreement";
    case Topic::kCountered:
      return "countered a proposal";
    case Topic::kAccepted:
      return "accepted an agreement";
    case Topic::kRetired:
      return "retired an agreement";
    case Topic::kReviewDue:
      return "An agreement review is due";
  }
  return "";
}

}  // namespace

std::optional<Mode> ParseMode(std::string_view word) {
  if (word == "none") return Mode::kNone;
  if (word == "quiet") return Mode::kQuiet;
  if (word == "full") return Mode::kFull;
  return std::nullopt;
}

std::string Sanitize(std::string_view s, size_t max_bytes, bool one_line) {
  std::string safe = TerminalSafe(s);
  if (one_line) {
    for (char& c : safe)
      if (c == '\n' || c == '\t') c = ' ';
  }
  if (safe.size() <= max_bytes) return safe;
  size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && IsContinuationByte(safe[cut])) --cut;
  safe.resize(cut);
  safe += kEllipsis;
  return safe;
}

std::string EscapeMarkup(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Text Compose(const Happening& latest, int count, Mode mode) {
  Text text;
  if (latest.topic == Topic::kReviewDue) {
    text.summary = std::string(Verb(latest.topic));
  } else {
    std::string name = Sanitize(latest.name, kMaxNameShownBytes, /*one_line=*/true);
    if (name.empty()) name = "Your partner";
    text.summary = name + " " + std::string(Verb(latest.topic));
  }
  if (count > 1) text.summary += " (" + std::to_string(count) + ")";
  if (mode == Mode::kFull) text.body = Sanitize(latest.text, kMaxBodyShownBytes, false);
  return text;
}

}  // namespace accord::notify
