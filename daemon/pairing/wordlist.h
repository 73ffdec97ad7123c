// The 256 code words of pairing codes: one word carries one byte of the code's secret.
// Any thread; pure, constant data. Parsing whole codes lives in code.h.
#ifndef ACCORD_DAEMON_PAIRING_WORDLIST_H_
#define ACCORD_DAEMON_PAIRING_WORDLIST_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace accord::pairing {

constexpr size_t kWordCount = 256;  // words, so that one word is exactly one secret byte
constexpr size_t kMinWordLen = 3;   // letters
constexpr size_t kMaxWordLen = 8;   // letters

// In ascending order, lowercase a-z. No two words are within edit distance 1 of each other
// and none is a prefix of another, so one typo never turns a word into another list word.
std::span<const std::string_view, kWordCount> WordList();

// The index of an exact (lowercase) list word.
std::optional<uint8_t> WordIndex(std::string_view word);

// Levenshtein distance (insertions, deletions, substitutions).
size_t EditDistance(std::string_view a, std::string_view b);

// The list word nearest to `typed` (the first in list order on a tie), for "did you mean".
std::string_view ClosestWord(std::string_view typed);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_WORDLIST_H_
