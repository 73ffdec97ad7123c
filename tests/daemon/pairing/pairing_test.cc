#include "daemon/pairing/pairing.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/cpace/cpace_session.h"
#include "daemon/pairing/protocol.h"
#include "daemon/pairing/wordlist.h"
#include "tests/daemon/pairing/pairing_harness.h"

namespace accord::pairing {
namespace {

using testing::CloneBundle;
using testing::KindOf;
using testing::MakeBundle;
using testing::OneWordOff;
using testing::PairingRun;

PairingCode Code(std::string_view text) {
  Result<PairingCode> code = ParseCode(text);
  EXPECT_TRUE(code.ok()) << text;
  return *code;
}

bool SameBundle(const PactBundle& a, const PactBundle& b) {
  if (a.pact != b.pact || a.inviter_member != b.inviter_member ||
      a.inviter_name != b.inviter_name || a.epoch_keys.size() != b.epoch_keys.size() ||
      a.devices.size() != b.devices.size()) {
    return false;
  }
  for (size_t i = 0; i < a.devices.size(); ++i) {
    if (a.devices[i].signing != b.devices[i].signing || a.devices[i].x25519 != b.devices[i].x25519)
      return false;
  }
  for (size_t i = 0; i < a.epoch_keys.size(); ++i) {
    if (a.epoch_keys[i].first != b.epoch_keys[i].first ||
        !a.epoch_keys[i].second.Equals(b.epoch_keys[i].second)) {
      return false;
    }
  }
  return true;
}

TEST(Pairing, FullRunEndsWithBothDoneTheExactBundleAndOneSafetyNumber) {
  const log::DeviceKey other_device = crypto::RandomFixed<32>();
  PairingRun good(Code("7-crossbow-meadow-ember"), Code("7-crossbow-meadow-ember"), {other_device});
  good.Go();

  ASSERT_TRUE(good.joiner.done()) << good.joiner.error().message;
  ASSERT_TRUE(good.inviter.done()) << good.inviter.error().message;
  EXPECT_FALSE(good.inviter.burned());
  EXPECT_TRUE(SameBundle(good.joiner.bundle(), good.bundle));

  // Each side knows exactly who is on the other end.
  EXPECT_EQ(good.joiner.inviter().signing, good.inviter_id.signing.public_key());
  EXPECT_EQ(good.joiner.inviter().x25519, good.inviter_id.dh.public_key());
  EXPECT_EQ(good.joiner.inviter().name, "Robin");
  EXPECT_EQ(good.inviter.joiner().signing, good.joiner_id.signing.public_key());
  EXPECT_EQ(good.inviter.joiner().x25519, good.joiner_id.dh.public_key());
  EXPECT_EQ(good.inviter.joiner().name, "Sam");

  // The same 60 digits on both screens, over the inviter's two devices and the joiner's one.
  const std::string number = good.joiner.safety_number();
  EXPECT_EQ(number.size(), 60u);
  EXPECT_EQ(number, good.inviter.safety_number());
  EXPECT_EQ(number, SafetyNumber({other_device, good.inviter_id.signing.public_key()},
                                 {good.joiner_id.signing.public_key()}));

  // Every frame is far below the 65535-byte frame limit.
  for (const testing::Frame& f : good.delivered) EXPECT_LT(f.bytes.size(), 4096u);
  EXPECT_TRUE(good.sent_after_failure.empty());
}

TEST(Pairing, TheJoinerLearnsEveryOtherDeviceOfThePactFromTheBundle) {
  PairingRun run(GenerateCode());
  for (int i = 0; i < 3; ++i)
    run.bundle.devices.push_back(PactDevice{crypto::RandomFixed<32>(), crypto::RandomFixed<32>()});
  std::sort(run.bundle.devices.begin(), run.bundle.devices.end(),
            [](const PactDevice& a, const PactDevice& b) { return a.signing < b.signing; });
  run.Go();
  ASSERT_TRUE(run.joiner.done()) << run.joiner.error().message;
  ASSERT_EQ(run.joiner.bundle().devices.size(), 3u);
  EXPECT_TRUE(SameBundle(run.joiner.bundle(), run.bundle));
}

TEST(Pairing, ABundleWithDevicesOutOfOrderOrRepeatedIsRefusedBeforeSending) {
  PactBundle bundle = MakeBundle(crypto::RandomFixed<32>());
  const PactDevice a{crypto::RandomFixed<32>(), crypto::RandomFixed<32>()};
  bundle.devices = {a, a};
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.devices = {PactDevice{}};
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.devices.assign(kMaxPactDevices + 1, a);
  EXPECT_EQ(CheckBundle(bundle).code(), ErrorCode::kInvalidArgument);
  bundle.devices = {a};
  EXPECT_TRUE(CheckBundle(bundle).ok());
}

TEST(Pairing, TheFlowHasTheDocumentedMessagesInOrder) {
  PairingRun run(GenerateCode());
  run.Go();
  ASSERT_TRUE(run.inviter.done());
  using M = proto::PairMessage;
  const std::vector<std::pair<bool, int>> expected = {
      {true, M::kHello},           {false, M::kNonce},          {true, M::kCpaceM1},
      {false, M::kCpaceM2},        {true, M::kCpaceM3},         {true, M::kNoiseHandshake},
      {false, M::kNoiseHandshake}, {true, M::kNoiseHandshake},  {true, M::kNoiseTransport},
      {false, M::kNoiseTransport}, {false, M::kNoiseTransport}, {true, M::kNoiseTransport}};
  ASSERT_EQ(run.delivered.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(run.delivered[i].to_inviter, expected[i].first) << i;
    EXPECT_EQ(KindOf(run.delivered[i].bytes), expected[i].second) << i;
  }
}

TEST(Pairing, LargeBundlesStayFarBelowTheFrameLimit) {
  std::vector<log::DeviceKey> devices;
  for (size_t i = 1; i < kMaxMemberDevices; ++i) devices.push_back(crypto::RandomFixed<32>());
  PairingCode code = GenerateCode();
  PairingRun big(code, code, devices);
  big.bundle = MakeBundle(big.inviter_id.signing.public_key(), kMaxEpochKeys);
  big.bundle.inviter_name = std::string(kMaxNameBytes, 'x');
  for (size_t i = 0; i < kMaxPactDevices; ++i)
    big.bundle.devices.push_back(PactDevice{crypto::RandomFixed<32>(), crypto::RandomFixed<32>()});
  std::sort(big.bundle.devices.begin(), big.bundle.devices.end(),
            [](const PactDevice& a, const PactDevice& b) { return a.signing < b.signing; });
  big.Go();
  ASSERT_TRUE(big.joiner.done()) << big.joiner.error().message;
  ASSERT_TRUE(big.inviter.done());
  EXPECT_EQ(big.joiner.bundle().epoch_keys.size(), kMaxEpochKeys);
  EXPECT_EQ(big.joiner.bundle().devices.size(), kMaxPactDevices);
  EXPECT_EQ(big.joiner.inviter().member_devices.size(), kMaxMemberDevices);
  for (const testing::Frame& f : big.delivered)
    EXPECT_LT(f.bytes.size(), 8192u);  // docs/pairing.md
}

TEST(Pairing, WrongCodeAbortsBothBurnsTheCodeAndNoRecordCrosses) {
  const PairingCode code = GenerateCode();
  PairingRun run(OneWordOff(code), code);
  run.Go();

  // The joiner sees the inviter's confirmation fail and stops before sending its own.
  EXPECT_TRUE(run.joiner.failed());
  ASSERT_TRUE(run.joiner_error.has_value());
  EXPECT_EQ(run.joiner_error->code, ErrorCode::kCryptoFailure);
  EXPECT_FALSE(run.joiner.done());
  EXPECT_TRUE(run.joiner.bundle().epoch_keys.empty());
  EXPECT_TRUE(run.joiner.inviter().name.empty());

  // The inviter hears the connection end after M1: the code is spent.
  EXPECT_TRUE(run.inviter.failed());
  EXPECT_TRUE(run.inviter.burned());
  EXPECT_FALSE(run.inviter.awaiting_consent());
  EXPECT_TRUE(run.inviter.joiner().name.empty());

  // Nothing past CPace crossed the wire: no Noise message, no record, no key.
  for (const testing::Frame& f : run.delivered) {
    const int kind = KindOf(f.bytes);
    EXPECT_NE(kind, proto::PairMessage::kNoiseHandshake);
    EXPECT_NE(kind, proto::PairMessage::kNoiseTransport);
    EXPECT_NE(kind, proto::PairMessage::kCpaceM3);
  }
  EXPECT_TRUE(run.sent_after_failure.empty());

  // The burned inviter sends nothing more, whatever is asked of it.
  EXPECT_TRUE(run.inviter.Decline().empty());
  EXPECT_EQ(run.inviter.Consent(CloneBundle(run.bundle)).code(), ErrorCode::kRefused);
  EXPECT_EQ(run.inviter.OnMessage(run.delivered.front().bytes).code(), ErrorCode::kRefused);
}

// An attacker who guessed a wrong code and answers M2 anyway (a real M3 for its guess) gets
// a confirmation failure and burns the code; the inviter answers nothing.
TEST(Pairing, AWrongConfirmationTagBurnsTheCodeWithoutAReply) {
  namespace cpace = crypto::cpace;
  const PairingCode code = GenerateCode();
  const PairingCode guess = OneWordOff(code);
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});

