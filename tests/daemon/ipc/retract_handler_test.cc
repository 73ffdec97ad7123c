// `retract`, `appreciations` and `safety-number` through the IPC handlers
// (daemon/ipc/retract_handler.cc, safety_number_handler.cc) against a real node and store,
// and ResolveItem (daemon/ipc/resolve.h), which finds what a retract names.
#include <gtest/gtest.h>

#include "daemon/ipc/resolve.h"
#include "daemon/pairing/safety_number.h"
#include "tests/daemon/ipc/handlers_fixture.h"

namespace accord::daemon {
namespace {

class RetractHandlerTest : public HandlersTest {
 protected:
  static proto::Request Retract(const std::string& id, const std::string& note = "") {
    proto::Request q;
    q.mutable_retract()->set_id(id);
    q.mutable_retract()->set_note(note);
    return q;
  }
  static proto::Request Retract(const log::EntryId& id, const std::string& note = "") {
    return Retract(ToHex(id).substr(0, 8), note);
  }
  static proto::Request List(proto::ListNotesRequest::Kind kind) {
    proto::Request q;
    q.mutable_list_notes()->set_kind(kind);
    return q;
  }
  log::EntryId Wrote(const proto::Request& q) { return *FromHexId(WrittenId(Ask(q))); }
  // Asks `q`, expects `code` and a message holding `words`, and that nothing was written.
  void ExpectRefusal(const proto::Request& q, ErrorCode code, const std::string& words) {
    const uint64_t entries = node_->EntryCount();
    const proto::Response r = Ask(q);
    ExpectErrorCode(r, code);
    EXPECT_NE(r.error().message().find(words), std::string::npos) << r.error().message();
    EXPECT_EQ(node_->EntryCount(), entries);
  }
};

TEST_F(RetractHandlerTest, AnOwnNeedIsWithdrawnWithItsNoteAndStaysListedAsWithdrawn) {
  InitAlice();
  const log::EntryId need = Wrote(AddNeed("I need Sunday mornings"));
  const log::EntryId retract = Wrote(Retract(need, "we found another way"));
  ASSERT_EQ(node_->State().needs.size(), 1u);
  ASSERT_TRUE(node_->State().needs[0].withdrawn.has_value());
  EXPECT_EQ(node_->State().needs[0].withdrawn->by.id, retract);

  const proto::Response listed = Ask(List(proto::ListNotesRequest::NEEDS));
  ASSERT_EQ(listed.notes().notes_size(), 1);
  const proto::NoteView& n = listed.notes().notes(0);
  ASSERT_TRUE(n.has_withdrawn());
  EXPECT_EQ(n.withdrawn().id(), ToHex(retract));
  EXPECT_EQ(n.withdrawn().note(), "we found another way");
  EXPECT_EQ(n.withdrawn().time_ms(), FixedClock().NowMs());
}

TEST_F(RetractHandlerTest, BoundariesAppreciationsCheckInsAndOpenSpaceCanBeWithdrawn) {
  InitAlice();
  proto::Request boundary;
  boundary.mutable_add_boundary()->set_text("no calls");
  proto::Request thanks;
  thanks.mutable_appreciate()->set_text("thank you");
  proto::Request check_in;
  check_in.mutable_check_in()->set_feeling(3);
  for (const proto::Request* q : {&boundary, &thanks, &check_in})
    WrittenId(Ask(Retract(Wrote(*q))));
  const log::EntryId ask = Wrote(AskSpace("1h", "a walk"));
  WrittenId(Ask(Retract(ask, "not now after all")));
  const state::State& s = node_->State();
  EXPECT_TRUE(s.boundaries.at(0).withdrawn.has_value());
  EXPECT_TRUE(s.appreciations.at(0).withdrawn.has_value());
  EXPECT_TRUE(s.check_ins.at(0).withdrawn.has_value());
  EXPECT_TRUE(s.space_requests.at(0).withdrawn.has_value());
  // The withdrawn request ended: Alice is no longer in space, so there is nothing to end.
  ExpectError(Ask(Back()), ErrorCode::kRefused, "you are not in a space time now");
}

TEST_F(RetractHandlerTest, AppreciationsAreListedWithTheirWithdrawals) {
  InitAlice();
  proto::Request thanks;
  thanks.mutable_appreciate()->set_text("thank you for the quiet evening");
  const log::EntryId kept = Wrote(thanks);
  thanks.mutable_appreciate()->set_text("thanks for dinner");
  const log::EntryId withdrawn = Wrote(thanks);
  WrittenId(Ask(Retract(withdrawn)));
  const proto::Response r = Ask(List(proto::ListNotesRequest::APPRECIATIONS));
  ASSERT_EQ(r.notes().notes_size(), 2);
  EXPECT_EQ(r.notes().notes(1).id(), ToHex(kept));  // newest first, as needs are
  EXPECT_EQ(r.notes().notes(1).text(), "thank you for the quiet evening");
  EXPECT_FALSE(r.notes().notes(1).has_withdrawn());
  EXPECT_TRUE(r.notes().notes(0).has_withdrawn());
}

TEST_F(RetractHandlerTest, APartnersEntryIsRefusedAndNothingIsWritten) {
  InitAlice();
  AddBob();
  Result<log::EntryId> bobs = bob_->Write(state::NeedAdded{"I need long walks"});
  ASSERT_TRUE(bobs.ok());
  Result<log::EntryId> space = bob_->Write(state::SpaceAsked{3'600'000, "a nap"});
  ASSERT_TRUE(space.ok());
  ToAlice();
  ExpectRefusal(
      Retract(*bobs), ErrorCode::kRefused,
      "need " + ToHex(*bobs).substr(0, 8) + " was written by Bob; only its author can withdraw it");
  ExpectRefusal(Retract(*space), ErrorCode::kRefused, "only its author can withdraw it");
  EXPECT_FALSE(node_->State().needs.at(0).withdrawn.has_value());
}

TEST_F(RetractHandlerTest, AgreementsReflectionsEndedSpaceAndWithdrawnItemsAreRefused) {
  InitAlice();
  const log::EntryId agreement = Wrote(Propose("walks on sunday"));
  ExpectRefusal(Retract(agreement), ErrorCode::kRefused,
                "is an agreement, which is withdrawn by retiring it: accord retire");
  proto::Request reflect;
  reflect.mutable_reflect()->set_text("private");
  ExpectRefusal(Retract(Wrote(reflect)), ErrorCode::kRefused, "use accord forget");
  const log::EntryId ask = Wrote(AskSpace("1h"));
  WrittenId(Ask(Back()));
  ExpectRefusal(Retract(ask), ErrorCode::kRefused, "has already ended");
  const log::EntryId need = Wrote(AddNeed("I need quiet"));
  const log::EntryId retract = Wrote(Retract(need));
  ExpectRefusal(Retract(need), ErrorCode::kRefused, "is already withdrawn");
  ExpectRefusal(Retract(retract), ErrorCode::kNotFound, "no entry with id");
}

TEST_F(RetractHandlerTest, BadIdsAndBadNotesAreRefusedBeforeAnythingIsWritten) {
  InitAlice();
  const log::EntryId need = Wrote(AddNeed("I need quiet"));
  ExpectRefusal(Retract(std::string()), ErrorCode::kInvalidArgument, "is too short");
  ExpectRefusal(Retract("abc"), ErrorCode::kInvalidArgument, "is too short");
  ExpectRefusal(Retract("zzzz"), ErrorCode::kInvalidArgument, "is not hexadecimal");
  std::string unknown = ToHex(need).substr(0, 8);
  unknown[0] = unknown[0] == '0' ? '1' : '0';
  ExpectRefusal(Retract(unknown), ErrorCode::kNotFound,
                "list them with accord needs, boundaries, appreciations, checkins or space");
  ExpectRefusal(Retract(need, "bell\x07"), ErrorCode::kInvalidArgument, "note");
  ExpectRefusal(Retract(need, std::string(2001, 'a')), ErrorCode::kInvalidArgument, "too long");
  EXPECT_FALSE(node_->State().needs.at(0).withdrawn.has_value());
}

TEST_F(RetractHandlerTest, TheSafetyNumberNeedsAPartnerAndThenIsThePairingOne) {
  InitAlice();
  proto::Request q;
  q.mutable_safety_number();
  const proto::Response alone = Ask(q);
  ExpectErrorCode(alone, ErrorCode::kRefused);
  EXPECT_NE(alone.error().message().find("no partner yet"), std::string::npos);

  AddBob();
  const proto::Response paired = Ask(q);
  ASSERT_FALSE(paired.has_error()) << paired.error().message();
  ASSERT_EQ(paired.safety_number().partners_size(), 1);
  const proto::SafetyNumberView& v = paired.safety_number().partners(0);
  EXPECT_EQ(v.name(), "Bob");
  EXPECT_EQ(v.member_id(), ToHex(bob_->device_key()));
  // What both pairing machines compute from the two members' device keys.
  EXPECT_EQ(v.safety_number(), pairing::FormatSafetyNumber(pairing::SafetyNumber(
                                   {bob_->device_key()}, {node_->device_key()})));
  EXPECT_EQ(v.safety_number().size(), 60u + 11u);  // 12 groups of 5 digits
}

// --- ResolveItem: a pure function of the state ---

state::Authored By(uint8_t first, uint8_t second) {
  state::Authored by;
  by.id[0] = first;
  by.id[1] = second;
  by.id[31] = 1;
  return by;
}

TEST(ResolveItem, FindsAnyListedItemByAUniquePrefix) {
  state::State s;
  s.needs.push_back(state::Need{By(0xab, 0xcd), "n", std::nullopt});
  s.check_ins.push_back(state::CheckIn{By(0x12, 0x34), 3, "", std::nullopt, std::nullopt});
  Result<log::EntryId> need = ResolveItem(s, "ABCD");  // case does not matter
  ASSERT_TRUE(need.ok()) << need.error().message;
  EXPECT_EQ(*need, s.needs[0].by.id);
  Result<log::EntryId> check_in = ResolveItem(s, "1234");
  ASSERT_TRUE(check_in.ok());
  EXPECT_EQ(*check_in, s.check_ins[0].by.id);
}

TEST(ResolveItem, AnAmbiguousPrefixListsTheCandidates) {
  state::State s;
  s.needs.push_back(state::Need{By(0xab, 0xcd), "n", std::nullopt});
  s.appreciations.push_back(state::Appreciation{By(0xab, 0xcd), "a", std::nullopt});
  s.appreciations.back().by.id[2] = 0xef;
  Result<log::EntryId> r = ResolveItem(s, "abcd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message.find("abcd00000000"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("abcdef000000"), std::string::npos) << r.error().message;
  EXPECT_TRUE(ResolveItem(s, "abcde").ok());
}

}  // namespace
}  // namespace accord::daemon
