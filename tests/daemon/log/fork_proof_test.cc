#include "daemon/log/fork_proof.h"

#include <gtest/gtest.h>

#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::NeedBody;
using testing::TestFeed;

// Device 0 wrote `first` at seq 1, then (rewound) `second` at seq 1 too: a fork.
class ForkProofTest : public ::testing::Test {
 protected:
  ForkProofTest() {
    first_ = feed_.Write(0, NeedBody("first"));
    feed_.Rewind(0, FeedHead{});
    second_ = feed_.Write(0, NeedBody("second"));
  }
  Result<ForkClaim> Check(const Envelope& a, const Envelope& b) {
    return CheckForkProof(a, b, feed_.pact());
  }
  ForkClaim Claim() {
    Result<ForkClaim> claim = Check(first_.envelope, second_.envelope);
    EXPECT_TRUE(claim.ok()) << claim.error().message;
    return claim.ok() ? *claim : ForkClaim{};
  }

  TestFeed feed_;
  AuthoredEntry first_;
  AuthoredEntry second_;
};

TEST_F(ForkProofTest, TwoSignedEntriesOfOneAuthorAtOneSeqAreAClaim) {
  ForkClaim claim = Claim();
  EXPECT_EQ(claim.author, feed_.device(0));
  EXPECT_EQ(claim.seq, 1u);
  EXPECT_EQ(claim.first_id, first_.id);
  EXPECT_EQ(claim.second_id, second_.id);
}

TEST_F(ForkProofTest, TheSameEntryTwiceIsNotAProof) {
  EXPECT_EQ(Check(first_.envelope, first_.envelope).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, EntriesAtDifferentSeqsAreNotAProof) {
  const AuthoredEntry next = feed_.Write(0, NeedBody("next"));
  EXPECT_EQ(Check(first_.envelope, next.envelope).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, EntriesOfDifferentAuthorsAreNotAProof) {
  const AuthoredEntry other = feed_.Write(1, NeedBody("other"));
  EXPECT_EQ(Check(first_.envelope, other.envelope).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, AProofFromAnotherPactIsRefused) {
  TestFeed elsewhere;
  EXPECT_EQ(CheckForkProof(first_.envelope, second_.envelope, elsewhere.pact()).code(),
            ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, AMalformedHeaderIsRefused) {
  Envelope broken = second_.envelope;
  broken.header.resize(broken.header.size() - 1);
  EXPECT_EQ(Check(first_.envelope, broken).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, AShortSignatureIsRefused) {
  Envelope broken = second_.envelope;
  broken.signature.pop_back();
  EXPECT_EQ(Check(first_.envelope, broken).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ForkProofTest, ASignatureThatDoesNotVerifyIsRefused) {
  Envelope forged = second_.envelope;
  forged.signature[0] ^= 0x01;
  EXPECT_EQ(Check(first_.envelope, forged).code(), ErrorCode::kBadSignature);
  EXPECT_EQ(Check(forged, first_.envelope).code(), ErrorCode::kBadSignature);
}

TEST_F(ForkProofTest, TheSideHeldBecomesTheExistingOne) {
  const ForkClaim claim = Claim();
  std::optional<ForkProof> holding_first =
      ForkProofToRecord(claim, first_.envelope, second_.envelope, first_.id, false);
  ASSERT_TRUE(holding_first.has_value());
  EXPECT_EQ(holding_first->author, feed_.device(0));
  EXPECT_EQ(holding_first->seq, 1u);
  EXPECT_EQ(holding_first->existing_id, first_.id);
  EXPECT_EQ(holding_first->conflicting_id, second_.id);
  EXPECT_EQ(holding_first->conflicting, second_.envelope);

  std::optional<ForkProof> holding_second =
      ForkProofToRecord(claim, first_.envelope, second_.envelope, second_.id, false);
  ASSERT_TRUE(holding_second.has_value());
  EXPECT_EQ(holding_second->existing_id, second_.id);
  EXPECT_EQ(holding_second->conflicting_id, first_.id);
  EXPECT_EQ(holding_second->conflicting, first_.envelope);
}

TEST_F(ForkProofTest, NothingIsRecordedWhenNeitherSideIsHeld) {
  const ForkClaim claim = Claim();
  EXPECT_FALSE(ForkProofToRecord(claim, first_.envelope, second_.envelope, std::nullopt, false));
  const AuthoredEntry unrelated = feed_.Write(1, NeedBody("unrelated"));
  EXPECT_FALSE(ForkProofToRecord(claim, first_.envelope, second_.envelope, unrelated.id, false));
}

TEST_F(ForkProofTest, NothingIsRecordedForAFeedFrozenAlready) {
  const ForkClaim claim = Claim();
  EXPECT_FALSE(ForkProofToRecord(claim, first_.envelope, second_.envelope, first_.id, true));
}

}  // namespace
}  // namespace accord::log
