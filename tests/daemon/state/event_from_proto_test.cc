#include "daemon/state/event_from_proto.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/epoch_seal.h"
#include "daemon/log/author.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using testing::AsString;
using testing::KeyFor;

const log::DeviceKey kAlice = KeyFor("alice");
const log::EntryId kSomeId = KeyFor("some entry");

Result<Event> Decode(const proto::Body& body, log::DeviceKey author = kAlice) {
  log::EntryHeader header;
  header.author = author;
  header.seq = 3;
  header.lamport = 7;
  header.time_ms = 1'700'000'000'000;
  header.scope = log::ScopeOf(body);
  return EventFromBody(header, kSomeId, body);
}

void ExpectBadBody(const proto::Body& body) {
  auto event = Decode(body);
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.code(), ErrorCode::kBadBody) << event.error().message;
}

TEST(EventFromBody, CopiesTheHeaderFieldsAndTheContent) {
  auto event = Decode(testing::CheckInBody(4, kSomeId, "fine"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->id, kSomeId);
  EXPECT_EQ(event->author, kAlice);
  EXPECT_EQ(event->seq, 3u);
  EXPECT_EQ(event->lamport, 7u);
  EXPECT_EQ(event->time_ms, 1'700'000'000'000);
  const auto& c = std::get<CheckedIn>(event->kind);
  EXPECT_EQ(c.feeling, 4u);
  EXPECT_EQ(c.note, "fine");
  EXPECT_EQ(c.agreement, kSomeId);
}

TEST(EventFromBody, ConvertsDurationsFromSecondsToMilliseconds) {
  auto ask = Decode(testing::SpaceRequestBody(90 * 60));
  ASSERT_TRUE(ask.ok());
  EXPECT_EQ(std::get<SpaceAsked>(ask->kind).duration_ms, 90 * 60 * 1000);
  auto proposal = Decode(testing::ProposalBody("walks", 14 * 86400));
  ASSERT_TRUE(proposal.ok());
  EXPECT_EQ(std::get<Proposed>(proposal->kind).review_every_ms, int64_t{14} * 86400 * 1000);
}

TEST(EventFromBody, AcceptsAScheduleInRange) {
  auto event = Decode(testing::ScheduledProposalBody("tuesday evenings"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& schedule = std::get<Proposed>(event->kind).schedule;
  ASSERT_TRUE(schedule.has_value());
  EXPECT_EQ(schedule->time_zone, "Europe/Berlin");
  EXPECT_EQ(schedule->start_minute, 19u * 60);
}

TEST(EventFromBody, RejectsABodyWithoutKind) { ExpectBadBody(proto::Body()); }

TEST(EventFromBody, RejectsAKindInTheWrongScope) {
  log::EntryHeader header;
  header.author = kAlice;
  header.seq = 1;
  header.scope = log::Scope::kShared;
  auto event = EventFromBody(header, kSomeId, testing::ReflectionBody("private"));
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.code(), ErrorCode::kBadBody);
  header.scope = log::Scope::kPrivate;
  EXPECT_EQ(EventFromBody(header, kSomeId, testing::NeedBody("quiet")).code(), ErrorCode::kBadBody);
}

TEST(EventFromBody, RejectsIdsThatAreNot32Bytes) {
  proto::Body short_version = testing::AcceptBody(kSomeId, kSomeId);
  short_version.mutable_acceptance()->set_version(std::string(31, 'x'));
  ExpectBadBody(short_version);
  proto::Body empty_version = testing::AcceptBody(kSomeId, kSomeId);
  empty_version.mutable_acceptance()->clear_version();
  ExpectBadBody(empty_version);
  proto::Body long_request = testing::SpaceAckBody(kSomeId);
  long_request.mutable_space_ack()->set_request_id(std::string(33, 'x'));
  ExpectBadBody(long_request);
  proto::Body short_agreement = testing::CheckInBody(3, kSomeId);
  short_agreement.mutable_check_in()->set_agreement_id("abc");
  ExpectBadBody(short_agreement);
  proto::Body short_x25519 = testing::DeviceAddedBody(KeyFor("phone"));
  short_x25519.mutable_device_added()->set_device_x25519(std::string(16, 'x'));
  ExpectBadBody(short_x25519);
}

TEST(EventFromBody, AllowsEmptyIdsOnlyWhereOptional) {
  EXPECT_TRUE(Decode(testing::CheckInBody(3)).ok());
  EXPECT_TRUE(Decode(testing::ProposalBody("new")).ok());
  proto::Body no_parent = testing::CounterBody(kSomeId, kSomeId, "counter");
  no_parent.mutable_proposal()->clear_parent_version();
  ExpectBadBody(no_parent);
  proto::Body no_agreement = testing::CounterBody(kSomeId, kSomeId, "counter");
  no_agreement.mutable_proposal()->clear_agreement_id();
  ExpectBadBody(no_agreement);
  proto::Body no_retired = testing::RetireBody(kSomeId);
  no_retired.mutable_retire()->clear_agreement_id();
  ExpectBadBody(no_retired);
}

TEST(EventFromBody, RejectsFeelingsOutsideOneToFive) {
  ExpectBadBody(testing::CheckInBody(0));
  ExpectBadBody(testing::CheckInBody(6));
  EXPECT_TRUE(Decode(testing::CheckInBody(1)).ok());
  EXPECT_TRUE(Decode(testing::CheckInBody(5)).ok());
}

TEST(EventFromBody, RejectsDurationsThatAreNotPositiveOrPastAYear) {
  ExpectBadBody(testing::SpaceRequestBody(0));
  ExpectBadBody(testing::SpaceRequestBody(-60));
  ExpectBadBody(testing::SpaceRequestBody(367LL * 86400));
  EXPECT_TRUE(Decode(testing::SpaceRequestBody(366LL * 86400)).ok());
  ExpectBadBody(testing::ProposalBody("walks", -1));
  ExpectBadBody(testing::ProposalBody("walks", 367LL * 86400));
}

TEST(EventFromBody, RejectsScheduleFieldsOutOfRange) {
  auto with = [](auto change) {
    proto::Body b = testing::ScheduledProposalBody("evenings");
    change(*b.mutable_proposal()->mutable_schedule());
    return b;
  };
  ExpectBadBody(with([](proto::Schedule& s) { s.set_weekdays(0); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_weekdays(0x80); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_start_minute(1440); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_end_minute(1441); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_every_weeks(0); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_every_weeks(53); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_time_zone(""); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_time_zone("Europe/Berlin; rm"); }));
  ExpectBadBody(with([](proto::Schedule& s) { s.set_spec(""); }));
  EXPECT_TRUE(Decode(with([](proto::Schedule& s) {
                s.set_weekdays(0x7f);
                s.set_end_minute(1440);
                s.set_every_weeks(52);
              })).ok());
}

TEST(EventFromBody, RejectsTextPastItsCapAndEmptyRequiredText) {
  ExpectBadBody(testing::NeedBody(std::string(kMaxTextBytes + 1, 'a')));
  EXPECT_TRUE(Decode(testing::NeedBody(std::string(kMaxTextBytes, 'a'))).ok());
  ExpectBadBody(testing::NeedBody(""));
  ExpectBadBody(testing::ProposalBody(""));
  ExpectBadBody(testing::DeclineBody(kSomeId, kSomeId, std::string(kMaxTextBytes + 1, 'n')));
  ExpectBadBody(testing::SpaceRequestBody(60, std::string(kMaxTextBytes + 1, 'm')));
  ExpectBadBody(testing::MemberCreatedBody(kAlice, std::string(kMaxNameBytes + 1, 'A')));
  ExpectBadBody(testing::MemberCreatedBody(kAlice, ""));
}

TEST(EventFromBody, RejectsAMemberCreatedForAnotherDevice) {
  ExpectBadBody(testing::MemberCreatedBody(KeyFor("mallory"), "Mallory"));
  EXPECT_TRUE(Decode(testing::MemberCreatedBody(kAlice, "Alice")).ok());
}

TEST(EventFromBody, RejectsAMemberAddedWhoseIdIsNotItsFirstDevice) {
  proto::Body b = testing::MemberAddedBody(KeyFor("bob"), "Bob");
  b.mutable_member_added()->set_member_id(AsString(KeyFor("someone else")));
  ExpectBadBody(b);
}

TEST(EventFromBody, RejectsAnEpochStartWithoutRecipientsOrWithBadKeys) {
  proto::Body b;
  b.mutable_epoch_start()->set_epoch(2);
  ExpectBadBody(b);
  auto* r = b.mutable_epoch_start()->add_recipients();
  r->set_device_key(AsString(kAlice));
  r->set_sealed_key(std::string(104, 's'));
  EXPECT_TRUE(Decode(b).ok());
  r->set_sealed_key("");
  ExpectBadBody(b);
  r->set_sealed_key(std::string(104, 's'));
  r->set_device_key("short");
  ExpectBadBody(b);
  b.mutable_epoch_start()->set_epoch(0);
  r->set_device_key(AsString(kAlice));
  ExpectBadBody(b);
}

// An entry carried from a solo log (docs/pairing.md "Pairing two prepared logs").
TEST(EventFromBody, AnOriginalTimeIsTheEventsTime) {
  proto::Body body = testing::NeedBody("written alone");
  body.set_original_time_ms(1'600'000'000'000);
  auto event = Decode(body);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->time_ms, 1'600'000'000'000);
  EXPECT_EQ(event->original_time_ms, 1'600'000'000'000);
  EXPECT_EQ(event->lamport, 7u);  // LWW order stays the header's

  auto plain = Decode(testing::NeedBody("written now"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->time_ms, 1'700'000'000'000);
  EXPECT_FALSE(plain->original_time_ms.has_value());
}

TEST(EventFromBody, AnOriginalTimeMayEqualTheHeadersTimeAndBeZero) {
  for (int64_t t : {int64_t{0}, int64_t{1'700'000'000'000}}) {
    proto::Body body = testing::ReflectionBody("private");
    body.set_original_time_ms(t);
    auto event = Decode(body);
    ASSERT_TRUE(event.ok()) << t << ": " << event.error().message;
    EXPECT_EQ(event->time_ms, t);
  }
}

TEST(EventFromBody, AnOriginalTimeAfterTheHeadersTimeIsRefused) {
  proto::Body body = testing::NeedBody("from the future");
  body.set_original_time_ms(1'700'000'000'001);
  ExpectBadBody(body);
}

TEST(EventFromBody, ANegativeOriginalTimeIsRefused) {
  proto::Body body = testing::AppreciationBody("thanks");
  body.set_original_time_ms(-1);
  ExpectBadBody(body);
}

TEST(EventFromBody, AControlEntryWithAnOriginalTimeIsRefused) {
  proto::Body body = testing::MemberCreatedBody(kAlice, "Alice");
  body.set_original_time_ms(1'600'000'000'000);
  ExpectBadBody(body);
}

TEST(EventFromBody, AnEpochStartsSealedKeysAreExactlyOneSealedBoxLong) {
  proto::Body b;
  b.mutable_epoch_start()->set_epoch(2);
  auto* r = b.mutable_epoch_start()->add_recipients();
  r->set_device_key(AsString(kAlice));
  for (size_t n : {crypto::kSealedEpochKeyBytes - 1, crypto::kSealedEpochKeyBytes + 1, size_t{48},
                   size_t{255}}) {
    r->set_sealed_key(std::string(n, 's'));
    ExpectBadBody(b);
  }
  r->set_sealed_key(std::string(crypto::kSealedEpochKeyBytes, 's'));
  EXPECT_TRUE(Decode(b).ok());
}

TEST(EventFromBody, AnEpochStartHasAtMostTheRecipientCap) {
  proto::Body b;
  b.mutable_epoch_start()->set_epoch(2);
  for (size_t i = 0; i < kMaxRecipients; ++i) {
    auto* r = b.mutable_epoch_start()->add_recipients();
    r->set_device_key(AsString(KeyFor("device " + std::to_string(i))));
    r->set_sealed_key(std::string(crypto::kSealedEpochKeyBytes, 's'));
  }
  EXPECT_TRUE(Decode(b).ok());
  auto* r = b.mutable_epoch_start()->add_recipients();
  r->set_device_key(AsString(KeyFor("one too many")));
  r->set_sealed_key(std::string(crypto::kSealedEpochKeyBytes, 's'));
  ExpectBadBody(b);
}

}  // namespace
}  // namespace accord::state
