#include "daemon/log/validate.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/random.h"
#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::FakeLog;
using testing::NeedBody;
using testing::TestFeed;

const std::set<ErrorCode> kValidationCodes = {
    ErrorCode::kMalformedEntry, ErrorCode::kWrongPact,        ErrorCode::kTooLarge,
    ErrorCode::kBadSignature,   ErrorCode::kBodyHashMismatch, ErrorCode::kFrozenAuthor,
    ErrorCode::kUnknownAuthor,  ErrorCode::kSeqGap,           ErrorCode::kPrevMismatch,
    ErrorCode::kUnknownEpoch,   ErrorCode::kDecryptFailed,    ErrorCode::kBadBody,
};

Envelope FlipBit(Envelope envelope, Bytes Envelope::*part, size_t bit) {
  (envelope.*part)[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return envelope;
}

// Device 0 has written three entries; the log holds the first two and knows devices 0 and 1.
class ValidateTest : public ::testing::Test {
 protected:
  ValidateTest() {
    for (int i = 0; i < 3; ++i)
      written_.push_back(feed_.Write(0, NeedBody("need " + std::to_string(i))));
    log_.Add(written_[0]);
    log_.Add(written_[1]);
    log_.Know(feed_.device(0));
    log_.Know(feed_.device(1));
  }
  Result<Validation> Check(const Envelope& e) {
    return ValidateEntry(e, feed_.pact(), log_, feed_.keys());
  }
  const Envelope& next() const { return written_[2].envelope; }

  TestFeed feed_;
  FakeLog log_;
  std::vector<AuthoredEntry> written_;
};

TEST_F(ValidateTest, TheAuthorsNextEntryPassesWithItsBody) {
  Result<Validation> v = Check(next());
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->outcome, Validation::Outcome::kNew);
  EXPECT_EQ(v->entry->id, written_[2].id);
  EXPECT_EQ(v->entry->header.seq, 3u);
  EXPECT_EQ(v->entry->envelope, next());
  EXPECT_EQ(v->entry->body.need().text(), "need 2");
}

TEST_F(ValidateTest, EveryFlippedHeaderBitIsRejectedWithAValidationCode) {
  for (size_t bit = 0; bit < kHeaderBytes * 8; ++bit) {
    Result<Validation> v = Check(FlipBit(next(), &Envelope::header, bit));
    ASSERT_FALSE(v.ok()) << "header bit " << bit << " accepted";
    EXPECT_TRUE(kValidationCodes.contains(v.code())) << "header bit " << bit;
  }
}

TEST_F(ValidateTest, EveryFlippedSignatureBitFailsTheSignature) {
  for (size_t bit = 0; bit < kSignatureBytes * 8; ++bit) {
    Result<Validation> v = Check(FlipBit(next(), &Envelope::signature, bit));
    ASSERT_FALSE(v.ok()) << "signature bit " << bit << " accepted";
    EXPECT_EQ(v.code(), ErrorCode::kBadSignature) << "signature bit " << bit;
  }
}

TEST_F(ValidateTest, EveryFlippedBodyBitFailsTheBodyHash) {
  for (size_t bit = 0; bit < next().sealed_body.size() * 8; ++bit) {
    Result<Validation> v = Check(FlipBit(next(), &Envelope::sealed_body, bit));
    ASSERT_FALSE(v.ok()) << "body bit " << bit << " accepted";
    EXPECT_EQ(v.code(), ErrorCode::kBodyHashMismatch) << "body bit " << bit;
  }
}

TEST_F(ValidateTest, TruncatedOrOversizedPartsAreMalformedOrTooLarge) {
  Envelope e = next();
  e.header.pop_back();
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.header.push_back(0);
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.signature.pop_back();
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.signature.push_back(0);
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.sealed_body.pop_back();
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.sealed_body.push_back(0);
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
  e = next();
  e.sealed_body.assign(kMaxSealedBodyBytes + 1, 0x5a);
  EXPECT_EQ(Check(e).code(), ErrorCode::kTooLarge);
  e = next();
  e.header.clear();
  e.signature.clear();
  e.sealed_body.clear();
  EXPECT_EQ(Check(e).code(), ErrorCode::kMalformedEntry);
}

