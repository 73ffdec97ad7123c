// PairingJoiner: hello, CPace party A, Noise initiator, then records and the bundle.
#include <algorithm>
#include <utility>

#include "crypto/random.h"
#include "crypto/secret.h"
#include "daemon/pairing/messages.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/protocol.h"

namespace accord::pairing {

namespace cpace = crypto::cpace;
namespace noise = crypto::noise;

namespace {

Error Unexpected(const char* waiting_for) {
  return MakeError(ErrorCode::kRefused,
                   std::string("pairing: unexpected message while waiting for ") + waiting_for);
}

}  // namespace

PairingJoiner::PairingJoiner(const PairingCode& code, const crypto::DeviceIdentity& me,
                             std::string my_name)
    : nameplate_(code.nameplate),
      prs_(code.text),
      signing_(crypto::SigningKey::FromSeed(me.signing.seed())),
      dh_(crypto::DhKeyPair::FromSecret(me.dh.secret())),
      my_name_(std::move(my_name)) {}

PairingJoiner::~PairingJoiner() { crypto::Wipe(prs_); }

Error PairingJoiner::Fail(Error error) {
  if (phase_ != Phase::kFailed) error_ = error;
  phase_ = Phase::kFailed;
  crypto::Wipe(prs_);
  cpace_.reset();
  handshake_.reset();
  transport_.reset();
  return error;
}

std::vector<Bytes> PairingJoiner::Start() {
  if (phase_ != Phase::kNew) {
    Fail(MakeError(ErrorCode::kRefused, "pairing: Start called twice"));
    return {};
  }
  if (Status name = CheckName(my_name_); !name.ok()) {
    Fail(name.error());
    return {};
  }
  crypto::RandomBytes(nonce_a_);
  phase_ = Phase::kAwaitNonce;
  return {HelloMessage(kPairingVersion, nameplate_, nonce_a_)};
}

Result<std::vector<Bytes>> PairingJoiner::OnMessage(ByteView message) {
  if (phase_ == Phase::kFailed || phase_ == Phase::kDone) {
    return MakeError(ErrorCode::kRefused, "pairing: this pairing has already ended");
  }
  if (phase_ == Phase::kNew) return Fail(Unexpected("Start"));
  Result<proto::PairMessage> parsed = ParsePairMessage(message);
  if (!parsed.ok()) return Fail(parsed.error());
  Result<std::vector<Bytes>> out = Step(*parsed);
  if (!out.ok()) return Fail(out.error());
  return out;
}

Result<std::vector<Bytes>> PairingJoiner::Step(const proto::PairMessage& message) {
  switch (phase_) {
    case Phase::kAwaitNonce:
      return OnNonce(message);
    case Phase::kAwaitM2:
      return OnM2(message);
    case Phase::kAwaitNoise2:
      return OnNoise2(message);
    case Phase::kAwaitRecord:
      return OnRecord(message);
    case Phase::kAwaitBundle:
      return OnBundle(message);
    default:
      return Unexpected("nothing");
  }
}

Result<std::vector<Bytes>> PairingJoiner::OnNonce(const proto::PairMessage& message) {
  if (message.kind_case() != proto::PairMessage::kNonce) return Unexpected("the inviter's nonce");
  const std::string& nonce = message.nonce().nonce();
  if (nonce.size() != kNonceLen) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing: malformed nonce");
  }
  Nonce nonce_b;
  std::copy(nonce.begin(), nonce.end(), nonce_b.begin());
  sid_ = SessionId(nonce_b, nonce_a_);
  const Bytes ci = ChannelIdentifier(nameplate_);
  Result<cpace::CpaceInitiator> a =
      cpace::CpaceInitiator::Create(cpace::CpaceInputs{AsBytes(prs_), ci, sid_}, ByteView());
  crypto::Wipe(prs_);  // the generator holds all we need of the code from here on
  if (!a.ok()) return a.error();
  cpace_.emplace(std::move(*a));
  phase_ = Phase::kAwaitM2;
  return std::vector<Bytes>{CarrierMessage(Carrier::kCpaceM1, cpace_->m1())};
}

Result<std::vector<Bytes>> PairingJoiner::OnM2(const proto::PairMessage& message) {
  const std::string* m2 = CarriedBytes(message, Carrier::kCpaceM2);
  if (m2 == nullptr) return Unexpected("CPace M2");
  Result<Bytes> m3 = cpace_->HandleM2(AsBytes(*m2));
  if (!m3.ok()) {
    if (m3.code() != ErrorCode::kCryptoFailure) return m3.error();
    return MakeError(ErrorCode::kCryptoFailure,
                     "pairing: the inviter could not prove the same code: a mistyped or "
                     "expired code, or someone else answered; ask for a new code");
  }
  Result<crypto::Secret<cpace::kPskLen>> psk = cpace_->NoisePsk();
  cpace_.reset();
  if (!psk.ok()) return psk.error();
  Result<noise::HandshakeState> hs =
      StartNoise(noise::Role::kInitiator, dh_, sid_, std::move(*psk));
  if (!hs.ok()) return hs.error();
  handshake_.emplace(std::move(*hs));
  Result<Bytes> msg1 = handshake_->WriteMessage(ByteView());
  if (!msg1.ok()) return msg1.error();
  phase_ = Phase::kAwaitNoise2;
  return std::vector<Bytes>{CarrierMessage(Carrier::kCpaceM3, *m3),
                            CarrierMessage(Carrier::kNoiseHandshake, *msg1)};
}

