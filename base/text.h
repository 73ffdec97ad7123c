// The text rules both programs share: what user text and names may contain, and how any
// received string is made safe to print on a terminal. Pure; any thread.
// Length limits per field belong to the handlers, not here (except the name's).
#ifndef ACCORD_BASE_TEXT_H_
#define ACCORD_BASE_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace accord {

constexpr size_t kMaxNameBytes = 64;  // bytes of UTF-8 in a display name

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s);

// True for the code points no text may hold and no terminal may receive: C0 controls (but
// see below), DEL, C1 controls (U+0080..U+009F), bidi embeddings/overrides (U+202A..U+202E),
// isolates (U+2066..U+2069), the marks U+200E, U+200F, U+061C and the separators U+2028,
// U+2029. Newline and tab count as unsafe here; callers decide where they are allowed.
bool IsUnsafeCodePoint(char32_t c);

// Acceptable user text (needs, notes, messages, agreement texts ...): valid UTF-8 with no
// unsafe code point except newline and tab. Empty is fine. kInvalidArgument naming `field`.
Status CheckUserText(std::string_view text, std::string_view field);

// A display name: 1..kMaxNameBytes bytes of user text with no newline or tab either, and not
// only spaces. The one rule for `init` and pairing. kInvalidArgument naming `field`.
Status CheckName(std::string_view name, std::string_view field = "name");

// 30202 -> "30,202": a count a person reads at a glance.
std::string GroupedThousands(uint64_t n);

// `s` safe to print: bytes that are not valid UTF-8, C0 controls and DEL become \xHH, other
// unsafe code points \u{XXXX}; tab is kept; a newline is kept and followed by `continuation`
// (indentation, so a partner's text cannot start a line that looks like one of ours).
// The output is valid UTF-8 holding no unsafe code point other than newline and tab.
std::string TerminalSafe(std::string_view s, std::string_view continuation = "");

}  // namespace accord

#endif  // ACCORD_BASE_TEXT_H_
