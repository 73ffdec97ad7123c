#include "base/text.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace accord {
namespace {

TEST(Utf8, WellFormedTextIsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Zoë \xe2\x82\xac \xf0\x9f\x98\x80"));  // é, €, an emoji
}

TEST(Utf8, MalformedSequencesAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("ok\x9b"));            // a lone C1 byte
}

TEST(UserText, NewlineAndTabAreAllowed) {
  EXPECT_TRUE(CheckUserText("I need\tquiet\nevenings", "text").ok());
  EXPECT_TRUE(CheckUserText("", "note").ok());
  EXPECT_TRUE(CheckUserText("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "text").ok());  // Hebrew
}

TEST(UserText, EscapeSequencesAreRefusedNamingTheField) {
  Status s = CheckUserText("I need \x1b]0;owned\a\x1b[2J\rfake line", "need text");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("need text"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("U+001B"), std::string::npos) << s.error().message;
}

TEST(UserText, EveryControlAndBidiCodePointIsRefused) {
  for (std::string bad :
       std::vector<std::string>{"\r", std::string(1, '\0'), "\x08", "\x07", "\x7f", "\xc2\x9b",
                                "\xc2\x80", "\xe2\x80\xae", "\xe2\x80\xaa", "\xe2\x81\xa6",
                                "\xe2\x81\xa9", "\xe2\x80\x8f", "\xd8\x9c", "\xe2\x80\xa8"}) {
    EXPECT_FALSE(CheckUserText("a" + bad + "b", "text").ok()) << testing::PrintToString(bad);
  }
}

TEST(UserText, InvalidUtf8IsRefusedAsSuch) {
  Status s = CheckUserText("caf\xe9", "note");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "the note is not valid UTF-8");
}

TEST(Name, OrdinaryNamesAreAccepted) {
  EXPECT_TRUE(CheckName("Alice").ok());
  EXPECT_TRUE(CheckName("Zoë O'Brien").ok());
  EXPECT_TRUE(CheckName(std::string(kMaxNameBytes, 'a')).ok());
}

TEST(Name, ControlCharactersEmptinessAndLengthAreRefused) {
  EXPECT_FALSE(CheckName("Name\x1b[31m").ok());
  EXPECT_FALSE(CheckName("two\nlines").ok());
  EXPECT_FALSE(CheckName("tab\there").ok());
  EXPECT_FALSE(CheckName("").ok());
  EXPECT_FALSE(CheckName("   ").ok());
  EXPECT_FALSE(CheckName(std::string(kMaxNameBytes + 1, 'a')).ok());
  EXPECT_FALSE(CheckName("\xe2\x80\xae"
                         "ecilA")
                   .ok());
  EXPECT_FALSE(CheckName("bad\xff").ok());
}

TEST(TerminalSafe, OrdinaryTextIsUnchanged) {
  EXPECT_EQ(TerminalSafe("I need\ttime, Zoë \xe2\x82\xac"), "I need\ttime, Zoë \xe2\x82\xac");
}

TEST(TerminalSafe, ControlsBecomeVisibleEscapes) {
  EXPECT_EQ(TerminalSafe("I need \x1b]0;owned\a\x1b[2J\rfake line"),
            "I need \\x1B]0;owned\\x07\\x1B[2J\\x0Dfake line");
  EXPECT_EQ(TerminalSafe(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(TerminalSafe("\xc2\x9b"
                         "31m"),
            "\\u{009B}31m");
  EXPECT_EQ(TerminalSafe("abc\xe2\x80\xae"
                         "def"),
            "abc\\u{202E}def");
}

TEST(TerminalSafe, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(TerminalSafe("caf\xe9!"), "caf\\xE9!");
  EXPECT_EQ(TerminalSafe("\x9b[2J"), "\\x9B[2J");
  EXPECT_EQ(TerminalSafe("\xe2\x80"), "\\xE2\\x80");
}

TEST(TerminalSafe, NewlinesAreFollowedByTheContinuation) {
  EXPECT_EQ(TerminalSafe("one\ntwo", "    "), "one\n    two");
}

TEST(TerminalSafe, RandomBytesNeverSurviveAsUnsafeCodePoints) {
  std::mt19937 rng(20261201);
  for (int round = 0; round < 5000; ++round) {
    std::string s(rng() % 24, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 4 == 0 ? 0x80 + rng() % 0x40 : rng() % 256);
    const std::string safe = TerminalSafe(s);
    ASSERT_TRUE(IsValidUtf8(safe)) << testing::PrintToString(s);
    // What remains is acceptable user text: nothing unsafe but newline and tab.
    ASSERT_TRUE(CheckUserText(safe, "output").ok()) << testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace accord
