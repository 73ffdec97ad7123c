// Device invitations (docs/pairing.md "Device invitations"): the kind is bound into the
// inviter's signed record, a device bundle carries the member's person keys, a person
// bundle never does.
#include <gtest/gtest.h>

#include "crypto/random.h"
#include "daemon/pairing/messages.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/protocol.h"
#include "tests/daemon/pairing/pairing_harness.h"

namespace accord::pairing {
namespace {

using testing::CloneBundle;
using testing::MakeBundle;
using testing::PairingRun;

bool SameKeys(const std::vector<std::pair<uint64_t, crypto::SecretKey>>& a,
              const std::vector<std::pair<uint64_t, crypto::SecretKey>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || !a[i].second.Equals(b[i].second)) return false;
  }
  return true;
}

PactBundle DeviceBundle(size_t person_keys = 2) {
  PactBundle bundle = MakeBundle(crypto::RandomFixed<32>());
  bundle.kind = InviteKind::kDevice;
  for (size_t i = 0; i < person_keys; ++i)
    bundle.person_keys.emplace_back(i, crypto::SecretKey::Random());
  return bundle;
}

TEST(DeviceInvite, ADeviceBundleRoundTripsWithItsKindAndPersonKeys) {
  const PactBundle bundle = DeviceBundle(3);
  proto::PairSecure message = BundleMessage(bundle);
  EXPECT_EQ(message.bundle().kind(), proto::PAIR_KIND_DEVICE);
  EXPECT_EQ(message.bundle().person_keys_size(), 3);
  Result<PactBundle> back = BundleFromMessage(message.bundle());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->kind, InviteKind::kDevice);
  EXPECT_TRUE(SameKeys(back->person_keys, bundle.person_keys));
  EXPECT_TRUE(SameKeys(back->epoch_keys, bundle.epoch_keys));

  // WipeSecrets overwrites the person keys too.
  WipeSecrets(message);
  for (const proto::PairEpochKey& k : message.bundle().person_keys())
    EXPECT_EQ(k.key(), std::string(32, '\0'));
}

TEST(DeviceInvite, APersonBundleWithPersonKeysIsRefusedEverywhere) {
  PactBundle bundle = MakeBundle(crypto::RandomFixed<32>());
  bundle.person_keys.emplace_back(0, crypto::SecretKey::Random());
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);

  // Decoded from the wire as well: a person bundle that carries them does not parse.
  PactBundle device = DeviceBundle();
  proto::PairSecure message = BundleMessage(device);
  message.mutable_bundle()->set_kind(proto::PAIR_KIND_PERSON);
  Result<PactBundle> decoded = BundleFromMessage(message.bundle());
  EXPECT_EQ(decoded.code(), ErrorCode::kInvalidArgument);
}

