#include "daemon/notify/compose.h"

#include <gtest/gtest.h>

#include "base/text.h"

namespace accord::notify {
namespace {

Happening Asked(std::string name, std::string message) {
  return Happening{
      .topic = Topic::kSpaceAsked, .name = std::move(name), .text = std::move(message)};
}

TEST(Compose, QuietSaysWhoAndWhatButNeverTheirWords) {
  Text t = Compose(Asked("Alice", "going for a walk by the river"), 1, Mode::kQuiet);
  EXPECT_EQ(t.summary, "Alice asked for space");
  EXPECT_EQ(t.body, "");
  EXPECT_EQ(t.summary.find("walk"), std::string::npos);
}

TEST(Compose, FullPutsTheirWordsInTheBody) {
  Text t = Compose(Asked("Alice", "going for a walk"), 1, Mode::kFull);
  EXPECT_EQ(t.summary, "Alice asked for space");
  EXPECT_EQ(t.body, "going for a walk");
}

TEST(Compose, EachTopicHasItsWords) {
  auto summary = [](Topic topic) {
    return Compose(Happening{.topic = topic, .name = "Alice", .text = "secret"}, 1, Mode::kQuiet)
        .summary;
  };
  EXPECT_EQ(summary(Topic::kProposed), "Alice proposed an agreement");
  EXPECT_EQ(summary(Topic::kCountered), "Alice countered a proposal");
  EXPECT_EQ(summary(Topic::kAccepted), "Alice accepted an agreement");
  EXPECT_EQ(summary(Topic::kRetired), "Alice retired an agreement");
  EXPECT_EQ(summary(Topic::kReviewDue), "An agreement review is due");
}

TEST(Compose, MergedNotificationsCountThemselves) {
  EXPECT_EQ(Compose(Asked("Alice", "m"), 10, Mode::kQuiet).summary, "Alice asked for space (10)");
  EXPECT_EQ(Compose(Happening{.topic = Topic::kReviewDue}, 2, Mode::kQuiet).summary,
            "An agreement review is due (2)");
}

TEST(Compose, ANameIsSanitisedToOneSafeLine) {
  Text t = Compose(Asked("Al\x1b[31mice\nroot\u202e", "m"), 1, Mode::kQuiet);
  EXPECT_EQ(t.summary.find('\x1b'), std::string::npos);
  EXPECT_EQ(t.summary.find('\n'), std::string::npos);
  EXPECT_EQ(t.summary.find("\u202e"), std::string::npos);
  EXPECT_TRUE(IsValidUtf8(t.summary));
  EXPECT_NE(t.summary.find("asked for space"), std::string::npos);
}

TEST(Compose, AnEmptyNameStillSaysWho) {
  EXPECT_EQ(Compose(Asked("", "m"), 1, Mode::kQuiet).summary, "Your partner asked for space");
}

TEST(Compose, FullBodiesHaveNoControlCharactersAndAreBounded) {
  std::string hostile = "line one\nline\x07two\x9b" + std::string(2000, 'x');
  Text t = Compose(Asked("Alice", hostile), 1, Mode::kFull);
  EXPECT_LE(t.body.size(), kMaxBodyShownBytes);
  EXPECT_TRUE(IsValidUtf8(t.body));
  EXPECT_NE(t.body.find("line one\nline"), std::string::npos);  // newlines are kept in a body
  EXPECT_EQ(t.body.find('\x07'), std::string::npos);
  for (char c : t.body) EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20);
}

TEST(Sanitize, CutsAtACharacterBoundaryAndSaysSo) {
  std::string s = Sanitize("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6, true);  // four é, 8 bytes
  EXPECT_TRUE(IsValidUtf8(s));
  EXPECT_LE(s.size(), 6u);
  EXPECT_EQ(s, "\xC3\xA9\xE2\x80\xA6");  // é…
  EXPECT_EQ(Sanitize("short", 6, true), "short");
}

TEST(Sanitize, OneLineTurnsNewlinesAndTabsIntoSpaces) {
  EXPECT_EQ(Sanitize("a\nb\tc", 64, true), "a b c");
  EXPECT_EQ(Sanitize("a\nb", 64, false), "a\nb");
}

TEST(EscapeMarkup, TurnsTagsAndEntitiesIntoText) {
  EXPECT_EQ(EscapeMarkup("<b>x</b> & <img src=\"y\">"),
            "&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src=\"y\"&gt;");
}

TEST(ParseMode, KnowsTheThreeWordsAndNothingElse) {
  EXPECT_EQ(ParseMode("none"), Mode::kNone);
  EXPECT_EQ(ParseMode("quiet"), Mode::kQuiet);
  EXPECT_EQ(ParseMode("full"), Mode::kFull);
  EXPECT_FALSE(ParseMode("loud"));
  EXPECT_FALSE(ParseMode(""));
  EXPECT_FALSE(ParseMode("Quiet"));
}

}  // namespace
}  // namespace accord::notify
