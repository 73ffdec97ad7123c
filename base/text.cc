#include "base/text.h"

#include <cstdint>
#include <cstdio>

namespace accord {

namespace {

// Length of the UTF-8 sequence at s[i] and its code point, or 0 if none starts there.
size_t DecodeAt(std::string_view s, size_t i, char32_t* cp_out) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    *cp_out = b0;
    return 1;
  }
  size_t n = 0;
  char32_t cp = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  *cp_out = cp;
  return n;
}

std::string CodePointName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(c));
  return buf;
}

Error Invalid(std::string_view field, std::string what) {
  return MakeError(ErrorCode::kInvalidArgument, "the " + std::string(field) + " " + what);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = DecodeAt(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool IsUnsafeCodePoint(char32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028 ||
         c == 0x2029;
}

Status CheckUserText(std::string_view text, std::string_view field) {
  char32_t cp = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t n = DecodeAt(text, i, &cp);
    if (n == 0) return Invalid(field, "is not valid UTF-8");
    if (IsUnsafeCodePoint(cp) && cp != '\n' && cp != '\t') {
      return Invalid(field, "contains a control character (" + CodePointName(cp) +
                                "); only newline and tab are allowed");
    }
    i += n;
  }
  return Status::Ok();
}

Status CheckName(std::string_view name, std::string_view field) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return Invalid(field, "must be 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  }
  char32_t cp = 0;
  bool only_spaces = true;
  for (size_t i = 0; i < name.size();) {
    const size_t n = DecodeAt(name, i, &cp);
    if (n == 0) return Invalid(field, "is not valid UTF-8");
    if (IsUnsafeCodePoint(cp)) {
      return Invalid(field,
                     "must not contain control characters (it holds " + CodePointName(cp) + ")");
    }
    only_spaces = only_spaces && cp == ' ';
    i += n;
  }
  if (only_spaces) return Invalid(field, "must not be only spaces");
  return Status::Ok();
}

std::string TerminalSafe(std::string_view s, std::string_view continuation) {
  std::string out;
  out.reserve(s.size());
  char buf[16];
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = DecodeAt(s, i, &cp);
    if (n == 0 || cp < 0x20 || cp == 0x7f) {
      if (n == 1 && cp == '\n') {
        out += '\n';
        out += continuation;
      } else if (n == 1 && cp == '\t') {
        out += '\t';
      } else {
        std::snprintf(buf, sizeof(buf), "\\x%02X", static_cast<uint8_t>(s[i]));
        out += buf;
      }
      ++i;  // an invalid sequence is escaped one byte at a time
      continue;
    }
    if (IsUnsafeCodePoint(cp)) {
      std::snprintf(buf, sizeof(buf), "\\u{%04X}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string GroupedThousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace accord
