#include "daemon/pairing/code.h"

#include <gtest/gtest.h>

#include <set>

#include "daemon/pairing/wordlist.h"

namespace accord::pairing {
namespace {

std::array<uint8_t, kCodeWords> Indexes(std::string_view a, std::string_view b,
                                        std::string_view c) {
  return {*WordIndex(a), *WordIndex(b), *WordIndex(c)};
}

TEST(ParseCode, AcceptsTheCanonicalForm) {
  Result<PairingCode> code = ParseCode("7-crossbow-meadow-ember");
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(code->nameplate, 7u);
  EXPECT_EQ(code->secret, Indexes("crossbow", "meadow", "ember"));
  EXPECT_EQ(code->text, "7-crossbow-meadow-ember");
}

TEST(ParseCode, AcceptsMixedCaseAndReturnsTheCanonicalText) {
  Result<PairingCode> code = ParseCode("42-CrossBow-MEADOW-ember");
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(code->nameplate, 42u);
  EXPECT_EQ(code->text, "42-crossbow-meadow-ember");
}

TEST(ParseCode, AcceptsSpacesAndRunsOfSeparatorsAroundAndBetweenParts) {
  for (const char* typed : {"  7 crossbow meadow ember  ", "7 - crossbow -- meadow  ember",
                            "\t7-crossbow meadow-ember\t", "-7-crossbow-meadow-ember-"}) {
    Result<PairingCode> code = ParseCode(typed);
    ASSERT_TRUE(code.ok()) << typed << ": " << code.error().message;
    EXPECT_EQ(code->text, "7-crossbow-meadow-ember") << typed;
  }
}

TEST(ParseCode, AcceptsALeadingZeroInTheNameplate) {
  Result<PairingCode> code = ParseCode("07-crossbow-meadow-ember");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->text, "7-crossbow-meadow-ember");
}

TEST(ParseCode, RejectsAnUnknownWordAndSuggestsTheClosestListWord) {
  Result<PairingCode> code = ParseCode("7-crossbow-medow-ember");
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(code.error().message.find("second word"), std::string::npos) << code.error().message;
  EXPECT_NE(code.error().message.find("did you mean \"meadow\""), std::string::npos)
      << code.error().message;

  Result<PairingCode> third = ParseCode("7 crossbow meadow embers");
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().message.find("third word"), std::string::npos);
  EXPECT_NE(third.error().message.find("\"ember\""), std::string::npos);
}

TEST(ParseCode, RejectsNonLetterWordsWithoutASuggestion) {
  for (const char* typed : {"7-crossbow-m3adow-ember",
                            "7-crossbow-m\xc3\xa9"
                            "adow-ember"}) {
    Result<PairingCode> code = ParseCode(typed);
    ASSERT_FALSE(code.ok()) << typed;
    EXPECT_EQ(code.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(code.error().message.find("did you mean"), std::string::npos);
  }
}

TEST(ParseCode, RejectsBadNameplates) {
  for (const char* typed :
       {"0-crossbow-meadow-ember", "100-crossbow-meadow-ember", "x-crossbow-meadow-ember",
        "7a-crossbow-meadow-ember", "+7-crossbow-meadow-ember", "007-crossbow-meadow-ember",
        "crossbow-crossbow-meadow-ember"}) {
    Result<PairingCode> code = ParseCode(typed);
    ASSERT_FALSE(code.ok()) << typed;
    EXPECT_EQ(code.code(), ErrorCode::kInvalidArgument) << typed;
    EXPECT_NE(code.error().message.find("1 to 99"), std::string::npos) << typed;
  }
}

TEST(ParseCode, RejectsWrongWordCounts) {
  for (const char* typed : {"", "   ", "7", "7-crossbow", "7-crossbow-meadow",
                            "7-crossbow-meadow-ember-acorn", "crossbow-meadow-ember"}) {
    Result<PairingCode> code = ParseCode(typed);
    ASSERT_FALSE(code.ok()) << typed;
    EXPECT_EQ(code.code(), ErrorCode::kInvalidArgument) << typed;
    EXPECT_NE(code.error().message.find("a number and three words"), std::string::npos) << typed;
  }
}

TEST(ParseCode, RejectsOverlongInputBeforeSplittingIt) {
  std::string typed = "7-crossbow-meadow-ember" + std::string(kMaxTypedCodeLen, ' ');
  EXPECT_EQ(ParseCode(typed).code(), ErrorCode::kInvalidArgument);
}

TEST(GenerateCode, RoundTripsThroughParseCode) {
  std::set<uint32_t> nameplates;
  for (int i = 0; i < 500; ++i) {
    PairingCode code = GenerateCode();
    ASSERT_GE(code.nameplate, kMinNameplate);
    ASSERT_LE(code.nameplate, kMaxNameplate);
    Result<PairingCode> parsed = ParseCode(code.text);
    ASSERT_TRUE(parsed.ok()) << code.text;
    EXPECT_EQ(parsed->nameplate, code.nameplate);
    EXPECT_EQ(parsed->secret, code.secret);
    EXPECT_EQ(parsed->text, code.text);
    nameplates.insert(code.nameplate);
  }
  // 500 draws from 99 nameplates: all in one value would mean the randomness is broken.
  EXPECT_GT(nameplates.size(), 50u);
}

TEST(GenerateCode, CodesDiffer) {
  std::set<std::string> texts;
  for (int i = 0; i < 100; ++i) texts.insert(GenerateCode().text);
  EXPECT_GT(texts.size(), 95u);  // 2^24 * 99 possibilities: collisions are rare
}

TEST(CanonicalCodeText, JoinsNameplateAndWordsWithHyphens) {
  EXPECT_EQ(CanonicalCodeText(99, {0, 1, 255}), "99-" + std::string(WordList()[0]) + "-" +
                                                    std::string(WordList()[1]) + "-" +
                                                    std::string(WordList()[255]));
}

}  // namespace
}  // namespace accord::pairing
