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

TEST(Render, AnEntrySealedBelowItsAuthorsRotationIsMarkedAndCounted) {
  proto::Response r;
  proto::LogEntryView* e = r.mutable_log()->add_entries();
  e->set_kind(proto::ENTRY_KIND_NEED);
  e->set_signature(proto::SIGNATURE_VERIFIED);
  e->set_sealed_below_rotation(true);
  r.mutable_log()->add_entries()->set_kind(proto::ENTRY_KIND_NEED);
  r.mutable_log()->set_verified(2);
  r.mutable_log()->set_sealed_below_rotation(1);
  const std::string out = Render(r);
  EXPECT_NE(out.find("  need  verified  SEALED BELOW ITS AUTHOR'S ROTATION\n"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("ROTATION"), out.rfind("ROTATION")) << out;  // the one entry only
  EXPECT_NE(out.find("1 entries are sealed to an older key"), std::string::npos) << out;
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

// No byte that a terminal obeys: ESC, CR, BEL (the hostile text's controls).
void ExpectNoControls(const std::string& out) {
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  EXPECT_EQ(out.find('\a'), std::string::npos) << out;
}

constexpr char kHostileShown[] = "I need \\x1B]0;owned\\x07\\x1B[2J\\x0Dfake line";

proto::Response ShowWithDecline(const std::string& name, const std::string& note) {
  proto::Response r;
  proto::AgreementView* a = r.mutable_show()->mutable_agreement();
  a->set_id("abcdef0123456789");
  a->set_status(proto::AGREEMENT_STATUS_PENDING);
  proto::VersionView* v = a->add_history();
  v->set_id("abcdef0123456789");
  v->set_number(1);
  v->set_author_name("Alice");
  v->set_text("Tuesday evenings are mine");
  v->set_status(proto::VERSION_STATUS_PENDING);
  v->add_accepted_by("Alice");
  v->add_declined_by(name);
  proto::ReplyView* d = v->add_declines();
  d->set_name(name);
  d->set_time_ms(kNow);
  d->set_note(note);
  return r;
}

TEST(Render, ShowListsEachDeclineWithItsNote) {
  const std::string out = Render(ShowWithDecline("Bob", "not this week, maybe next"));
  const size_t at = out.find("      declined by Bob, ");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string line = out.substr(at, out.find('\n', at) - at);
  const std::string ending = ": not this week, maybe next";
  ASSERT_GT(line.size(), ending.size()) << line;
  EXPECT_EQ(line.substr(line.size() - ending.size()), ending) << line;
  EXPECT_EQ(out.find("declined by: Bob"), std::string::npos) << out;  // not listed twice
}

TEST(Render, ADeclineWithoutANoteEndsAtItsTime) {
  const std::string out = Render(ShowWithDecline("Bob", ""));
  const size_t at = out.find("      declined by Bob, ");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string line = out.substr(at, out.find('\n', at) - at);
  EXPECT_EQ(line.find(": "), std::string::npos) << line;
}

TEST(Render, AnOlderDaemonsDeclinedByNamesAreStillShown) {
  proto::Response r = ShowWithDecline("Bob", "");
  r.mutable_show()->mutable_agreement()->mutable_history(0)->clear_declines();
  EXPECT_NE(Render(r).find("      declined by: Bob\n"), std::string::npos) << Render(r);
}

TEST(Render, ADeclineNotesEscapeSequencesAreShownNotObeyed) {
  const std::string out = Render(ShowWithDecline("Bob\x1b[31m", kHostile));
  ExpectNoControls(out);
  EXPECT_NE(out.find("declined by Bob\\x1B[31m, "), std::string::npos) << out;
  EXPECT_NE(out.find(kHostileShown), std::string::npos) << out;
}

TEST(Render, ADeclineNotesNewlineCannotForgeALine) {
  const std::string out = Render(ShowWithDecline("Bob", "no\n    v2 abcdef01 [active] by Bob"));
  EXPECT_NE(out.find(": no\n        v2 abcdef01 [active] by Bob"), std::string::npos) << out;
}

proto::Response SpaceWithAck(const std::string& note, bool active) {
  proto::Response r;
  proto::SpaceView* s =
      active ? r.mutable_space()->add_in_space() : r.mutable_space()->add_recent();
  s->set_id("abcdef0123456789");
  s->set_name("Alice");
  s->set_message("a walk");
  s->set_active(active);
  s->add_acked_by("Bob");
  proto::ReplyView* ack = s->add_acks();
  ack->set_name("Bob");
  ack->set_time_ms(kNow);
  ack->set_note(note);
  return r;
}

TEST(Render, SpaceShowsWhoAcknowledgedAndTheirNote) {
  const std::string out = Render(SpaceWithAck("enjoy the walk", true));
  EXPECT_NE(out.find("abcdef01  Alice is in space until "), std::string::npos) << out;
  EXPECT_NE(out.find(": a walk (acknowledged by Bob)\n          Bob: enjoy the walk\n"),
            std::string::npos)
      << out;
}

TEST(Render, AnAcknowledgementWithoutANoteAddsNoLine) {
  const std::string out = Render(SpaceWithAck("", true));
  EXPECT_NE(out.find("(acknowledged by Bob)\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Bob:"), std::string::npos) << out;
}

TEST(Render, AnAcknowledgementNotesEscapeSequencesAreShownNotObeyed) {
  const std::string out = Render(SpaceWithAck(kHostile, true));
  ExpectNoControls(out);
  EXPECT_NE(out.find(std::string("Bob: ") + kHostileShown), std::string::npos) << out;
}

TEST(Render, SpaceListsRecentRequestsWithTheirAcknowledgements) {
  const std::string out = Render(SpaceWithAck("thanks for asking", false));
  EXPECT_NE(out.find("nobody is in space now\nrecently:\nabcdef01  Alice was in space until "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("          Bob: thanks for asking\n"), std::string::npos) << out;
}

TEST(Render, AWatchLineShowsADeclineNoteSafely) {
  proto::Response r;
  proto::Event* e = r.mutable_event();
  e->set_time_ms(kNow);
  e->set_kind(proto::ENTRY_KIND_DECLINE);
  e->set_author_name("Bob");
  e->set_summary(std::string("declined abcdef01: ") + kHostile);
  e->set_note(kHostile);
  const std::string out = Render(r);
  ExpectNoControls(out);
  EXPECT_NE(out.find(std::string("  Bob  declined abcdef01: ") + kHostileShown + "\n"),
            std::string::npos)
      << out;
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