Result<std::vector<Bytes>> PairingJoiner::OnNoise2(const proto::PairMessage& message) {
  const std::string* msg2 = CarriedBytes(message, Carrier::kNoiseHandshake);
  if (msg2 == nullptr) return Unexpected("Noise message 2");
  Result<Bytes> payload = handshake_->ReadMessage(AsBytes(*msg2));
  if (!payload.ok()) return payload.error();
  if (!payload->empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing: unexpected handshake payload");
  }
  Result<Bytes> msg3 = handshake_->WriteMessage(ByteView());
  if (!msg3.ok()) return msg3.error();
  if (!handshake_->IsComplete() || !handshake_->remote_static()) {
    return MakeError(ErrorCode::kInternal, "pairing: handshake did not complete");
  }
  handshake_hash_ = handshake_->GetHandshakeHash();
  peer_static_ = *handshake_->remote_static();
  Result<noise::TransportSession> transport = handshake_->Split();
  handshake_.reset();
  if (!transport.ok()) return transport.error();
  transport_.emplace(std::move(*transport));

  DeviceRecord mine{signing_.public_key(), dh_.public_key(), my_name_, {}, listen_port_};
  proto::PairSecure record = RecordMessage(SignRecord(std::move(mine), signing_, handshake_hash_));
  Result<Bytes> sealed = SealSecure(*transport_, record);
  if (!sealed.ok()) return sealed.error();
  phase_ = Phase::kAwaitRecord;
  return std::vector<Bytes>{CarrierMessage(Carrier::kNoiseHandshake, *msg3), std::move(*sealed)};
}

Result<std::vector<Bytes>> PairingJoiner::OnRecord(const proto::PairMessage& message) {
  const std::string* ciphertext = CarriedBytes(message, Carrier::kNoiseTransport);
  if (ciphertext == nullptr) return Unexpected("the inviter's device record");
  Result<proto::PairSecure> secure = OpenSecure(*transport_, AsBytes(*ciphertext));
  if (!secure.ok()) return secure.error();
  if (!secure->has_record()) return Unexpected("the inviter's device record");
  Result<SignedRecord> record = RecordFromMessage(secure->record());
  if (!record.ok()) return record.error();
  ACCORD_RETURN_IF_ERROR(
      VerifyRecord(*record, handshake_hash_, peer_static_, signing_.public_key()));
  const std::vector<log::DeviceKey>& devices = record->record.member_devices;
  ACCORD_RETURN_IF_ERROR(CheckMemberDevices(devices));
  if (!std::binary_search(devices.begin(), devices.end(), record->record.signing) ||
      std::binary_search(devices.begin(), devices.end(), signing_.public_key())) {
    return MakeError(ErrorCode::kRefused,
                     "pairing: the inviter's device list does not match its record");
  }
  inviter_ = std::move(record->record);
  safety_number_ = SafetyNumber(inviter_.member_devices, {signing_.public_key()});
  phase_ = Phase::kAwaitBundle;
  return std::vector<Bytes>{};
}

Result<std::vector<Bytes>> PairingJoiner::OnBundle(const proto::PairMessage& message) {
  const std::string* ciphertext = CarriedBytes(message, Carrier::kNoiseTransport);
  if (ciphertext == nullptr) return Unexpected("the pact bundle");
  Result<proto::PairSecure> opened = OpenSecure(*transport_, AsBytes(*ciphertext));
  if (!opened.ok()) return opened.error();
  proto::PairSecure secure = std::move(*opened);
  if (secure.has_decline()) {
    declined_ = true;
    return MakeError(ErrorCode::kRefused, "pairing: the inviter declined; nothing was shared");
  }
  if (!secure.has_bundle()) return Unexpected("the pact bundle");
  Result<PactBundle> bundle = BundleFromMessage(secure.bundle());
  WipeSecrets(secure);
  if (!bundle.ok()) return bundle.error();
  // The kind the inviter signed in its record is the kind the bundle must be.
  if (bundle->kind != inviter_.kind) {
    return MakeError(ErrorCode::kRefused,
                     "pairing: the bundle is not of the kind the inviter's record announced");
  }
  ACCORD_RETURN_IF_ERROR(CheckBundleHistory(*bundle, inviter_.history));
  bundle_ = std::move(*bundle);

  proto::PairSecure ack;
  ack.mutable_ack();
  Result<Bytes> sealed = SealSecure(*transport_, ack);
  if (!sealed.ok()) return sealed.error();
  transport_.reset();
  phase_ = Phase::kDone;
  return std::vector<Bytes>{std::move(*sealed)};
}

}  // namespace accord::pairing
