#include "client/render.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <sstream>

namespace accord::client {
namespace {

constexpr int64_t kNow = 1'700'000'000'000LL;  // unix ms
const std::string kHostile = "I need \x1b]0;owned\a\x1b[2J\rfake line";

std::string Render(const proto::Response& r) {
  std::ostringstream out;
  RenderText(r, kNow, out);
  return out.str();
}

TEST(Render, APartnersEscapeSequencesAreShownNotObeyed) {
  proto::Response r;
  proto::NoteView* n = r.mutable_notes()->add_notes();
  n->set_id("abcdef0123456789");
  n->set_author_name("Bob\x1b[31m");
  n->set_text(kHostile);
  const std::string out = Render(r);
  EXPECT_NE(out.find("Bob\\x1B[31m: I need \\x1B]0;owned\\x07\\x1B[2J\\x0Dfake line"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\a'), std::string::npos);
}

TEST(Render, ANewlineInAPartnersTextCannotStartALineOfItsOwn) {
  proto::Response r;
  proto::NoteView* n = r.mutable_notes()->add_notes();
  n->set_id("abcdef0123456789");
  n->set_author_name("Bob");
  n->set_text("fine\n12345678  forged line");
  EXPECT_NE(Render(r).find("fine\n    12345678  forged line"), std::string::npos) << Render(r);
}

TEST(Render, OrdinaryUnicodeIsShownAsWritten) {
  proto::Response r;
  proto::SpaceView* s = r.mutable_space()->add_in_space();
  s->set_id("abcdef0123456789");
  s->set_name("Zoë");
  s->set_message("a walk \xf0\x9f\x8c\xb3");
  s->set_active(true);
  const std::string out = Render(r);
  EXPECT_NE(out.find("Zoë is in space until"), std::string::npos) << out;
  EXPECT_NE(out.find(": a walk \xf0\x9f\x8c\xb3"), std::string::npos) << out;
}

TEST(Render, BidiOverridesInANameAreNeutralised) {
  proto::Response r;
  proto::MemberView* m = r.mutable_status()->add_members();
  m->set_name(
      "\xe2\x80\xae"
      "ecilA");
  const std::string out = Render(r);
  EXPECT_EQ(out.find("\xe2\x80\xae"), std::string::npos) << out;
  EXPECT_NE(out.find("\\u{202E}ecilA"), std::string::npos) << out;
}

TEST(Render, JsonOutputKeepsTheExactText) {
  proto::Response r;
  r.mutable_notes()->add_notes()->set_text(kHostile);
  const std::string json = ToJson(r, false);
  EXPECT_EQ(json.find('\x1b'), std::string::npos);  // the JSON mapping escapes it itself
  proto::Response back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
  EXPECT_EQ(back.notes().notes(0).text(), kHostile);
}

TEST(Render, ExportChunksOnATerminalShowCrlfAsNewlines) {
  std::ostringstream out;
  RenderExportChunk("BEGIN:VCALENDAR\r\nSUMMARY:x\x1b[2J\r\n", out);
  EXPECT_EQ(out.str(), "BEGIN:VCALENDAR\nSUMMARY:x\\x1B[2J\n");
}

TEST(Render, EnumValuesPrintTheirWordsAsBefore) {
  proto::Response r;
  proto::LogEntryView* e = r.mutable_log()->add_entries();
  e->set_id("abcdef0123456789");
  e->set_author_name("Alice");
  e->set_kind(proto::ENTRY_KIND_SPACE_REQUEST);
  e->set_signature(proto::SIGNATURE_VERIFIED);
  e->set_damage(proto::DAMAGE_MISSING_BODY);
  const std::string out = Render(r);
  EXPECT_NE(out.find("  space-request  verified  DAMAGED: missing body\n"), std::string::npos)
      << out;
}

TEST(Render, AnEntryWithoutDamageSaysNothingAboutDamage) {
  proto::Response r;
  proto::LogEntryView* e = r.mutable_log()->add_entries();
  e->set_kind(proto::ENTRY_KIND_NEED);
  e->set_signature(proto::SIGNATURE_STORED);
  const std::string out = Render(r);
  EXPECT_NE(out.find("  need  stored\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("DAMAGED"), std::string::npos) << out;
}

TEST(Render, ValuesFromANewerDaemonPrintAsUnknown) {
  proto::Response r;
  proto::PeerView* p = r.mutable_peers()->add_peers();
  p->set_name("Bob");
  p->set_state(static_cast<proto::PeerState>(99));
  proto::Response agreements;
  proto::AgreementView* a = agreements.mutable_agreements()->add_agreements();
  a->set_id("abcdef0123456789");
  a->set_status(static_cast<proto::AgreementStatus>(42));
  EXPECT_NE(Render(r).find("(device )  unknown\n"), std::string::npos) << Render(r);
  EXPECT_NE(Render(agreements).find("abcdef01  [unknown]"), std::string::npos)
      << Render(agreements);
}

TEST(Render, WithdrawnNotesLeaveTheListAndAreCounted) {
  proto::Response r;
  proto::NoteView* kept = r.mutable_notes()->add_notes();
  kept->set_id("abcdef0123456789");
  kept->set_author_name("Alice");
  kept->set_text("I need a walk after work");
  proto::NoteView* gone = r.mutable_notes()->add_notes();
  gone->set_id("0123456789abcdef");
  gone->set_author_name("Alice");
  gone->set_text("I need Sunday mornings");
  gone->mutable_withdrawn()->set_note("we found another way");
  const std::string out = Render(r);
  EXPECT_NE(out.find("Alice: I need a walk after work\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Sunday mornings"), std::string::npos) << out;
  EXPECT_EQ(out.find("(none yet)"), std::string::npos) << out;
  EXPECT_NE(out.find("(1 withdrawn, kept in the history: accord --json or accord export shows "
                     "it)\n"),
            std::string::npos)
      << out;
  // Only withdrawn ones: no "(none yet)", which would say nothing was ever written.
  r.mutable_notes()->mutable_notes()->DeleteSubrange(0, 1);
  EXPECT_EQ(Render(r),
            "(1 withdrawn, kept in the history: accord --json or accord export "
            "shows it)\n");
  EXPECT_EQ(Render(proto::Response()).find("withdrawn"), std::string::npos);
}

TEST(Render, WithdrawnCheckInsLeaveTheListAndShowMarksThemWithTheSanitisedNote) {
  proto::Response r;
  proto::CheckInView* c = r.mutable_check_ins()->add_check_ins();
  c->set_id("abcdef0123456789");
  c->set_author_name("Bob");
  c->set_feeling(2);
  c->set_note("rough week");
  c->mutable_withdrawn()->set_note("sorry\x1b[2J");
  const std::string list = Render(r);
  EXPECT_EQ(list.find("rough week"), std::string::npos) << list;
  EXPECT_NE(list.find("1 withdrawn"), std::string::npos) << list;

  proto::Response show;
  *show.mutable_show()->mutable_agreement()->add_check_ins() = *c;
  const std::string out = Render(show);
  EXPECT_NE(out.find("Bob feeling 2: rough week  (withdrawn: sorry\\x1B[2J)\n"), std::string::npos)
      << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

TEST(Render, ASafetyNumberIsShownPerPartnerWithTheirNameSanitised) {
  proto::Response r;
  proto::SafetyNumberView* v = r.mutable_safety_number()->add_partners();
  v->set_name("Bob\x1b[31m");
  v->set_safety_number("12345 67890");
  EXPECT_EQ(Render(r),
            "safety number with Bob\\x1B[31m (compare at the kitchen table):\n  12345 67890\n");
}

}  // namespace
}  // namespace accord::client
