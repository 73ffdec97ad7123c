// Re-keying (daemon/log/rekey.h): the old key's binding for the new one, and how validation
// accepts a new key's feed only on that binding from a known device, at its first entry; and
// that a known device cannot forge a re-key or another device's private chain start.
#include "daemon/log/rekey.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/random.h"
#include "daemon/log/ingest.h"
#include "daemon/log/private_chain.h"
#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::FakeLog;
using testing::NeedBody;
using testing::TestFeed;

class RekeyTest : public ::testing::Test {
 protected:
  RekeyTest() : fresh_(crypto::SigningKey::Generate()), author_(fresh_, feed_.pact(), FeedHead{}) {
    log_.Know(feed_.device(0));
    log_.Know(feed_.device(1));
  }

  AuthoredEntry Write(const proto::Body& body) {
    Result<AuthoredEntry> e = author_.Write(body, feed_.keys(), feed_.keys().current_epoch(),
                                            ++lamport_, 1'700'000'000'000);
    EXPECT_TRUE(e.ok()) << e.error().message;
    return *e;
  }
  proto::Body Rekeyed() const {
    return DeviceRekeyedBody(feed_.signing(0), feed_.pact(), fresh_.public_key());
  }
  Result<IngestPlan> Ingest(const std::vector<AuthoredEntry>& entries, const LogView& view) {
    std::vector<Envelope> batch;
    for (const AuthoredEntry& e : entries) batch.push_back(e.envelope);
    return IngestBatch(batch, feed_.pact(), view, feed_.keys());
  }

  TestFeed feed_{2};
  FakeLog log_;
  crypto::SigningKey fresh_;  // device 0's new key
  Author author_;
  uint64_t lamport_ = 0;
};

TEST_F(RekeyTest, TheBindingNamesTheOldKeyAndHoldsOnlyForTheNewKeyAndPact) {
  const proto::Body body = Rekeyed();
  EXPECT_EQ(ScopeOf(body), Scope::kControl);
  DeviceKey old{};
  ASSERT_TRUE(BindsRekey(body, feed_.pact(), fresh_.public_key(), old));
  EXPECT_EQ(old, feed_.device(0));
  EXPECT_FALSE(BindsRekey(body, crypto::RandomFixed<16>(), fresh_.public_key(), old));
  EXPECT_FALSE(BindsRekey(body, feed_.pact(), feed_.device(1), old));
  for (size_t byte : {0u, 31u, 63u}) {
    proto::Body tampered = body;
    std::string binding = tampered.device_rekeyed().binding();
    binding[byte] ^= 0x10;
    tampered.mutable_device_rekeyed()->set_binding(binding);
    EXPECT_FALSE(BindsRekey(tampered, feed_.pact(), fresh_.public_key(), old)) << byte;
  }
  proto::Body short_binding = body;
  short_binding.mutable_device_rekeyed()->set_binding("x");
  EXPECT_FALSE(BindsRekey(short_binding, feed_.pact(), fresh_.public_key(), old));
  // A private chain's binding is no re-key binding, though both are signatures of device 0.
  const proto::Body chain =
      PrivateChainStartBody(feed_.signing(0), feed_.pact(), fresh_.public_key());
  proto::Body crossed;
  crossed.mutable_device_rekeyed()->set_old_device_key(chain.private_chain_start().device_key());
  crossed.mutable_device_rekeyed()->set_binding(chain.private_chain_start().binding());
  EXPECT_FALSE(BindsRekey(crossed, feed_.pact(), fresh_.public_key(), old));
  // A key never vouches for itself.
  const proto::Body self = DeviceRekeyedBody(feed_.signing(0), feed_.pact(), feed_.device(0));
  EXPECT_FALSE(BindsRekey(self, feed_.pact(), feed_.device(0), old));
}

TEST_F(RekeyTest, ANewKeysFeedIsAcceptedOnItsBindingAndLearnedForTheRestOfTheBatch) {
  Result<IngestPlan> plan = Ingest({Write(Rekeyed()), Write(NeedBody("after the re-key"))}, log_);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->to_store.size(), 2u);
  EXPECT_EQ(plan->to_store[1].body.need().text(), "after the re-key");
}

TEST_F(RekeyTest, ANewKeyVouchedForByAnUnknownDeviceIsAnUnknownAuthor) {
  FakeLog only_one;
  only_one.Know(feed_.device(1));  // device 0, the voucher, is not a device here
  EXPECT_EQ(Ingest({Write(Rekeyed())}, only_one).code(), ErrorCode::kUnknownAuthor);
}

TEST_F(RekeyTest, AReKeyThatIsNotTheNewKeysFirstEntryIsRefused) {
  // Unknown: a need at seq 1 makes nothing of a re-key at seq 2.
  EXPECT_EQ(Ingest({Write(NeedBody("first")), Write(Rekeyed())}, log_).code(),
            ErrorCode::kUnknownAuthor);
  // Known already: a re-key later in a device's own feed is refused as a body.
  AuthoredEntry late = feed_.Write(1, NeedBody("one"));
  AuthoredEntry forged =
      feed_.Write(1, DeviceRekeyedBody(feed_.signing(0), feed_.pact(), feed_.device(1)));
  std::vector<Envelope> batch{late.envelope, forged.envelope};
  EXPECT_EQ(IngestBatch(batch, feed_.pact(), log_, feed_.keys()).code(), ErrorCode::kBadBody);
}

TEST_F(RekeyTest, AKnownDeviceCannotClaimAnotherDevicesKeyOrChain) {
  // Device 1, known, writes as its first entry a re-key naming device 0 with a binding it
  // cannot make (device 0's signature for another key).
  proto::Body claim = DeviceRekeyedBody(feed_.signing(0), feed_.pact(), fresh_.public_key());
  std::vector<Envelope> batch{feed_.Write(1, claim).envelope};
  EXPECT_EQ(IngestBatch(batch, feed_.pact(), log_, feed_.keys()).code(), ErrorCode::kBadBody);

  // And a private chain start in a known device's feed claiming device 0's chain.
  TestFeed other{2};
  FakeLog view;
  view.Know(other.device(0));
  view.Know(other.device(1));
  proto::Body chain = PrivateChainStartBody(other.signing(0), other.pact(), other.device(0));
  chain.mutable_private_chain_start()->set_binding(std::string(64, 'b'));
  AuthoredEntry start = other.Write(1, chain);
  std::vector<Envelope> chains{start.envelope};
  EXPECT_EQ(IngestBatch(chains, other.pact(), view, other.keys()).code(), ErrorCode::kBadBody);
  EXPECT_FALSE(CheckBindings(start.header, chain, other.pact()).ok());
}

}  // namespace
}  // namespace accord::log
