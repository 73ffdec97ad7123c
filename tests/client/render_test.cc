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

TEST(Render, StatusSaysWhatWaitsForMeInWordsBeforeTheTechnicalLines) {
  proto::Response r;
  proto::StatusResponse* st = r.mutable_status();
  st->add_members()->set_name("Alice");
  st->mutable_members(0)->set_is_me(true);
  st->add_members()->set_name("Bob");
  st->set_entries(42);
  st->set_state_digest("ab12");
  proto::AgreementView* a = st->add_waiting_for_me();
  a->set_id("0a0b0c0d0e0f");
  a->add_pending()->set_text("Tuesday evenings are mine");
  a->mutable_pending(0)->set_author_name("Bob");
  proto::SpaceView* sp = st->add_to_acknowledge();
  sp->set_id("1a1b1c1d1e1f");
  sp->set_name("Bob");
  sp->set_message(kHostile);
  sp->set_end_ms(kNow + 3'600'000);
  proto::DueView* d = st->add_due();
  d->set_agreement_id("2a2b2c2d2e2f");
  d->set_text("Sunday walks");
  const std::string out = Render(r);
  const size_t words = out.find("Waiting for you:");
  ASSERT_EQ(words, 0u) << out;
  EXPECT_NE(out.find("Bob proposes: Tuesday evenings are mine"), std::string::npos) << out;
  EXPECT_NE(out.find("accord accept|counter|decline 0a0b0c0d"), std::string::npos) << out;
  EXPECT_NE(out.find("Bob asks for space until"), std::string::npos) << out;
  EXPECT_NE(out.find("accord ack 1a1b1c1d"), std::string::npos) << out;
  EXPECT_NE(out.find("a review is due: Sunday walks"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  const size_t pact = out.find("pact: Alice (me) Bob");
  ASSERT_NE(pact, std::string::npos) << out;
  EXPECT_LT(out.find("accord checkin --agreement 2a2b2c2d"), pact) << out;
  EXPECT_GT(out.find("entries: 42"), pact) << out;
}

TEST(Render, StatusWithNothingWaitingSaysSoFirst) {
  proto::Response r;
  r.mutable_status()->add_members()->set_name("Alice");
  const std::string out = Render(r);
  EXPECT_EQ(out.find("Nothing is waiting for you."), 0u) << out;
  EXPECT_EQ(out.find("Waiting for you"), std::string::npos) << out;
}

}  // namespace
}  // namespace accord::client
