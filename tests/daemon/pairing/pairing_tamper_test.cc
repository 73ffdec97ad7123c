// Active attacks on pairing: changed bytes, records bound to another session or another key,
// reflected messages.
#include <gtest/gtest.h>

#include "crypto/cpace/cpace_session.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/protocol.h"
#include "tests/daemon/pairing/pairing_harness.h"

namespace accord::pairing {
namespace {

namespace cpace = crypto::cpace;
namespace noise = crypto::noise;
using testing::PairingRun;

constexpr size_t kShortFrame = 128;  // bytes: frames up to this size get every byte tampered

std::vector<size_t> PositionsToTamper(size_t size) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < size; ++i) {
    if (size <= kShortFrame || i < 24 || i + 24 >= size || i % 7 == 0) positions.push_back(i);
  }
  return positions;
}

TEST(PairingTamper, ChangingAnySingleByteOfAnyMessageAborts) {
  const PairingCode code = GenerateCode();
  PairingRun clean(code);
  clean.Go();
  ASSERT_TRUE(clean.inviter.done());
  const size_t frames = clean.delivered.size();
  size_t bundle_frame = 0;  // the frame carrying the keys: the first inviter frame after consent
  for (size_t i = 0; i < frames; ++i) {
    if (!clean.delivered[i].to_inviter) bundle_frame = i;  // the last inviter frame
  }

  size_t runs = 0;
  for (size_t index = 0; index < frames; ++index) {
    for (size_t pos : PositionsToTamper(clean.delivered[index].bytes.size())) {
      PairingRun run(code);
      run.tamper = [&](size_t i, testing::Frame& f) {
        if (i == index) f.bytes[pos] ^= static_cast<uint8_t>(1u << (pos % 8));
      };
      run.Go();
      ++runs;
      ASSERT_FALSE(run.inviter.done()) << "frame " << index << " byte " << pos;
      ASSERT_TRUE(run.inviter.failed() || run.joiner.failed()) << "frame " << index;
      ASSERT_TRUE(run.sent_after_failure.empty());
      if (index < bundle_frame) {
        ASSERT_FALSE(run.joiner.done()) << "frame " << index << " byte " << pos;
        ASSERT_TRUE(run.joiner.bundle().epoch_keys.empty());
      }
      // Once the inviter has seen M1, any way the pairing dies spends the code.
      if (index >= 2) {
        ASSERT_TRUE(run.inviter.burned()) << "frame " << index << " byte " << pos;
      }
    }
  }
  EXPECT_EQ(frames, 12u);
  EXPECT_GT(runs, 500u);  // every byte of the nine short frames, a sample of the three long
}

TEST(PairingTamper, ReflectingTheJoinersOwnMessagesBackFails) {
  const PairingCode code = GenerateCode();
  PairingJoiner joiner(code, crypto::DeviceIdentity::Generate(), "Sam");
  const Bytes hello = joiner.Start().front();
  EXPECT_FALSE(joiner.OnMessage(hello).ok());
  EXPECT_TRUE(joiner.failed());

  // A relay that hands the joiner's M1 back where M2 belongs.
  PairingRun run(code);
  run.tamper = [&](size_t i, testing::Frame& f) {
    if (i == 3) f.bytes = run.delivered[2].bytes;  // M1 in place of M2
  };
  run.Go();
  EXPECT_TRUE(run.joiner.failed());
  EXPECT_FALSE(run.inviter.done());
  EXPECT_TRUE(run.inviter.burned());
}

// Someone who answers the joiner's hello in the inviter's place, without the code.
TEST(PairingTamper, AnImpostorInviterCannotTalkTheJoinerIntoNoise) {
  const PairingCode code = GenerateCode();
  PairingRun run(code, testing::OneWordOff(code));
  run.Go();
  EXPECT_TRUE(run.joiner.failed());
  ASSERT_TRUE(run.joiner_error.has_value());
  EXPECT_EQ(run.joiner_error->code, ErrorCode::kCryptoFailure);
  for (const testing::Frame& f : run.delivered) {
    EXPECT_NE(testing::KindOf(f.bytes), proto::PairMessage::kNoiseHandshake);
  }
}

// A joiner built by hand from the protocol pieces, so that a test can send records the real
// PairingJoiner never would.
class ManualJoiner {
 public:
  explicit ManualJoiner(PairingCode code) : code_(std::move(code)) {}