  const Nonce nonce_a = crypto::RandomFixed<kNonceLen>();
  Result<std::vector<Bytes>> out =
      inviter.OnMessage(HelloMessage(kPairingVersion, code.nameplate, nonce_a));
  ASSERT_TRUE(out.ok() && out->size() == 1);
  Result<proto::PairMessage> nonce = ParsePairMessage(out->front());
  ASSERT_TRUE(nonce.ok() && nonce->has_nonce());
  Nonce nonce_b;
  std::copy(nonce->nonce().nonce().begin(), nonce->nonce().nonce().end(), nonce_b.begin());
  const Bytes sid = SessionId(nonce_b, nonce_a);
  const Bytes ci = ChannelIdentifier(code.nameplate);

  // The attacker's CPace run with its guess, done by hand so it can send Ta despite Tb failing.
  const cpace::Scalar ya = cpace::SampleScalar();
  const cpace::Point g = cpace::CalculateGenerator(AsBytes(guess.text), ci, sid);
  Result<cpace::Point> ya_point = cpace::ScalarMultVfy(ya, g);
  ASSERT_TRUE(ya_point.ok());
  out = inviter.OnMessage(
      CarrierMessage(Carrier::kCpaceM1, cpace::EncodeM1(cpace::CpaceM1{*ya_point, {}})));
  ASSERT_TRUE(out.ok() && out->size() == 1);
  Result<proto::PairMessage> m2 = ParsePairMessage(out->front());
  ASSERT_TRUE(m2.ok() && m2->kind_case() == proto::PairMessage::kCpaceM2);
  Result<cpace::CpaceM2> decoded = cpace::DecodeM2(AsBytes(m2->cpace_m2()));
  ASSERT_TRUE(decoded.ok());
  Result<crypto::Secret<cpace::kPointLen>> k = cpace::SharedSecret(ya, decoded->yb);
  ASSERT_TRUE(k.ok());
  const auto isk = cpace::DeriveIskInitiatorResponder(sid, *k, *ya_point, {}, decoded->yb, {});
  const auto mac_key = cpace::ConfirmationKey(sid, isk);
  EXPECT_FALSE(cpace::VerifyConfirmationTag(mac_key, decoded->yb, {}, decoded->tb))
      << "the attacker can tell its guess was wrong, and nothing more";
  const Bytes m3 = cpace::EncodeM3(cpace::CpaceM3{cpace::ConfirmationTag(mac_key, *ya_point, {})});

