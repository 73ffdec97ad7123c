// Pairing a newcomer into a pact of two or more (docs/pairing.md "Newcomers without
// history"): the inviter's record says what the newcomer will read, and the bundle must keep
// that promise on both sides: one epoch key and the restated control entries, or neither.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/random.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/records.h"
#include "tests/daemon/pairing/pairing_harness.h"

namespace accord::pairing {
namespace {

using testing::MakeBundle;
using testing::PairingRun;

std::vector<RestatedEntry> SomeRestated(size_t n, size_t body_bytes = 40) {
  std::vector<RestatedEntry> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({crypto::RandomFixed<32>(), crypto::RandomFixed<32>(), Bytes(body_bytes, 7)});
  std::sort(out.begin(), out.end(),
            [](const RestatedEntry& a, const RestatedEntry& b) { return a.id < b.id; });
  return out;
}

PairingRun NewcomerRun(HistoryShare history) {
  const PairingCode code = GenerateCode();
  return PairingRun(code, code, {}, InviteKind::kPerson, history);
}

TEST(NewcomerPairing, TheRecordTellsTheJoinerItStartsWithoutHistoryAndTheRestatedEntriesCross) {
  PairingRun run = NewcomerRun(HistoryShare::kNone);
  run.bundle = MakeBundle(run.inviter_id.signing.public_key(), /*keys=*/1);
  run.bundle.restated = SomeRestated(3);
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  ASSERT_TRUE(run.inviter.done());
  EXPECT_EQ(run.joiner.inviter().history, HistoryShare::kNone);
  const std::vector<RestatedEntry>& got = run.joiner.bundle().restated;
  ASSERT_EQ(got.size(), 3u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, run.bundle.restated[i].id);
    EXPECT_EQ(got[i].author, run.bundle.restated[i].author);
    EXPECT_EQ(got[i].body, run.bundle.restated[i].body);
  }
}

TEST(NewcomerPairing, SharedHistoryIsToldAndCarriesNoRestatedEntries) {
  PairingRun run = NewcomerRun(HistoryShare::kShared);
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  EXPECT_EQ(run.joiner.inviter().history, HistoryShare::kShared);
  EXPECT_TRUE(run.joiner.bundle().restated.empty());
}

TEST(NewcomerPairing, TheInviterRefusesABundleThatBreaksWhatItsRecordSaid) {
  PairingRun whole_keys = NewcomerRun(HistoryShare::kNone);  // every key: the history
  whole_keys.bundle.restated = SomeRestated(1);
  whole_keys.Go();
  ASSERT_TRUE(whole_keys.consent_error.has_value());
  EXPECT_FALSE(whole_keys.joiner.done());

  PairingRun unrestated = NewcomerRun(HistoryShare::kNone);  // no membership to fold
  unrestated.bundle = MakeBundle(unrestated.inviter_id.signing.public_key(), 1);
  unrestated.Go();
  ASSERT_TRUE(unrestated.consent_error.has_value());

  PairingRun told_whole = NewcomerRun(HistoryShare::kWhole);
  told_whole.bundle.restated = SomeRestated(1);
  told_whole.Go();
  ASSERT_TRUE(told_whole.consent_error.has_value());
}

TEST(NewcomerPairing, ADeviceInvitationNeverAnnouncesLessThanTheWholeHistory) {
  const PairingCode code = GenerateCode();
  PairingRun run(code, code, {}, InviteKind::kDevice, HistoryShare::kNone);
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  EXPECT_EQ(run.joiner.inviter().history, HistoryShare::kWhole);
}

TEST(NewcomerPairing, CheckBundleHistoryHoldsTheJoinerToTheRecord) {
  PactBundle one_key = MakeBundle(crypto::RandomFixed<32>(), 1);
  one_key.restated = SomeRestated(2);
  EXPECT_TRUE(CheckBundleHistory(one_key, HistoryShare::kNone).ok());
  EXPECT_EQ(CheckBundleHistory(one_key, HistoryShare::kShared).code(), ErrorCode::kRefused);
  EXPECT_EQ(CheckBundleHistory(one_key, HistoryShare::kWhole).code(), ErrorCode::kRefused);
  PactBundle plain = MakeBundle(crypto::RandomFixed<32>(), 1);
  EXPECT_EQ(CheckBundleHistory(plain, HistoryShare::kNone).code(), ErrorCode::kRefused);
  EXPECT_TRUE(CheckBundleHistory(plain, HistoryShare::kShared).ok());
}

TEST(NewcomerPairing, RestatedEntriesOutOfOrderEmptyOrTooManyAreRefused) {
  PactBundle bundle = MakeBundle(crypto::RandomFixed<32>(), 1);
  bundle.restated = SomeRestated(2);
  EXPECT_TRUE(CheckBundle(bundle).ok());
  std::swap(bundle.restated[0], bundle.restated[1]);
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.restated = {bundle.restated[0], bundle.restated[0]};
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.restated = SomeRestated(1, 0);
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.restated = SomeRestated(kMaxRestatedEntries + 1, 1);
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.restated = SomeRestated(2, kMaxRestatedBytes / 2 + 1);
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  // A device of a member let in without history gets what was restated to its member.
  bundle.restated = SomeRestated(1);
  bundle.kind = InviteKind::kDevice;
  bundle.person_keys.emplace_back(0, crypto::SecretKey::Random());
  EXPECT_TRUE(CheckBundle(bundle).ok());
  EXPECT_TRUE(CheckBundleHistory(bundle, HistoryShare::kWhole).ok());
}

TEST(NewcomerPairing, TheLargestRestatingBundleFitsThePairingMessageLimit) {
  PairingRun big = NewcomerRun(HistoryShare::kNone);
  big.bundle = MakeBundle(big.inviter_id.signing.public_key(), 1);
  big.bundle.inviter_name = std::string(kMaxNameBytes, 'x');
  for (size_t i = 0; i < kMaxPactDevices; ++i)
    big.bundle.devices.push_back(PactDevice{crypto::RandomFixed<32>(), crypto::RandomFixed<32>()});
  std::sort(big.bundle.devices.begin(), big.bundle.devices.end(),
            [](const PactDevice& a, const PactDevice& b) { return a.signing < b.signing; });
  big.bundle.restated = SomeRestated(kMaxRestatedEntries, kMaxRestatedBytes / kMaxRestatedEntries);
  big.Go();
  ASSERT_TRUE(big.joiner.done()) << big.joiner.error().message;
  EXPECT_EQ(big.joiner.bundle().restated.size(), kMaxRestatedEntries);
  for (const testing::Frame& f : big.delivered) EXPECT_LT(f.bytes.size(), kMaxPairMessageBytes);
}

}  // namespace
}  // namespace accord::pairing
