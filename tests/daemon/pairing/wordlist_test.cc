#include "daemon/pairing/wordlist.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace accord::pairing {
namespace {

// Written independently of EditDistance: true when one substitution, insertion or deletion
// (or none) turns a into b.
bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + (i < a.size())) == b.substr(i + (i < b.size()));
  return a.substr(i) == b.substr(i + 1);
}

TEST(WordList, HasTwoHundredFiftySixDistinctAscendingWords) {
  auto words = WordList();
  ASSERT_EQ(words.size(), 256u);
  std::set<std::string_view> distinct(words.begin(), words.end());
  EXPECT_EQ(distinct.size(), 256u);
  for (size_t i = 1; i < words.size(); ++i) EXPECT_LT(words[i - 1], words[i]) << words[i];
}

TEST(WordList, WordsAreThreeToEightLowercaseLetters) {
  for (std::string_view word : WordList()) {
    EXPECT_GE(word.size(), kMinWordLen) << word;
    EXPECT_LE(word.size(), kMaxWordLen) << word;
    for (char c : word) EXPECT_TRUE(c >= 'a' && c <= 'z') << word;
  }
}

TEST(WordList, NoTwoWordsAreOneEditApart) {
  auto words = WordList();
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t j = i + 1; j < words.size(); ++j) {
      EXPECT_FALSE(WithinOneEdit(words[i], words[j])) << words[i] << " / " << words[j];
    }
  }
}

TEST(WordList, NoWordIsAPrefixOfAnother) {
  auto words = WordList();
  for (std::string_view a : words) {
    for (std::string_view b : words) {
      if (a != b) {
        EXPECT_FALSE(b.starts_with(a)) << a << " / " << b;
      }
    }
  }
}

TEST(WordList, ContainsTheWordsOfTheSpecExample) {
  for (std::string_view word : {"crossbow", "meadow", "ember"}) {
    EXPECT_TRUE(WordIndex(word).has_value()) << word;
  }
}

TEST(WordIndex, FindsEveryWordAtItsPositionAndNothingElse) {
  auto words = WordList();
  for (size_t i = 0; i < words.size(); ++i) {
    ASSERT_EQ(WordIndex(words[i]), std::optional<uint8_t>(static_cast<uint8_t>(i))) << words[i];
  }
  for (std::string_view other : {"", "a", "zzzzzz", "Meadow", "meadows", "aaa"}) {
    EXPECT_FALSE(WordIndex(other).has_value()) << other;
  }
}

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("meadow", "medow"), 1u);
  EXPECT_EQ(EditDistance("flaw", "lawn"), 2u);
}

TEST(ClosestWord, SuggestsTheIntendedWordForOneTypo) {
  auto words = WordList();
  // Drop each letter of each word: the suggestion is always a word one edit away (no list word
  // can be nearer), and almost always the word the person meant.
  size_t exact = 0, total = 0;
  for (std::string_view word : words) {
    for (size_t i = 0; i < word.size(); ++i) {
      std::string typo(word);
      typo.erase(i, 1);
      ++total;
      if (ClosestWord(typo) == word) ++exact;
      EXPECT_EQ(EditDistance(typo, ClosestWord(typo)), 1u) << typo;
    }
  }
  EXPECT_GT(exact * 10, total * 9);  // the intended word for well over 90% of typos
  EXPECT_EQ(ClosestWord("crosbow"), "crossbow");
}

}  // namespace
}  // namespace accord::pairing