  out = inviter.OnMessage(CarrierMessage(Carrier::kCpaceM3, m3));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), ErrorCode::kCryptoFailure);
  EXPECT_NE(out.error().message.find("wrong code"), std::string::npos);
  EXPECT_TRUE(inviter.burned());
  EXPECT_TRUE(inviter.failed());
  EXPECT_TRUE(inviter.Decline().empty());
}

TEST(Pairing, ASecondPairHelloToTheSameInviterFails) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  PairingJoiner first(code, crypto::DeviceIdentity::Generate(), "Sam");
  PairingJoiner second(code, crypto::DeviceIdentity::Generate(), "Eve");
  Result<std::vector<Bytes>> nonce = inviter.OnMessage(first.Start().front());
  ASSERT_TRUE(nonce.ok() && nonce->size() == 1);
  Result<std::vector<Bytes>> again = inviter.OnMessage(second.Start().front());
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(inviter.failed());
  EXPECT_TRUE(inviter.burned()) << "it arrived where the one guess belongs";
  // The first joiner's M1 then finds a dead inviter.
  Result<std::vector<Bytes>> m1 = first.OnMessage(nonce->front());
  ASSERT_TRUE(m1.ok() && m1->size() == 1);
  EXPECT_EQ(inviter.OnMessage(m1->front()).code(), ErrorCode::kRefused);
  EXPECT_FALSE(inviter.done());
}

