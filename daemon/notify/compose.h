// The words of a desktop notification: a summary line and a body, by mode (SPEC §7). Quiet
// never holds the partner's words (a lock screen shows it); full adds them to the body. Every
// received string is made safe here (base/text.h). Pure; any thread.
#ifndef ACCORD_DAEMON_NOTIFY_COMPOSE_H_
#define ACCORD_DAEMON_NOTIFY_COMPOSE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/notify/happening.h"

namespace accord::notify {

enum class Mode { kNone, kQuiet, kFull };

// "none", "quiet", "full"; nullopt for anything else.
std::optional<Mode> ParseMode(std::string_view word);

constexpr size_t kMaxNameShownBytes = 64;   // bytes of a name in a summary
constexpr size_t kMaxBodyShownBytes = 400;  // bytes of a full-mode body

struct Text {
  std::string summary;  // one line, plain text
  std::string body;     // plain text (newlines kept); the sender escapes it for markup
  friend bool operator==(const Text&, const Text&) = default;
};

// "Alice asked for space", "Alice proposed an agreement (3)" ...: `count` (>= 1) happenings
// of one kind merged into one notification, `latest` the newest of them. Quiet: the body is
// empty. Full: the body is latest's text. REQUIRES: mode != kNone.
Text Compose(const Happening& latest, int count, Mode mode);

// `s` made safe for a notification: TerminalSafe (no control or bidi character survives),
// newlines and tabs as spaces when `one_line`, at most `max_bytes` bytes cut at a character
// boundary, with "…" where it was cut.
std::string Sanitize(std::string_view s, size_t max_bytes, bool one_line);

// `s` with &, < and > as entities, for a server that reads the body as markup.
std::string EscapeMarkup(std::string_view s);

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_COMPOSE_H_