TEST(DeviceInvite, ADeviceBundleWithoutPersonKeysOrWithDisorderedOnesIsRefused) {
  EXPECT_EQ(CheckBundle(DeviceBundle(0)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CheckBundle(DeviceBundle(kMaxPersonKeys + 1)).code(), ErrorCode::kInvalidArgument);
  PactBundle repeated = DeviceBundle(2);
  repeated.person_keys[1].first = repeated.person_keys[0].first;
  EXPECT_EQ(CheckBundle(repeated).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckBundle(DeviceBundle(kMaxPersonKeys)).ok());
}

TEST(DeviceInvite, AnUnknownKindDoesNotParse) {
  proto::PairSecure message = BundleMessage(DeviceBundle());
  message.mutable_bundle()->set_kind(static_cast<proto::PairKind>(7));
  EXPECT_EQ(BundleFromMessage(message.bundle()).code(), ErrorCode::kInvalidArgument);

  const crypto::DeviceIdentity id = crypto::DeviceIdentity::Generate();
  crypto::noise::HashOutput h;
  crypto::RandomBytes(h);
  proto::PairSecure record = RecordMessage(SignRecord(
      DeviceRecord{id.signing.public_key(), id.dh.public_key(), "Robin", {}}, id.signing, h));
  record.mutable_record()->set_kind(static_cast<proto::PairKind>(2));
  EXPECT_EQ(RecordFromMessage(record.record()).code(), ErrorCode::kInvalidArgument);
}

TEST(DeviceInvite, AFullDeviceRunHandsOverThePersonKeysAndTellsTheJoinerTheKind) {
  const PairingCode code = GenerateCode();
  PairingRun run(code, code, {}, InviteKind::kDevice);
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  ASSERT_TRUE(run.inviter.done()) << run.inviter.error().message;
  EXPECT_EQ(run.joiner.inviter().kind, InviteKind::kDevice);
  EXPECT_EQ(run.joiner.bundle().kind, InviteKind::kDevice);
  EXPECT_TRUE(SameKeys(run.joiner.bundle().person_keys, run.bundle.person_keys));
  EXPECT_TRUE(SameKeys(run.joiner.bundle().epoch_keys, run.bundle.epoch_keys));
}

TEST(DeviceInvite, AFullPersonRunNeverCarriesPersonKeys) {
  const PairingCode code = GenerateCode();
  PairingRun run(code);
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  EXPECT_EQ(run.joiner.inviter().kind, InviteKind::kPerson);
  EXPECT_EQ(run.joiner.bundle().kind, InviteKind::kPerson);
  EXPECT_TRUE(run.joiner.bundle().person_keys.empty());
}

TEST(DeviceInvite, ConsentWithABundleOfTheOtherKindIsRefused) {
  {
    // A person invitation cannot be made to hand over person keys.
    const PairingCode code = GenerateCode();
    PairingRun run(code);
    run.bundle = DeviceBundle();
    run.bundle.inviter_member = run.inviter_id.signing.public_key();
    run.Go();
    ASSERT_TRUE(run.consent_error.has_value());
    EXPECT_EQ(run.consent_error->code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(run.joiner.done());
  }
  {
    const PairingCode code = GenerateCode();
    PairingRun run(code, code, {}, InviteKind::kDevice);
    run.bundle = MakeBundle(run.inviter_id.signing.public_key());  // a person bundle
    run.Go();
    ASSERT_TRUE(run.consent_error.has_value());
    EXPECT_EQ(run.consent_error->code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(run.joiner.done());
  }
}

TEST(DeviceInvite, TheKindIsBoundByTheRecordSignature) {
  const crypto::DeviceIdentity inviter = crypto::DeviceIdentity::Generate();
  const log::DeviceKey me = crypto::RandomFixed<32>();
  crypto::noise::HashOutput h;
  crypto::RandomBytes(h);
  DeviceRecord person{inviter.signing.public_key(), inviter.dh.public_key(), "Robin", {}};
  DeviceRecord device = person;
  device.kind = InviteKind::kDevice;
  const SignedRecord signed_person = SignRecord(person, inviter.signing, h);
  const SignedRecord signed_device = SignRecord(device, inviter.signing, h);
  ASSERT_TRUE(VerifyRecord(signed_person, h, inviter.dh.public_key(), me).ok());
  ASSERT_TRUE(VerifyRecord(signed_device, h, inviter.dh.public_key(), me).ok());
  EXPECT_NE(signed_person.bind_signature, signed_device.bind_signature);

  // A person invitation turned into a device invitation, and back: the signature fails.
  SignedRecord turned = signed_person;
  turned.record.kind = InviteKind::kDevice;
  EXPECT_EQ(VerifyRecord(turned, h, inviter.dh.public_key(), me).code(), ErrorCode::kBadSignature);
  turned = signed_device;
  turned.record.kind = InviteKind::kPerson;
  EXPECT_EQ(VerifyRecord(turned, h, inviter.dh.public_key(), me).code(), ErrorCode::kBadSignature);
}

TEST(DeviceInvite, TheLargestDeviceBundleStaysUnderTheMessageLimit) {
  std::vector<log::DeviceKey> devices;
  for (size_t i = 1; i < kMaxMemberDevices; ++i) devices.push_back(crypto::RandomFixed<32>());
  const PairingCode code = GenerateCode();
  PairingRun big(code, code, devices, InviteKind::kDevice);
  big.bundle = MakeBundle(big.inviter_id.signing.public_key(), kMaxEpochKeys);
  big.bundle.kind = InviteKind::kDevice;
  for (size_t i = 0; i < kMaxPersonKeys; ++i)
    big.bundle.person_keys.emplace_back(i, crypto::SecretKey::Random());
  big.bundle.inviter_name = std::string(kMaxNameBytes, 'x');
  for (size_t i = 0; i < kMaxPactDevices; ++i)
    big.bundle.devices.push_back(PactDevice{crypto::RandomFixed<32>(), crypto::RandomFixed<32>()});
  std::sort(big.bundle.devices.begin(), big.bundle.devices.end(),
            [](const PactDevice& a, const PactDevice& b) { return a.signing < b.signing; });
  big.Go();
  ASSERT_TRUE(big.joiner.done()) << big.joiner.error().message;
  EXPECT_EQ(big.joiner.bundle().person_keys.size(), kMaxPersonKeys);
  for (const testing::Frame& f : big.delivered) EXPECT_LT(f.bytes.size(), 10240u);
}

}  // namespace
}  // namespace accord::pairing