TEST_F(ValidateTest, AnotherPactsEntryIsWrongPact) {
  const PactId other = crypto::RandomFixed<16>();
  EXPECT_EQ(ValidateEntry(next(), other, log_, feed_.keys()).code(), ErrorCode::kWrongPact);
}

TEST_F(ValidateTest, AFrozenAuthorIsRefusedBeforeItsSeqIsLookedAt) {
  log_.Freeze(feed_.device(0));
  EXPECT_EQ(Check(next()).code(), ErrorCode::kFrozenAuthor);
  EXPECT_EQ(Check(written_[0].envelope).code(), ErrorCode::kFrozenAuthor);
}

TEST_F(ValidateTest, ADeviceThePactDoesNotKnowIsUnknownAuthor) {
  const AuthoredEntry stranger = feed_.Write(2, NeedBody("hello"));
  EXPECT_EQ(Check(stranger.envelope).code(), ErrorCode::kUnknownAuthor);
}

TEST_F(ValidateTest, ASeqPastTheNextIsAGap) {
  const AuthoredEntry fourth = feed_.Write(0, NeedBody("four"));
  EXPECT_EQ(Check(fourth.envelope).code(), ErrorCode::kSeqGap);
}

TEST_F(ValidateTest, ANextSeqOnAnotherBranchIsPrevMismatch) {
  feed_.Rewind(0, FeedHead{1, written_[0].id});
  feed_.Write(0, NeedBody("other second"));
  const AuthoredEntry third = feed_.Write(0, NeedBody("other third"));
  EXPECT_EQ(Check(third.envelope).code(), ErrorCode::kPrevMismatch);
}

TEST_F(ValidateTest, TheSameEntryAgainIsADuplicate) {
  for (int i = 0; i < 2; ++i) {
    Result<Validation> v = Check(written_[i].envelope);
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->outcome, Validation::Outcome::kDuplicate);
    EXPECT_FALSE(v->entry.has_value());
  }
}

TEST_F(ValidateTest, ADifferentEntryAtAnOccupiedSeqIsAForkWithProof) {
  feed_.Rewind(0, FeedHead{1, written_[0].id});
  const AuthoredEntry other = feed_.Write(0, NeedBody("other second"));
  Result<Validation> v = Check(other.envelope);
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->outcome, Validation::Outcome::kFork);
  EXPECT_EQ(v->fork->author, feed_.device(0));
  EXPECT_EQ(v->fork->seq, 2u);
  EXPECT_EQ(v->fork->existing_id, written_[1].id);
  EXPECT_EQ(v->fork->conflicting_id, other.id);
  EXPECT_EQ(v->fork->conflicting, other.envelope);
}

TEST_F(ValidateTest, AnEpochWithoutAKeyIsUnknownEpoch) {
  KeyRing only_person_key;
  only_person_key.AddPersonKey(1, crypto::SecretKey::Random());
  EXPECT_EQ(ValidateEntry(next(), feed_.pact(), log_, only_person_key).code(),
            ErrorCode::kUnknownEpoch);
}

TEST_F(ValidateTest, AWrongKeyForTheEpochIsDecryptFailed) {
  KeyRing wrong;
  wrong.AddEpochKey(1, crypto::SecretKey::Random());
  EXPECT_EQ(ValidateEntry(next(), feed_.pact(), log_, wrong).code(), ErrorCode::kDecryptFailed);
}

TEST_F(ValidateTest, BodiesThatDoNotParseLackAKindOrSitInTheWrongScopeAreBadBody) {
  // Each is next after the previous one, so only the body is at fault.
  log_.Add(written_[2]);
  FeedHead head = feed_.head(0);
  const std::string need = NeedBody("a need").SerializeAsString();
  const std::string reflection = testing::ReflectionBody("mine").SerializeAsString();
  const struct {
    Scope scope;
    std::string plaintext;
  } cases[] = {
      {Scope::kShared, std::string("\xff\xff\xff\xff", 4)},  // not protobuf
      {Scope::kShared, std::string()},                       // a Body with no kind
      {Scope::kControl, need},                               // shared kind, control scope
      {Scope::kShared, reflection},                          // private kind, shared scope
  };
  for (const auto& c : cases) {
    feed_.Rewind(0, head);
    const AuthoredEntry bad = feed_.WriteRaw(0, c.scope, c.plaintext);
    EXPECT_EQ(Check(bad.envelope).code(), ErrorCode::kBadBody);
  }
  feed_.Rewind(0, head);
  const AuthoredEntry good = feed_.WriteRaw(0, Scope::kShared, need);
  EXPECT_TRUE(Check(good.envelope).ok()) << "a hand-sealed entry with a good body passes";
}