  // Runs hello, CPace and the Noise handshake against `inviter`.
  void Handshake(PairingInviter& inviter) {
    const Nonce nonce_a = crypto::RandomFixed<kNonceLen>();
    Bytes reply =
        Single(inviter.OnMessage(HelloMessage(kPairingVersion, code_.nameplate, nonce_a)));
    Result<proto::PairMessage> nonce = ParsePairMessage(reply);
    ASSERT_TRUE(nonce.ok() && nonce->has_nonce());
    Nonce nonce_b;
    std::copy(nonce->nonce().nonce().begin(), nonce->nonce().nonce().end(), nonce_b.begin());
    sid_ = SessionId(nonce_b, nonce_a);
    const Bytes ci = ChannelIdentifier(code_.nameplate);
    Result<cpace::CpaceInitiator> a =
        cpace::CpaceInitiator::Create(cpace::CpaceInputs{AsBytes(code_.text), ci, sid_}, {});
    ASSERT_TRUE(a.ok());
    reply = Single(inviter.OnMessage(CarrierMessage(Carrier::kCpaceM1, a->m1())));
    Result<proto::PairMessage> m2 = ParsePairMessage(reply);
    ASSERT_TRUE(m2.ok() && m2->kind_case() == proto::PairMessage::kCpaceM2);
    Result<Bytes> m3 = a->HandleM2(AsBytes(m2->cpace_m2()));
    ASSERT_TRUE(m3.ok());
    Result<crypto::Secret<cpace::kPskLen>> psk = a->NoisePsk();
    ASSERT_TRUE(psk.ok());
    Result<noise::HandshakeState> hs =
        StartNoise(noise::Role::kInitiator, id.dh, sid_, std::move(*psk));
    ASSERT_TRUE(hs.ok());
    Result<Bytes> msg1 = hs->WriteMessage({});
    ASSERT_TRUE(msg1.ok());
    Result<std::vector<Bytes>> none = inviter.OnMessage(CarrierMessage(Carrier::kCpaceM3, *m3));
    ASSERT_TRUE(none.ok() && none->empty());
    reply = Single(inviter.OnMessage(CarrierMessage(Carrier::kNoiseHandshake, *msg1)));
    Result<proto::PairMessage> msg2 = ParsePairMessage(reply);
    ASSERT_TRUE(msg2.ok() && msg2->kind_case() == proto::PairMessage::kNoiseHandshake);
    ASSERT_TRUE(hs->ReadMessage(AsBytes(msg2->noise_handshake())).ok());
    Result<Bytes> msg3 = hs->WriteMessage({});
    ASSERT_TRUE(msg3.ok());
    handshake_hash = hs->GetHandshakeHash();
    Result<noise::TransportSession> transport = hs->Split();
    ASSERT_TRUE(transport.ok());
    transport_.emplace(std::move(*transport));
    none = inviter.OnMessage(CarrierMessage(Carrier::kNoiseHandshake, *msg3));
    ASSERT_TRUE(none.ok() && none->empty());
  }

  // The record the real joiner would send.
  SignedRecord HonestRecord() const {
    return SignRecord(DeviceRecord{id.signing.public_key(), id.dh.public_key(), "Sam", {}},
                      id.signing, handshake_hash);
  }

  Result<std::vector<Bytes>> Send(PairingInviter& inviter, const SignedRecord& record) {
    proto::PairSecure secure = RecordMessage(record);
    Result<Bytes> sealed = SealSecure(*transport_, secure);
    if (!sealed.ok()) return sealed.error();
    return inviter.OnMessage(*sealed);
  }

  crypto::DeviceIdentity id = crypto::DeviceIdentity::Generate();
  noise::HashOutput handshake_hash{};

 private:
  static Bytes Single(Result<std::vector<Bytes>> out) {
    EXPECT_TRUE(out.ok() && out->size() == 1);
    return out.ok() && !out->empty() ? out->front() : Bytes{};
  }

  PairingCode code_;
  Bytes sid_;
  std::optional<noise::TransportSession> transport_;
};

TEST(PairingTamper, TheManualJoinersHonestRecordIsAccepted) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner joiner(code);
  ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
  Result<std::vector<Bytes>> out = joiner.Send(inviter, joiner.HonestRecord());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_TRUE(inviter.awaiting_consent());
  EXPECT_EQ(inviter.joiner().signing, joiner.id.signing.public_key());
}

