#include "daemon/notify/happening.h"

#include <gtest/gtest.h>

namespace accord::notify {
namespace {

log::DeviceKey Key(uint8_t b) {
  log::DeviceKey k{};
  k.fill(b);
  return k;
}
log::EntryId Id(uint8_t b) {
  log::EntryId id{};
  id.fill(b);
  return id;
}

constexpr int64_t kNow = 1'800'000'000'000;  // unix ms

class HappeningTest : public ::testing::Test {
 protected:
  HappeningTest() {
    state::Member alice;
    alice.id = Key(1);
    alice.name = "Alice";
    alice.devices = {state::Device{.key = Key(1)}, state::Device{.key = Key(3)}};
    state::Member bob;
    bob.id = Key(2);
    bob.name = "Bob";
    bob.devices = {state::Device{.key = Key(2)}, state::Device{.key = Key(4)}};
    members_ = {alice, bob};
  }

  state::Event From(uint8_t device, state::EventKind kind) {
    state::Event e;
    e.id = Id(9);
    e.author = Key(device);
    e.time_ms = kNow;
    e.kind = std::move(kind);
    return e;
  }

  std::vector<state::Member> members_;
  const state::MemberId me_ = Key(2);  // Bob
};

TEST_F(HappeningTest, APartnersSpaceRequestNotifiesWithItsMessage) {
  std::optional<Happening> h =
      HappeningOf(From(1, state::SpaceAsked{5400000, "going for a walk"}), members_, me_);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->topic, Topic::kSpaceAsked);
  EXPECT_EQ(h->who, Key(1));
  EXPECT_EQ(h->name, "Alice");
  EXPECT_EQ(h->text, "going for a walk");
  EXPECT_EQ(h->authored_ms, kNow);
}

TEST_F(HappeningTest, APartnersOtherDeviceCountsAsThePartner) {
  std::optional<Happening> h = HappeningOf(From(3, state::Proposed{.text = "t"}), members_, me_);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->who, Key(1));
  EXPECT_EQ(h->topic, Topic::kProposed);
  EXPECT_EQ(h->about, Id(9));
}

TEST_F(HappeningTest, OwnWritesAndOwnOtherDevicesNeverNotify) {
  EXPECT_FALSE(HappeningOf(From(2, state::SpaceAsked{1000, "m"}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(4, state::SpaceAsked{1000, "m"}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(4, state::Retired{Id(5), "n"}), members_, me_));
}

TEST_F(HappeningTest, AnUnknownDeviceOrALeftMemberNeverNotifies) {
  EXPECT_FALSE(HappeningOf(From(7, state::SpaceAsked{1000, "m"}), members_, me_));
  members_[0].left = true;
  EXPECT_FALSE(HappeningOf(From(1, state::SpaceAsked{1000, "m"}), members_, me_));
}

TEST_F(HappeningTest, CountersAcceptancesAndRetirementsNotify) {
  std::optional<Happening> counter =
      HappeningOf(From(1, state::Proposed{.agreement = Id(5), .parent = Id(6), .text = "wider"}),
                  members_, me_);
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->topic, Topic::kCountered);
  EXPECT_EQ(counter->about, Id(5));
  std::optional<Happening> accept =
      HappeningOf(From(1, state::Accepted{Id(5), Id(6)}), members_, me_);
  ASSERT_TRUE(accept);
  EXPECT_EQ(accept->topic, Topic::kAccepted);
  EXPECT_EQ(accept->about, Id(6));
  EXPECT_TRUE(accept->text.empty());
  std::optional<Happening> retire =
      HappeningOf(From(1, state::Retired{Id(5), "done"}), members_, me_);
  ASSERT_TRUE(retire);
  EXPECT_EQ(retire->topic, Topic::kRetired);
  EXPECT_EQ(retire->text, "done");
}

TEST_F(HappeningTest, OtherKindsDoNotNotify) {
  EXPECT_FALSE(HappeningOf(From(1, state::NeedAdded{"n"}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(1, state::Declined{Id(5), Id(6), ""}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(1, state::SpaceAcked{Id(5), ""}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(1, state::CheckedIn{.feeling = 3}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(1, state::Appreciated{"thanks"}), members_, me_));
  EXPECT_FALSE(HappeningOf(From(1, state::MemberLeft{Key(1)}), members_, me_));
}

TEST_F(HappeningTest, OnlyRecentEntriesAreLive) {
  EXPECT_TRUE(IsLive(kNow, kNow));
  EXPECT_TRUE(IsLive(kNow - kLiveWindowMs, kNow));
  EXPECT_FALSE(IsLive(kNow - kLiveWindowMs - 1, kNow));
  EXPECT_FALSE(IsLive(kNow - 3 * 24 * 3600 * 1000LL, kNow));  // a backlog from days ago
  EXPECT_TRUE(IsLive(kNow + 60000, kNow));                    // a partner's clock ahead
}

TEST_F(HappeningTest, AgreementTextComesFromTheState) {
  state::State s;
  state::Agreement a;
  a.id = Id(5);
  state::Version v1;
  v1.by.id = Id(5);
  v1.text = "Tuesday evenings are mine";
  state::Version v2;
  v2.by.id = Id(6);
  v2.text = "Tuesday and Thursday evenings";
  a.versions = {v1, v2};
  a.latest_active = Id(5);
  s.agreements = {a};

  Happening accepted{.topic = Topic::kAccepted, .about = Id(6)};
  AddAgreementText(accepted, s);
  EXPECT_EQ(accepted.text, "Tuesday and Thursday evenings");

  Happening retired{.topic = Topic::kRetired, .text = "it did not work", .about = Id(5)};
  AddAgreementText(retired, s);
  EXPECT_EQ(retired.text, "Tuesday evenings are mine\nit did not work");

  Happening due = ReviewDue(state::DueItem{.agreement = Id(5), .version = Id(5), .due_ms = kNow});
  EXPECT_EQ(due.topic, Topic::kReviewDue);
  EXPECT_EQ(due.authored_ms, kNow);
  AddAgreementText(due, s);
  EXPECT_EQ(due.text, "Tuesday evenings are mine");

  Happening unknown{.topic = Topic::kAccepted, .about = Id(8)};
  AddAgreementText(unknown, s);
  EXPECT_TRUE(unknown.text.empty());
}

}  // namespace
}  // namespace accord::notify