TEST(Pairing, AFinishedInviterAcceptsNoNewPairHello) {
  const PairingCode code = GenerateCode();
  PairingRun run(code);
  run.Go();
  ASSERT_TRUE(run.inviter.done());
  PairingJoiner late(code, crypto::DeviceIdentity::Generate(), "Eve");
  EXPECT_EQ(run.inviter.OnMessage(late.Start().front()).code(), ErrorCode::kRefused);
  EXPECT_TRUE(run.inviter.done()) << "a late message does not undo a finished pairing";
}

TEST(Pairing, DeclineLeavesTheJoinerWithoutABundle) {
  PairingRun run(GenerateCode());
  run.consent = false;
  run.Go();
  EXPECT_TRUE(run.inviter.declined());
  EXPECT_FALSE(run.inviter.done());
  EXPECT_FALSE(run.inviter.burned());
  EXPECT_TRUE(run.joiner.failed());
  EXPECT_TRUE(run.joiner.declined());
  EXPECT_FALSE(run.joiner.done());
  EXPECT_TRUE(run.joiner.bundle().epoch_keys.empty());
  EXPECT_TRUE(IsAllZero(run.joiner.bundle().pact));
  ASSERT_TRUE(run.joiner_error.has_value());
  EXPECT_EQ(run.joiner_error->code, ErrorCode::kRefused);
  // Records did cross (the human needed the joiner's name to decide); keys did not.
  EXPECT_EQ(run.inviter.joiner().name, "Sam");
}

TEST(Pairing, ConsentIsRefusedBeforeTheRecordsAreVerified) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  EXPECT_EQ(inviter.Consent(MakeBundle(crypto::RandomFixed<32>())).code(), ErrorCode::kRefused);
  EXPECT_FALSE(inviter.failed()) << "a caller's mistake does not kill a waiting invitation";
}