TEST_F(ValidateTest, PrivateEntriesOpenWithThePersonKey) {
  const AuthoredEntry mine = feed_.Write(0, testing::ReflectionBody("just for me"));
  log_.Add(written_[2]);
  Result<Validation> v = Check(mine.envelope);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->entry->header.scope, Scope::kPrivate);
  EXPECT_EQ(v->entry->body.reflection().text(), "just for me");
}

TEST_F(ValidateTest, ChecksRunInTheDocumentedOrder) {
  // Wrong pact beats a bad signature; a bad signature beats an unknown author.
  Envelope e = FlipBit(next(), &Envelope::signature, 0);
  EXPECT_EQ(ValidateEntry(e, crypto::RandomFixed<16>(), log_, feed_.keys()).code(),
            ErrorCode::kWrongPact);
  const AuthoredEntry stranger = feed_.Write(2, NeedBody("hello"));
  EXPECT_EQ(Check(FlipBit(stranger.envelope, &Envelope::signature, 3)).code(),
            ErrorCode::kBadSignature);
  EXPECT_EQ(Check(FlipBit(stranger.envelope, &Envelope::sealed_body, 3)).code(),
            ErrorCode::kBodyHashMismatch);
}

}  // namespace
}  // namespace accord::log

namespace accord::log {
namespace {

// Another member's private entry travels as header and signature only: the author's chain
// stays whole for the partner, who could not open the body anyway.
TEST(ValidateWithheld, APrivateEntryWithoutItsBodyKeepsTheChainAndHasNoBody) {
  testing::TestFeed feed;
  testing::FakeLog log;
  log.Know(feed.device(0));
  AuthoredEntry first = feed.Write(0, testing::ReflectionBody("mine alone"));
  Envelope withheld = first.envelope;
  withheld.sealed_body.clear();
  Result<Validation> v = ValidateEntry(withheld, feed.pact(), log, feed.keys());
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->outcome, Validation::Outcome::kNew);
  EXPECT_EQ(v->entry->id, first.id);
  EXPECT_EQ(v->entry->body.kind_case(), proto::Body::KIND_NOT_SET);
  EXPECT_TRUE(IsWithheld(v->entry->header, withheld));
  // Its signature still counts: a flipped header bit is refused as before.
  withheld.header[HeaderLayout::kLamport] ^= 1;
  EXPECT_FALSE(ValidateEntry(withheld, feed.pact(), log, feed.keys()).ok());
}

// A sender whose copy of a shared body is damaged sends the signed header alone, so one bad
// row never stops the rest of the feed; the receiver fetches the body from another peer.
TEST(ValidateWithheld, ASharedEntryWithoutItsBodyKeepsTheChainAndWaitsForItsBody) {
  testing::TestFeed feed;
  testing::FakeLog log;
  log.Know(feed.device(0));
  AuthoredEntry first = feed.Write(0, testing::NeedBody("shared"));
  Envelope e = first.envelope;
  e.sealed_body.clear();
  Result<Validation> v = ValidateEntry(e, feed.pact(), log, feed.keys());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->entry->id, first.id);
  EXPECT_EQ(v->entry->body.kind_case(), proto::Body::KIND_NOT_SET);
  EXPECT_TRUE(IsWithheld(v->entry->header, e));
  // A body that is present must still be whole: one byte short is malformed, one byte
  // changed is a hash mismatch.
  Envelope short_body = first.envelope;
  short_body.sealed_body.pop_back();
  EXPECT_EQ(ValidateEntry(short_body, feed.pact(), log, feed.keys()).code(),
            ErrorCode::kMalformedEntry);
  Envelope flipped = first.envelope;
  flipped.sealed_body[3] ^= 0x10;
  EXPECT_EQ(ValidateEntry(flipped, feed.pact(), log, feed.keys()).code(),
            ErrorCode::kBodyHashMismatch);
}

}  // namespace
}  // namespace accord::log