TEST(PairingTamper, ARecordSignedOverAnotherSessionsHandshakeHashIsRejected) {
  // The victim pairs with inviter A; its signature there is bound to session A's hash.
  const PairingCode code_a = GenerateCode();
  PairingInviter inviter_a(code_a, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner victim(code_a);
  ASSERT_NO_FATAL_FAILURE(victim.Handshake(inviter_a));
  const SignedRecord victims_record = victim.HonestRecord();

  // An attacker who knows code B replays that signature in session B, with its own Noise key.
  const PairingCode code_b = GenerateCode();
  PairingInviter inviter_b(code_b, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner attacker(code_b);
  ASSERT_NO_FATAL_FAILURE(attacker.Handshake(inviter_b));
  ASSERT_NE(attacker.handshake_hash, victim.handshake_hash);
  SignedRecord replayed = victims_record;
  replayed.record.x25519 = attacker.id.dh.public_key();

  Result<std::vector<Bytes>> out = attacker.Send(inviter_b, replayed);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), ErrorCode::kBadSignature);
  EXPECT_FALSE(inviter_b.awaiting_consent());
  EXPECT_TRUE(inviter_b.burned());
}

TEST(PairingTamper, ARecordWhoseKeyIsNotTheHandshakesStaticKeyIsRejected) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner joiner(code);
  ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
  DeviceRecord other_key{joiner.id.signing.public_key(), crypto::RandomFixed<32>(), "Sam", {}};
  Result<std::vector<Bytes>> out =
      joiner.Send(inviter, SignRecord(other_key, joiner.id.signing, joiner.handshake_hash));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), ErrorCode::kRefused);
  EXPECT_TRUE(inviter.burned());
}

TEST(PairingTamper, ARecordSignedByAnotherKeyThanItNamesIsRejected) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner joiner(code);
  ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
  const crypto::SigningKey stranger = crypto::SigningKey::Generate();
  SignedRecord record = joiner.HonestRecord();
  record.bind_signature = stranger.Sign(BindMessage(joiner.handshake_hash));
  Result<std::vector<Bytes>> out = joiner.Send(inviter, record);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), ErrorCode::kBadSignature);
}

TEST(PairingTamper, AJoinerRecordWithADeviceListOrTheInvitersOwnKeyIsRejected) {
  const PairingCode code = GenerateCode();
  {
    PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
    ManualJoiner joiner(code);
    ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
    SignedRecord record = joiner.HonestRecord();
    record.record.member_devices = {joiner.id.signing.public_key()};
    EXPECT_EQ(joiner.Send(inviter, record).code(), ErrorCode::kInvalidArgument);
  }
  {
    const crypto::DeviceIdentity inviter_id = crypto::DeviceIdentity::Generate();
    PairingInviter inviter(code, inviter_id, "Robin", {});
    ManualJoiner joiner(code);
    ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
    // Signed by the inviter's own key (say, a record captured from the inviter itself).
    SignedRecord record = SignRecord(
        DeviceRecord{inviter_id.signing.public_key(), joiner.id.dh.public_key(), "Sam", {}},
        inviter_id.signing, joiner.handshake_hash);
    EXPECT_EQ(joiner.Send(inviter, record).code(), ErrorCode::kRefused);
  }
}

TEST(PairingTamper, AJoinerRecordThatClaimsAnInvitationKindIsRejected) {
  const PairingCode code = GenerateCode();
  PairingInviter inviter(code, crypto::DeviceIdentity::Generate(), "Robin", {});
  ManualJoiner joiner(code);
  ASSERT_NO_FATAL_FAILURE(joiner.Handshake(inviter));
  DeviceRecord record{joiner.id.signing.public_key(), joiner.id.dh.public_key(), "Sam", {}};
  record.kind = InviteKind::kDevice;  // only an inviter says what its code adds
  EXPECT_EQ(
      joiner.Send(inviter, SignRecord(record, joiner.id.signing, joiner.handshake_hash)).code(),
      ErrorCode::kInvalidArgument);
  EXPECT_TRUE(inviter.burned());
}

TEST(VerifyRecord, ChecksBindingSignatureAndOwnKey) {
  const crypto::DeviceIdentity peer = crypto::DeviceIdentity::Generate();
  const log::DeviceKey me = crypto::RandomFixed<32>();
  noise::HashOutput h;
  crypto::RandomBytes(h);
  const SignedRecord record = SignRecord(
      DeviceRecord{peer.signing.public_key(), peer.dh.public_key(), "Sam", {}}, peer.signing, h);
  EXPECT_TRUE(VerifyRecord(record, h, peer.dh.public_key(), me).ok());

  noise::HashOutput other_h = h;
  other_h[0] ^= 1;
  EXPECT_EQ(VerifyRecord(record, other_h, peer.dh.public_key(), me).code(),
            ErrorCode::kBadSignature);
  EXPECT_EQ(VerifyRecord(record, h, crypto::RandomFixed<32>(), me).code(), ErrorCode::kRefused);
  EXPECT_EQ(VerifyRecord(record, h, peer.dh.public_key(), peer.signing.public_key()).code(),
            ErrorCode::kRefused);
}

}  // namespace
}  // namespace accord::pairing