TEST(Pairing, AnInvalidBundleIsRefusedAndConsentCanBeGivenAgain) {
  PairingRun run(GenerateCode());
  // Run up to the consent question by hand, to answer it several times.
  std::deque<testing::Frame> queue;
  for (Bytes& b : run.joiner.Start()) queue.push_back({true, std::move(b)});
  while (!queue.empty()) {
    testing::Frame f = std::move(queue.front());
    queue.pop_front();
    auto out = f.to_inviter ? run.inviter.OnMessage(f.bytes) : run.joiner.OnMessage(f.bytes);
    ASSERT_TRUE(out.ok()) << out.error().message;
    for (Bytes& b : *out) queue.push_back({!f.to_inviter, std::move(b)});
  }
  ASSERT_TRUE(run.inviter.awaiting_consent());

  PactBundle no_keys = MakeBundle(run.inviter_id.signing.public_key(), 0);
  EXPECT_EQ(run.inviter.Consent(std::move(no_keys)).code(), ErrorCode::kInvalidArgument);
  PactBundle bad_name = MakeBundle(run.inviter_id.signing.public_key());
  bad_name.inviter_name = "bell\x07";
  EXPECT_EQ(run.inviter.Consent(std::move(bad_name)).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(run.inviter.awaiting_consent());

  Result<std::vector<Bytes>> sent = run.inviter.Consent(CloneBundle(run.bundle));
  ASSERT_TRUE(sent.ok() && sent->size() == 1);
  Result<std::vector<Bytes>> ack = run.joiner.OnMessage(sent->front());
  ASSERT_TRUE(ack.ok() && ack->size() == 1);
  ASSERT_TRUE(run.inviter.OnMessage(ack->front()).ok());
  EXPECT_TRUE(run.inviter.done());
  EXPECT_TRUE(SameBundle(run.joiner.bundle(), run.bundle));
}

TEST(Pairing, TheConnectionEndingAfterM1BurnsTheCodeButNotBefore) {
  const PairingCode code = GenerateCode();
  {
    PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
    PairingJoiner joiner(code, crypto::DeviceIdentity::Generate(), "Sam");
    Result<std::vector<Bytes>> nonce = inviter.OnMessage(joiner.Start().front());
    ASSERT_TRUE(nonce.ok());
    inviter.ConnectionEnded();
    EXPECT_TRUE(inviter.failed());
    EXPECT_FALSE(inviter.burned()) << "no guess was made";
  }
  {
    PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
    PairingJoiner joiner(code, crypto::DeviceIdentity::Generate(), "Sam");
    Result<std::vector<Bytes>> nonce = inviter.OnMessage(joiner.Start().front());
    ASSERT_TRUE(nonce.ok());
    Result<std::vector<Bytes>> m1 = joiner.OnMessage(nonce->front());
    ASSERT_TRUE(m1.ok());
    ASSERT_TRUE(inviter.OnMessage(m1->front()).ok());
    inviter.ConnectionEnded();
    EXPECT_TRUE(inviter.burned()) << "the joiner may have learnt whether its guess was right";
  }
}

TEST(Pairing, AHelloForAnotherNameplateOrVersionIsRefusedWithoutBurning) {
  const PairingCode code = Code("7-crossbow-meadow-ember");
  for (auto [version, nameplate] : {std::pair<uint32_t, uint32_t>{1, 8}, {2, 7}, {0, 7}}) {
    PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
    Result<std::vector<Bytes>> out =
        inviter.OnMessage(HelloMessage(version, nameplate, crypto::RandomFixed<kNonceLen>()));
    EXPECT_FALSE(out.ok()) << version << " " << nameplate;
    EXPECT_TRUE(inviter.failed());
    EXPECT_FALSE(inviter.burned());
  }
}

TEST(Pairing, StartTwiceOrAnInvalidOwnNameFailsTheJoiner) {
  const PairingCode code = GenerateCode();
  const crypto::DeviceIdentity me = crypto::DeviceIdentity::Generate();
  PairingJoiner twice(code, me, "Sam");
  EXPECT_EQ(twice.Start().size(), 1u);
  EXPECT_TRUE(twice.Start().empty());
  EXPECT_TRUE(twice.failed());

  for (std::string name : {std::string(), std::string(kMaxNameBytes + 1, 'a'),
                           std::string("tab\there"), std::string("\xff\xfe")}) {
    PairingJoiner joiner(code, me, name);
    EXPECT_TRUE(joiner.Start().empty());
    EXPECT_TRUE(joiner.failed());
    EXPECT_EQ(joiner.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(Pairing, AnInviterWithAnInvalidNameFailsBeforeAnyGuess) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "", {});
  PairingJoiner joiner(code, crypto::DeviceIdentity::Generate(), "Sam");
  EXPECT_EQ(inviter.OnMessage(joiner.Start().front()).code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(inviter.burned());
}

TEST(Pairing, MessagesBeforeStartOrAfterTheEndAreRefused) {
  const PairingCode code = GenerateCode();
  PairingRun run(code);
  PairingJoiner unstarted(code, crypto::DeviceIdentity::Generate(), "Sam");
  run.Go();
  ASSERT_TRUE(run.joiner.done());
  EXPECT_FALSE(unstarted.OnMessage(run.delivered[1].bytes).ok());
  EXPECT_TRUE(unstarted.failed());
  EXPECT_EQ(run.joiner.OnMessage(run.delivered[1].bytes).code(), ErrorCode::kRefused);
  EXPECT_TRUE(run.joiner.done());
}

TEST(Pairing, OversizedAndGarbageMessagesFailCleanly) {
  const PairingCode code = GenerateCode();
  {
    PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
    Bytes huge(kMaxPairMessageBytes + 1, 0x0a);
    EXPECT_EQ(inviter.OnMessage(huge).code(), ErrorCode::kTooLarge);
  }
  for (size_t size : {0, 1, 2, 17, 100, 1000}) {
    for (int trial = 0; trial < 20; ++trial) {
      Bytes garbage(size);
      crypto::RandomBytes(garbage);
      PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
      EXPECT_FALSE(inviter.OnMessage(garbage).ok());
      PairingJoiner joiner(code, crypto::DeviceIdentity::Generate(), "Sam");
      joiner.Start();
      EXPECT_FALSE(joiner.OnMessage(garbage).ok());
    }
  }
}

}  // namespace
}  // namespace accord::pairing
