// Signature checks ahead of validation (daemon/log/signatures.h): the verdicts equal
// checking each entry alone, whatever the thread count, and a bad signature anywhere in a
// batch large enough to be split still rejects the whole batch at the right index.
#include "daemon/log/signatures.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/log/ingest.h"
#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::FakeLog;
using testing::NeedBody;
using testing::TestFeed;

constexpr size_t kBatch = 301;  // entries: above kMinParallelSignatures, not a multiple of 2..4

class SignaturesTest : public ::testing::Test {
 protected:
  SignaturesTest() {
    log_.Know(feed_.device(0));
    log_.Know(feed_.device(1));
    for (size_t i = 0; i < kBatch; ++i) {
      batch_.push_back(
          feed_.Write(static_cast<int>(i % 2), NeedBody("n" + std::to_string(i))).envelope);
    }
  }
  TestFeed feed_;
  FakeLog log_;
  std::vector<Envelope> batch_;
};

TEST_F(SignaturesTest, VerdictsMatchCheckingEachEntryAloneForEveryThreadCount) {
  batch_[0].signature[0] ^= 0x01;
  batch_[150].header[40] ^= 0x80;  // the author's signature no longer covers it
  batch_[kBatch - 1].signature[63] ^= 0x01;
  batch_[77].signature.pop_back();  // malformed: left for validation to report
  batch_[200].header.resize(10);    // malformed header
  for (unsigned threads : {0u, 1u, 2u, 3u, 4u, 64u}) {
    const std::vector<SignatureVerdict> v = VerifySignatures(batch_, threads);
    ASSERT_EQ(v.size(), kBatch);
    for (size_t i = 0; i < kBatch; ++i) {
      SignatureVerdict want = SignatureVerdict::kValid;
      if (i == 0 || i == 150 || i == kBatch - 1) want = SignatureVerdict::kInvalid;
      if (i == 77 || i == 200) want = SignatureVerdict::kUnchecked;
      EXPECT_EQ(v[i], want) << "entry " << i << " with " << threads << " threads";
    }
  }
}

TEST_F(SignaturesTest, HeadersDecodedAheadGiveTheSameVerdicts) {
  batch_[0].signature[0] ^= 0x01;
  batch_[150].header[40] ^= 0x80;  // still decodes; the signature no longer covers it
  batch_[77].signature.pop_back();
  std::vector<EntryHeader> headers;
  for (const Envelope& e : batch_) headers.push_back(*DecodeHeader(e.header));
  for (unsigned threads : {1u, 3u}) {
    EXPECT_EQ(VerifySignatures(batch_, headers, threads), VerifySignatures(batch_, threads))
        << threads << " threads";
  }
}

TEST_F(SignaturesTest, AnEmptyOrSmallBatchIsCheckedOnTheCallersThread) {
  EXPECT_TRUE(VerifySignatures({}, 4).empty());
  const std::vector<SignatureVerdict> v = VerifySignatures(std::span(batch_).first(3), 4);
  EXPECT_EQ(v, std::vector<SignatureVerdict>(3, SignatureVerdict::kValid));
}

TEST_F(SignaturesTest, ABadSignatureLateInALargeBatchRejectsTheWholeBatch) {
  ASSERT_TRUE(IngestBatch(batch_, feed_.pact(), log_, feed_.keys()).ok());
  batch_[290].signature[10] ^= 0x04;
  Result<IngestPlan> plan = IngestBatch(batch_, feed_.pact(), log_, feed_.keys());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.code(), ErrorCode::kBadSignature);
  EXPECT_NE(plan.error().message.find("entry 290 of the batch"), std::string::npos)
      << plan.error().message;
}

TEST_F(SignaturesTest, APrecomputedVerdictIsWhatValidationUses) {
  // Validation must not re-derive what the verdict says: a valid entry with a kInvalid
  // verdict is refused, so a verdict can never be ignored by accident.
  Result<Validation> refused =
      ValidateEntry(batch_[0], feed_.pact(), log_, feed_.keys(), SignatureVerdict::kInvalid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kBadSignature);
  batch_[0].signature[0] ^= 0x01;
  Result<Validation> rechecked =
      ValidateEntry(batch_[0], feed_.pact(), log_, feed_.keys(), SignatureVerdict::kUnchecked);
  ASSERT_FALSE(rechecked.ok());
  EXPECT_EQ(rechecked.code(), ErrorCode::kBadSignature);
}

}  // namespace
}  // namespace accord::log
