#include "daemon/net/invitations.h"

#include <gtest/gtest.h>

#include <vector>

#include "daemon/net/join.h"
#include "tests/daemon/net/net_fixture.h"

namespace accord::daemon {
namespace {

using std::chrono::seconds;

// The invitation's state machine as far as it goes without a joiner: opening, replacing,
// expiring, consent with nobody waiting. Serving a joiner is the integration tests' part.
class InvitationsTest : public NetFixture {
 protected:
  InvitationsTest()
      : node_(InitNode("a", "Alice")),
        book_(*node_),
        discovery_(io_, *node_, /*enabled=*/false),
        invitations_(io_, *node_, book_, discovery_) {}

  Invitations::InviteNotify Recorder() {
    return [this](const proto::InviteUpdate& update) { updates_.push_back(update); };
  }

  std::unique_ptr<Node> node_;
  AddressBook book_;
  Discovery discovery_;
  Invitations invitations_;
  std::vector<proto::InviteUpdate> updates_;
};

TEST_F(InvitationsTest, AnInvitationIsRefusedWhileTheDaemonDoesNotListen) {
  Result<proto::InviteUpdate> opened = invitations_.Open(false, seconds(60), false, Recorder());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.code(), ErrorCode::kRefused);
  EXPECT_NE(opened.error().message.find("--listen"), std::string::npos);
}

TEST_F(InvitationsTest, AnOpenInvitationHasACodeThatLastsTheTimeout) {
  invitations_.SetListening(true);
  Result<proto::InviteUpdate> opened = invitations_.Open(false, seconds(120), false, Recorder());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->state(), proto::INVITE_STATE_OPEN);
  EXPECT_FALSE(opened->code().empty());
  EXPECT_EQ(opened->expires_ms(), node_->NowMs() + 120'000);
  EXPECT_NE(opened->message().find("2 minutes"), std::string::npos) << opened->message();
  EXPECT_TRUE(updates_.empty());
}

TEST_F(InvitationsTest, NoTimeoutMeansTheDefaultTenMinutes) {
  invitations_.SetListening(true);
  Result<proto::InviteUpdate> opened = invitations_.Open(true, seconds(0), false, nullptr);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->expires_ms(), node_->NowMs() + 600'000);
}

TEST_F(InvitationsTest, ANewInvitationEndsTheOpenOne) {
  invitations_.SetListening(true);
  Result<proto::InviteUpdate> first = invitations_.Open(false, seconds(60), false, Recorder());
  ASSERT_TRUE(first.ok());
  Result<proto::InviteUpdate> second = invitations_.Open(false, seconds(60), false, nullptr);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(updates_.size(), 1u);
  EXPECT_EQ(updates_[0].state(), proto::INVITE_STATE_EXPIRED);
  EXPECT_EQ(updates_[0].code(), first->code());
  EXPECT_NE(second->code(), first->code());
}

TEST_F(InvitationsTest, AnUnusedCodeExpires) {
  invitations_.SetListening(true);
  ASSERT_TRUE(invitations_.Open(false, seconds(1), false, Recorder()).ok());
  io_.run_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(updates_.size(), 1u);
  EXPECT_EQ(updates_[0].state(), proto::INVITE_STATE_EXPIRED);
}

TEST_F(InvitationsTest, ADetachedClientHearsNothingMore) {
  invitations_.SetListening(true);
  ASSERT_TRUE(invitations_.Open(false, seconds(1), false, Recorder()).ok());
  invitations_.Detach();
  io_.run_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(updates_.empty());
}

TEST_F(InvitationsTest, ConsentWithNobodyWaitingIsNotFound) {
  EXPECT_EQ(invitations_.Consent(true).code(), ErrorCode::kNotFound);
  invitations_.SetListening(true);
  ASSERT_TRUE(invitations_.Open(false, seconds(60), false, Recorder()).ok());
  EXPECT_EQ(invitations_.Consent(true).code(), ErrorCode::kNotFound);  // no joiner yet
}

TEST_F(InvitationsTest, APactOfTwoSaysWhatAThirdPersonWillRead) {
  StrangerKeys bob;
  ASSERT_TRUE(node_->AddMember(bob.signing.public_key(), bob.dh.public_key(), "Bob").ok());
  invitations_.SetListening(true);
  Result<proto::InviteUpdate> without = invitations_.Open(false, seconds(60), false, nullptr);
  ASSERT_TRUE(without.ok()) << without.error().message;
  EXPECT_NE(without->message().find("not the pact's earlier entries"), std::string::npos)
      << without->message();
  Result<proto::InviteUpdate> with = invitations_.Open(false, seconds(60), true, nullptr);
  ASSERT_TRUE(with.ok());
  EXPECT_NE(with->message().find("everything the pact has written"), std::string::npos)
      << with->message();
}

// Joins refuse before dialing anything.
class JoinsTest : public NetFixture {
 protected:
  JoinsTest()
      : node_(InitNode("b", "Bob")),
        book_(*node_),
        discovery_(io_, *node_, /*enabled=*/false),
        joins_(io_, *node_, book_, discovery_) {}

  Result<proto::JoinResponse> JoinNow(const std::string& code, const std::string& address) {
    std::optional<Result<proto::JoinResponse>> out;
    joins_.Join(code, address, [&](Result<proto::JoinResponse> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value()) << "answered at once";
    return out ? std::move(*out) : MakeError(ErrorCode::kInternal, "no answer");
  }

  std::unique_ptr<Node> node_;
  AddressBook book_;
  Discovery discovery_;
  Joins joins_;
};

TEST_F(JoinsTest, WithoutAnAddressAndWithDiscoveryOffTheJoinerIsToldToGiveOne) {
  Result<proto::JoinResponse> r = JoinNow(pairing::GenerateCode().text, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("--peer"), std::string::npos) << r.error().message;
}

TEST_F(JoinsTest, AMalformedCodeIsRefusedAtOnce) {
  EXPECT_FALSE(JoinNow("not a code", "127.0.0.1:7001").ok());
}

TEST_F(JoinsTest, AMalformedAddressIsRefusedAtOnce) {
  EXPECT_EQ(JoinNow(pairing::GenerateCode().text, "nowhere").code(), ErrorCode::kInvalidArgument);
}

// A solo log with entries of its own is carried into the pact (docs/pairing.md "Pairing two
// prepared logs"); one that already let someone in cannot be, and is refused before dialing.
TEST_F(JoinsTest, ADeviceThatAlreadyLetSomeoneInIsRefused) {
  ASSERT_TRUE(node_->Write(Need(1)).ok());
  StrangerKeys carol;
  ASSERT_TRUE(node_->AddMember(carol.signing.public_key(), carol.dh.public_key(), "Carol").ok());
  Result<proto::JoinResponse> joined = JoinNow(pairing::GenerateCode().text, "127.0.0.1:7001");
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.code(), ErrorCode::kRefused);
  EXPECT_NE(joined.error().message.find("accord invite"), std::string::npos);
}

TEST_F(JoinsTest, ADeviceWithEntriesOfItsOwnGoesOnToDial) {
  ASSERT_TRUE(node_->Write(Need(1)).ok());
  ASSERT_TRUE(node_->Write(state::Reflected{"alone"}).ok());
  std::optional<Result<proto::JoinResponse>> out;
  joins_.Join(pairing::GenerateCode().text, "127.0.0.1:7001",
              [&](Result<proto::JoinResponse> r) { out = std::move(r); });
  EXPECT_FALSE(out.has_value()) << (out && !out->ok() ? out->error().message : "");
}

}  // namespace
}  // namespace accord::daemon
