// Private chains (daemon/log/private_chain.h): the chain key, the device's binding, and how
// validation and ingest accept a chain only on that binding and the person key.
#include "daemon/log/private_chain.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/random.h"
#include "daemon/log/ingest.h"
#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

using testing::FakeLog;
using testing::ReflectionBody;
using testing::TestFeed;

class PrivateChainTest : public ::testing::Test {
 protected:
  PrivateChainTest()
      : chain_(PrivateChainKey(feed_.signing(0), feed_.pact())),
        author_(chain_, feed_.pact(), FeedHead{}) {
    log_.Know(feed_.device(0));
  }

  AuthoredEntry Write(const proto::Body& body) {
    Result<AuthoredEntry> e = author_.Write(body, feed_.keys(), feed_.keys().current_epoch(),
                                            ++lamport_, 1'700'000'000'000);
    EXPECT_TRUE(e.ok()) << e.error().message;
    return *e;
  }
  AuthoredEntry Start() {
    return Write(PrivateChainStartBody(feed_.signing(0), feed_.pact(), chain_.public_key()));
  }
  Result<IngestPlan> Ingest(const std::vector<AuthoredEntry>& entries, const KeyRing& keys) {
    std::vector<Envelope> batch;
    for (const AuthoredEntry& e : entries) batch.push_back(e.envelope);
    return IngestBatch(batch, feed_.pact(), log_, keys);
  }

  TestFeed feed_{2};
  FakeLog log_;
  crypto::SigningKey chain_;
  Author author_;
  uint64_t lamport_ = 0;
};

TEST_F(PrivateChainTest, TheChainKeyIsTheDevicesOwnPerPactAndNotTheDeviceKey) {
  EXPECT_EQ(PrivateChainKey(feed_.signing(0), feed_.pact()).public_key(), chain_.public_key());
  EXPECT_NE(chain_.public_key(), feed_.device(0));
  PactId other = crypto::RandomFixed<16>();
  EXPECT_NE(PrivateChainKey(feed_.signing(0), other).public_key(), chain_.public_key());
  EXPECT_NE(PrivateChainKey(feed_.signing(1), feed_.pact()).public_key(), chain_.public_key());
}

TEST_F(PrivateChainTest, TheBindingNamesTheDeviceAndHoldsOnlyForItsChainAndPact) {
  proto::Body body = PrivateChainStartBody(feed_.signing(0), feed_.pact(), chain_.public_key());
  DeviceKey device{};
  ASSERT_TRUE(BindsPrivateChain(body, feed_.pact(), chain_.public_key(), device));
  EXPECT_EQ(device, feed_.device(0));
  EXPECT_FALSE(BindsPrivateChain(body, crypto::RandomFixed<16>(), chain_.public_key(), device));
  EXPECT_FALSE(BindsPrivateChain(body, feed_.pact(), feed_.device(1), device));
  proto::Body tampered = body;
  std::string binding = tampered.private_chain_start().binding();
  binding[5] ^= 1;
  tampered.mutable_private_chain_start()->set_binding(binding);
  EXPECT_FALSE(BindsPrivateChain(tampered, feed_.pact(), chain_.public_key(), device));
  proto::Body short_binding = body;
  short_binding.mutable_private_chain_start()->set_binding("x");
  EXPECT_FALSE(BindsPrivateChain(short_binding, feed_.pact(), chain_.public_key(), device));
  // A device cannot vouch for itself as its own chain.
  proto::Body self = PrivateChainStartBody(feed_.signing(0), feed_.pact(), feed_.device(0));
  EXPECT_FALSE(BindsPrivateChain(self, feed_.pact(), feed_.device(0), device));
}

TEST_F(PrivateChainTest, AnOwnDeviceAcceptsTheChainOnItsBindingAndLearnsItsKey) {
  std::vector<AuthoredEntry> chain{Start(), Write(ReflectionBody("only mine")),
                                   Write(ReflectionBody("mine too"))};
  Result<IngestPlan> plan = Ingest(chain, feed_.keys());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->to_store.size(), 3u);
  EXPECT_EQ(plan->to_store[2].body.reflection().text(), "mine too");
}

TEST_F(PrivateChainTest, WithoutThePersonKeyTheChainIsAnUnknownAuthor) {
  KeyRing epoch_only;
  for (const auto& [epoch, key] : feed_.keys().epoch_keys())
    epoch_only.AddEpochKey(epoch, key.Clone());
  Result<IngestPlan> plan = Ingest({Start()}, epoch_only);
  EXPECT_EQ(plan.code(), ErrorCode::kUnknownAuthor);
}

TEST_F(PrivateChainTest, AChainOfAnUnknownDeviceIsRefused) {
  FakeLog empty;  // knows no device
  std::vector<Envelope> batch{Start().envelope};
  EXPECT_EQ(IngestBatch(batch, feed_.pact(), empty, feed_.keys()).code(),
            ErrorCode::kUnknownAuthor);
}

TEST_F(PrivateChainTest, AChainEntryWithoutItsStartIsRefused) {
  AuthoredEntry start = Start();
  (void)start;
  Result<IngestPlan> plan = Ingest({Write(ReflectionBody("no start before me"))}, feed_.keys());
  EXPECT_FALSE(plan.ok());
}

TEST_F(PrivateChainTest, AStartThatIsNotTheFirstEntryOrNotPrivateIsRefused) {
  // A reflection at seq 1 is no start; the seq-2 start after it does not make it one.
  std::vector<AuthoredEntry> chain{
      Write(ReflectionBody("first")),
      Write(PrivateChainStartBody(feed_.signing(0), feed_.pact(), chain_.public_key()))};
  EXPECT_EQ(Ingest(chain, feed_.keys()).code(), ErrorCode::kUnknownAuthor);
}

TEST_F(PrivateChainTest, ABindingByAnotherDeviceForThisChainIsRefused) {
  // Device 1 (known) signs for device 0's chain key: the binding names device 1, whose own
  // chain key this is not — still a valid signature, so the chain belongs to device 1. What
  // matters is that nobody can bind a chain to a device without that device's signature.
  log_.Know(feed_.device(1));
  proto::Body forged = PrivateChainStartBody(feed_.signing(0), feed_.pact(), chain_.public_key());
  forged.mutable_private_chain_start()->set_device_key(
      std::string(feed_.device(1).begin(), feed_.device(1).end()));
  EXPECT_EQ(Ingest({Write(forged)}, feed_.keys()).code(), ErrorCode::kUnknownAuthor);
}

}  // namespace
}  // namespace accord::log
