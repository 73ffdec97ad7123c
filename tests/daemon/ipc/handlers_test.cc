// The IPC handlers (daemon/ipc/handlers.h) without a daemon: a real Node on a temporary home,
// Handlers with no networking, each request dispatched to a real IpcSession over a socket
// pair and its one response read back. Writes are checked in the node's folded state.
#include "daemon/ipc/handlers.h"

#include <gtest/gtest.h>

#include "tests/daemon/ipc/handlers_fixture.h"

namespace accord::daemon {
namespace {

constexpr char kNoIdentity[] = "this device has no identity yet; run: accord init --name YOUR_NAME";

// --- dispatch ---

TEST_F(HandlersTest, EveryCommandButInitWatchAndConsentIsRefusedWithoutAnIdentity) {
  std::vector<proto::Request> requests(6);
  requests[0].mutable_status();
  requests[1] = AddNeed("I need rest");
  requests[2].mutable_log();
  requests[3].mutable_export_();
  requests[4].mutable_invite();
  requests[5].mutable_peers();
  for (const proto::Request& q : requests) {
    ExpectError(Ask(q), ErrorCode::kRefused, kNoIdentity);
  }
  // join may create the identity (a device code needs no --name: it names the device, and a
  // person code without one is refused once the code says what it is, in the pairing
  // integration tests); a join that cannot even start makes none.
  proto::Request join;
  join.mutable_join()->set_code("7-crossbow-meadow-ember");
  proto::Response r = Ask(join);
  ExpectErrorCode(r, ErrorCode::kUnavailable);  // these handlers have no networking
  join.mutable_join()->set_name("Alice");
  r = Ask(join);
  ExpectErrorCode(r, ErrorCode::kUnavailable);
  EXPECT_FALSE(node_->has_identity());
}

TEST_F(HandlersTest, ARequestWithNoCommandIsAnInvalidArgumentWithOrWithoutIdentity) {
  const std::string message = "unknown request; is accord the same version as accordd?";
  ExpectError(Ask(proto::Request()), ErrorCode::kInvalidArgument, message);
  InitAlice();
  ExpectError(Ask(proto::Request()), ErrorCode::kInvalidArgument, message);
}

TEST_F(HandlersTest, InitAnswersWithTheNewDeviceKey) {
  proto::Request q;
  q.mutable_init()->set_name("Alice");
  q.mutable_init()->set_device_name("laptop");
  const proto::Response r = Ask(q);
  ASSERT_TRUE(r.has_init()) << r.error().message();
  EXPECT_EQ(r.init().device_key(), ToHex(node_->device_key()));
  EXPECT_EQ(r.init().member_id(), ToHex(node_->me()));
  ExpectErrorCode(Ask(q), ErrorCode::kAlreadyExists);
}

TEST_F(HandlersTest, WatchIsAnsweredOnlyByLaterEvents) {
  InitAlice();
  proto::Request watch;
  watch.mutable_watch();
  handlers_->Handle(watch, session_);
  EXPECT_TRUE(Silent());
  ASSERT_TRUE(node_->Write(state::NeedAdded{"I need a walk"}).ok());
  const proto::Response event = ReadResponse();
  EXPECT_TRUE(event.has_event());
}

TEST_F(HandlersTest, NetworkingCommandsWithoutPeersSayNetworkingIsOff) {
  InitAlice();
  proto::Request invite;
  invite.mutable_invite();
  ExpectError(Ask(invite), ErrorCode::kUnavailable, "networking is off");
  proto::Request join;
  join.mutable_join()->set_peer("127.0.0.1:1");
  ExpectError(Ask(join), ErrorCode::kUnavailable, "networking is off");
  proto::Request consent;
  consent.mutable_invite_consent()->set_accept(true);
  ExpectError(Ask(consent), ErrorCode::kNotFound, "no invitation");
  proto::Request join_consent;  // a yes with no join asking
  join_consent.mutable_join_consent()->set_accept(true);
  ExpectError(Ask(join_consent), ErrorCode::kNotFound, "no join");
  proto::Request peers;
  peers.mutable_peers();
  const proto::Response r = Ask(peers);
  EXPECT_TRUE(r.has_peers());
  EXPECT_EQ(r.peers().peers_size(), 0);
}

// --- notes ---

TEST_F(HandlersTest, EachNoteCommandWritesItsKind) {
  InitAlice();
  WrittenId(Ask(AddNeed("I need quiet mornings")));
  proto::Request boundary;
  boundary.mutable_add_boundary()->set_text("no phones");
  boundary.mutable_add_boundary()->set_during_space(true);
  WrittenId(Ask(boundary));
  proto::Request thanks;
  thanks.mutable_appreciate()->set_text("thank you");
  WrittenId(Ask(thanks));
  proto::Request reflect;
  reflect.mutable_reflect()->set_text("I was tired");
  WrittenId(Ask(reflect));

  const state::State& s = node_->State();
  ASSERT_EQ(s.needs.size(), 1u);
  EXPECT_EQ(s.needs[0].text, "I need quiet mornings");
  EXPECT_EQ(s.needs[0].by.member, node_->me());
  ASSERT_EQ(s.boundaries.size(), 1u);
  EXPECT_EQ(s.boundaries[0].text, "no phones");
  EXPECT_TRUE(s.boundaries[0].during_space);
  ASSERT_EQ(s.appreciations.size(), 1u);
  EXPECT_EQ(s.appreciations[0].text, "thank you");
  ASSERT_EQ(s.reflections.size(), 1u);
  EXPECT_EQ(s.reflections[0].text, "I was tired");
}

TEST_F(HandlersTest, TheWrittenIdNamesTheNewEntry) {
  InitAlice();
  const std::string id = WrittenId(Ask(AddNeed("I need rest")));
  ASSERT_EQ(node_->State().needs.size(), 1u);
  EXPECT_EQ(id, ToHex(node_->State().needs[0].by.id));
}

TEST_F(HandlersTest, NeedsGetTheIStatementHintAndAppreciationsDoNot) {
  InitAlice();
  EXPECT_FALSE(Ask(AddNeed("You never listen")).written().hint().empty());
  EXPECT_TRUE(Ask(AddNeed("I need to be heard")).written().hint().empty());
  proto::Request thanks;
  thanks.mutable_appreciate()->set_text("You made dinner");
  EXPECT_TRUE(Ask(thanks).written().hint().empty());
}

TEST_F(HandlersTest, BadTextIsRefusedBeforeAnythingIsWritten) {
  InitAlice();
  const uint64_t entries = node_->EntryCount();
  ExpectError(Ask(AddNeed("")), ErrorCode::kInvalidArgument, "need text is empty");
  ExpectErrorCode(Ask(AddNeed("bell\x07")), ErrorCode::kInvalidArgument);
  ExpectError(Ask(AddNeed(std::string(4001, 'a'))), ErrorCode::kInvalidArgument,
              "need text is longer than 4000 bytes");
  ExpectErrorCode(Ask(Propose("walks", "someday at noon")), ErrorCode::kInvalidArgument);
  ExpectErrorCode(Ask(Propose("walks", "", "forever")), ErrorCode::kInvalidArgument);
  ExpectError(Ask(Propose("")), ErrorCode::kInvalidArgument, "the agreement text is empty");
  ExpectErrorCode(Ask(AskSpace("soon")), ErrorCode::kInvalidArgument);
  ExpectError(Ask(AskSpace("1h", std::string(2001, 'a'))), ErrorCode::kInvalidArgument,
              "the message is too long");
  proto::Request check_in;
  check_in.mutable_check_in()->set_feeling(6);
  ExpectError(Ask(check_in), ErrorCode::kInvalidArgument, "feeling must be a number from 1 to 5");
  EXPECT_EQ(node_->EntryCount(), entries);
}

// --- agreements ---

TEST_F(HandlersTest, ProposeWritesTheParsedScheduleAndCadence) {
  InitAlice();
  WrittenId(Ask(Propose("quiet evenings", "tue,thu 19:00-21:00", "2w")));
  const state::Agreement& a = OnlyAgreement();
  ASSERT_EQ(a.versions.size(), 1u);
  const state::Version& v = a.versions[0];
  EXPECT_EQ(v.text, "quiet evenings");
  ASSERT_TRUE(v.schedule.has_value());
  EXPECT_EQ(v.schedule->spec, "tue,thu 19:00-21:00");
  EXPECT_EQ(v.schedule->time_zone, "Europe/Berlin");
  EXPECT_EQ(v.schedule->weekdays, (1u << 1) | (1u << 3));
  EXPECT_EQ(v.schedule->start_minute, 19u * 60);
  EXPECT_EQ(v.schedule->end_minute, 21u * 60);
  EXPECT_EQ(v.review_every_ms, int64_t{14} * 86400 * 1000);
  EXPECT_EQ(v.by.member, node_->me());
}

TEST_F(HandlersTest, ACounterCarriesTheUnsaidTermsOver) {
  InitAlice();
  WrittenId(Ask(Propose("quiet evenings", "tue 19:00-21:00", "1w")));
  const log::EntryId root = OnlyAgreement().id;
  const state::Version first = OnlyAgreement().versions[0];
  WrittenId(Ask(Counter(root, "quieter evenings")));
  const state::Agreement& a = OnlyAgreement();
  ASSERT_EQ(a.versions.size(), 2u);
  EXPECT_EQ(a.versions[1].parent, root);
  EXPECT_EQ(a.versions[1].text, "quieter evenings");
  EXPECT_EQ(a.versions[1].schedule, first.schedule);
  EXPECT_EQ(a.versions[1].review_every_ms, first.review_every_ms);
}

TEST_F(HandlersTest, AcceptingOnesOwnProposalIsRefused) {
  InitAlice();
  AddBob();  // alone, her proposal would be active at once
  const log::EntryId id = *FromHexId(WrittenId(Ask(Propose("walks"))));
  const uint64_t entries = node_->EntryCount();
  ExpectError(
      Ask(Accept(id)), ErrorCode::kRefused,
      "you proposed version " + ToHex(id).substr(0, 8) + "; it already counts as accepted by you");
  EXPECT_EQ(node_->EntryCount(), entries);
}

TEST_F(HandlersTest, AcceptAndDeclineWriteAStanceOnThePartnersVersion) {
  InitAlice();
  AddBob();
  Result<log::EntryId> v1 =
      bob_->Write(state::Proposed{std::nullopt, std::nullopt, "walks", std::nullopt, 0});
  ASSERT_TRUE(v1.ok());
  ToAlice();
  WrittenId(Ask(Action(proto::AgreementActionRequest::DECLINE, ToHex(*v1), "not yet")));
  const state::Version& declined = OnlyAgreement().versions[0];
  ASSERT_EQ(declined.stances.size(), 2u);
  bool found = false;
  for (const state::Stance& st : declined.stances) {
    if (st.member != node_->me()) continue;
    found = true;
    EXPECT_EQ(st.kind, state::StanceKind::kDeclined);
    EXPECT_EQ(st.note, "not yet");
  }
  EXPECT_TRUE(found);
  ExpectError(Ask(Action(proto::AgreementActionRequest::DECLINE, ToHex(*v1))), ErrorCode::kRefused,
              "you already declined version " + ToHex(*v1).substr(0, 8));

  WrittenId(Ask(Accept(*v1)));
  EXPECT_EQ(OnlyAgreement().status, state::AgreementStatus::kActive);
  ExpectError(
      Ask(Accept(*v1)), ErrorCode::kRefused,
      "agreement " + ToHex(*v1).substr(0, 8) + " has no pending version; it is already active");
}

TEST_F(HandlersTest, ShowListsThePartnersDeclineWithItsNote) {
  InitAlice();
  AddBob();
  const log::EntryId id = *FromHexId(WrittenId(Ask(Propose("walks"))));
  ASSERT_TRUE(Sync(*node_, *bob_).ok());
  ASSERT_TRUE(bob_->Write(state::Declined{id, id, "not on weekdays"}).ok());
  ToAlice();
  proto::Request q;
  q.mutable_show()->set_agreement(ToHex(id).substr(0, 8));
  const proto::Response r = Ask(q);
  ASSERT_FALSE(r.has_error()) << r.error().message();
  const proto::VersionView& v = r.show().agreement().history(0);
  ASSERT_EQ(v.declines_size(), 1);
  EXPECT_EQ(v.declines(0).name(), "Bob");
  EXPECT_EQ(v.declines(0).member_id(), ToHex(bob_->me()));
  EXPECT_EQ(v.declines(0).note(), "not on weekdays");
}

TEST_F(HandlersTest, ProposeAndCounterReadTheScheduleInTheClientsZone) {
  InitAlice();
  proto::Request q = Propose("evenings", "tue 19:00-21:00");
  q.mutable_propose()->set_time_zone("America/New_York");
  const log::EntryId id = *FromHexId(WrittenId(Ask(q)));
  EXPECT_EQ(OnlyAgreement().versions[0].schedule->time_zone, "America/New_York");
  proto::Request c = Counter(id, "later evenings", "tue 20:00-22:00");
  c.mutable_counter()->set_time_zone("Asia/Tokyo");
  WrittenId(Ask(c));
  ASSERT_EQ(OnlyAgreement().versions.size(), 2u);
  EXPECT_EQ(OnlyAgreement().versions[1].schedule->time_zone, "Asia/Tokyo");
}

TEST_F(HandlersTest, AnUnknownClientZoneIsRefusedAndNothingIsWritten) {
  InitAlice();
  const log::EntryId id = *FromHexId(WrittenId(Ask(Propose("walks"))));
  const uint64_t entries = node_->EntryCount();
  const std::string refused =
      "unknown time zone 'Not/AZone' (your TZ or system setting): set TZ to an IANA name such "
      "as Europe/Berlin or America/New_York";
  proto::Request q = Propose("evenings", "tue 19:00-21:00");
  q.mutable_propose()->set_time_zone("Not/AZone");
  ExpectError(Ask(q), ErrorCode::kInvalidArgument, refused);
  proto::Request c = Counter(id, "evenings", "tue 19:00-21:00");
  c.mutable_counter()->set_time_zone("Not/AZone");
  ExpectError(Ask(c), ErrorCode::kInvalidArgument, refused);
  // A POSIX rule is not a zone name either, and a long name is cut in the message.
  q.mutable_propose()->set_time_zone("CET-1CEST,M3.5.0,M10.5.0/3");
  ExpectErrorCode(Ask(q), ErrorCode::kInvalidArgument);
  q.mutable_propose()->set_time_zone(std::string(500, 'a'));
  const proto::Response r = Ask(q);
  ExpectErrorCode(r, ErrorCode::kInvalidArgument);
  EXPECT_LT(r.error().message().size(), 200u);
  EXPECT_EQ(node_->EntryCount(), entries);
  // Without a schedule the zone is not read at all.
  proto::Request plain = Propose("mornings");
  plain.mutable_propose()->set_time_zone("Not/AZone");
  WrittenId(Ask(plain));
}

TEST_F(HandlersTest, TwoPendingVersionsMakeAnUnnamedAcceptAmbiguous) {
  InitAlice();
  AddBob();
  Result<log::EntryId> v1 =
      bob_->Write(state::Proposed{std::nullopt, std::nullopt, "walks", std::nullopt, 0});
  ASSERT_TRUE(v1.ok());
  ToAlice();
  WrittenId(Ask(Accept(*v1)));
  // Both counter the active version without seeing each other's counter.
  ASSERT_TRUE(bob_->Write(state::Proposed{*v1, *v1, "long walks", std::nullopt, 0}).ok());
  WrittenId(Ask(Counter(*v1, "short walks")));
  ToAlice();
  ASSERT_EQ(OnlyAgreement().pending.size(), 2u);
  const proto::Response r = Ask(Accept(*v1));
  ExpectErrorCode(r, ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message().find("has several pending versions; name one:"), std::string::npos);
}

TEST_F(HandlersTest, RetireWritesARetirementAndThenEveryActionIsRefused) {
  InitAlice();
  const log::EntryId id = *FromHexId(WrittenId(Ask(Propose("walks"))));
  WrittenId(Ask(Action(proto::AgreementActionRequest::RETIRE, ToHex(id), "we moved")));
  const state::Agreement& a = OnlyAgreement();
  EXPECT_EQ(a.status, state::AgreementStatus::kRetired);
  ASSERT_EQ(a.retirements.size(), 1u);
  EXPECT_EQ(a.retirements[0].note, "we moved");
  const uint64_t entries = node_->EntryCount();
  const std::string retired =
      "agreement " + ToHex(id).substr(0, 8) + " is retired; propose a new one instead";
  ExpectError(Ask(Accept(id)), ErrorCode::kRefused, retired);
  ExpectError(Ask(Action(proto::AgreementActionRequest::RETIRE, ToHex(id))), ErrorCode::kRefused,
              retired);
  ExpectError(Ask(Counter(id, "walks again")), ErrorCode::kRefused, retired);
  EXPECT_EQ(node_->EntryCount(), entries);
}

TEST_F(HandlersTest, AnUnknownAgreementIsNotFoundAndAShortPrefixInvalid) {
  InitAlice();
  ExpectErrorCode(Ask(Action(proto::AgreementActionRequest::ACCEPT, "abcdef")),
                  ErrorCode::kNotFound);
  ExpectErrorCode(Ask(Action(proto::AgreementActionRequest::ACCEPT, "ab")),
                  ErrorCode::kInvalidArgument);
}

TEST_F(HandlersTest, ACheckInAboutAnAgreementNamesIt) {
  InitAlice();
  const log::EntryId id = *FromHexId(WrittenId(Ask(Propose("walks"))));
  proto::Request q;
  q.mutable_check_in()->set_feeling(4);
  q.mutable_check_in()->set_note("going well");
  q.mutable_check_in()->set_agreement(ToHex(id).substr(0, 6));
  WrittenId(Ask(q));
  ASSERT_EQ(node_->State().check_ins.size(), 1u);
  const state::CheckIn& c = node_->State().check_ins[0];
  EXPECT_EQ(c.feeling, 4u);
  EXPECT_EQ(c.note, "going well");
  EXPECT_EQ(c.agreement, id);
}

// --- space ---

TEST_F(HandlersTest, AskThenBackWritesARequestAndEndsIt) {
  InitAlice();
  ExpectError(Ask(Back()), ErrorCode::kRefused, "you are not in a space time now");
  const std::string id = WrittenId(Ask(AskSpace("1h30m", "a long walk")));
  ASSERT_EQ(node_->State().space_requests.size(), 1u);
  const state::SpaceRequest& r = node_->State().space_requests[0];
  EXPECT_EQ(ToHex(r.by.id), id);
  EXPECT_EQ(r.duration_ms, 90 * 60 * 1000);
  EXPECT_EQ(r.message, "a long walk");
  WrittenId(Ask(Back()));
  EXPECT_TRUE(node_->State().space_requests[0].ended_by.has_value());
}

TEST_F(HandlersTest, AcknowledgingOnesOwnRequestOrTwiceIsRefused) {
  InitAlice();
  AddBob();
  const log::EntryId own = *FromHexId(WrittenId(Ask(AskSpace("1h"))));
  ExpectError(Ask(AckSpace(own)), ErrorCode::kRefused, "that is your own space request");
  Result<log::EntryId> bobs = bob_->Write(state::SpaceAsked{3'600'000, "a nap"});
  ASSERT_TRUE(bobs.ok());
  ToAlice();
  WrittenId(Ask(AckSpace(*bobs)));
  const state::SpaceRequest* r = nullptr;
  for (const state::SpaceRequest& q : node_->State().space_requests)
    if (q.by.id == *bobs) r = &q;
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->acks.size(), 1u);
  EXPECT_EQ(r->acks[0].by.member, node_->me());
  ExpectError(Ask(AckSpace(*bobs)), ErrorCode::kRefused, "you already acknowledged that request");
}

TEST_F(HandlersTest, SpaceListsThePartnersAcknowledgementWithItsNote) {
  InitAlice();
  AddBob();
  const log::EntryId mine = *FromHexId(WrittenId(Ask(AskSpace("1h", "a nap"))));
  ASSERT_TRUE(Sync(*node_, *bob_).ok());
  ASSERT_TRUE(bob_->Write(state::SpaceAcked{mine, "sleep well"}).ok());
  ToAlice();
  proto::Request q;
  q.mutable_space();
  const proto::Response r = Ask(q);
  ASSERT_FALSE(r.has_error()) << r.error().message();
  ASSERT_EQ(r.space().in_space_size(), 1);
  const proto::SpaceView& v = r.space().in_space(0);
  ASSERT_EQ(v.acks_size(), 1);
  EXPECT_EQ(v.acks(0).name(), "Bob");
  EXPECT_EQ(v.acks(0).note(), "sleep well");
}

}  // namespace
}  // namespace accord::daemon
