// PairingInviter: one hello, CPace party B, Noise responder, records, consent, the bundle.
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

std::vector<log::DeviceKey> WithOwnKey(std::vector<log::DeviceKey> devices,
                                       const log::DeviceKey& own) {
  devices.push_back(own);
  std::sort(devices.begin(), devices.end());
  devices.erase(std::unique(devices.begin(), devices.end()), devices.end());
  return devices;
}

}  // namespace

PairingInviter::PairingInviter(const PairingCode& code, const crypto::DeviceIdentity& me,
                               std::string my_name, std::vector<log::DeviceKey> my_member_devices,
                               InviteKind kind, HistoryShare history)
    : nameplate_(code.nameplate),
      prs_(code.text),
      signing_(crypto::SigningKey::FromSeed(me.signing.seed())),
      dh_(crypto::DhKeyPair::FromSecret(me.dh.secret())),
      my_name_(std::move(my_name)),
      my_member_devices_(WithOwnKey(std::move(my_member_devices), signing_.public_key())),
      kind_(kind),
      history_(kind == InviteKind::kDevice ? HistoryShare::kWhole : history) {}

PairingInviter::~PairingInviter() { crypto::Wipe(prs_); }

void PairingInviter::DropSecrets() {
  crypto::Wipe(prs_);
  cpace_.reset();
  handshake_.reset();
  transport_.reset();
}

Error PairingInviter::Fail(Error error) {
  if (phase_ != Phase::kFailed) error_ = error;
  phase_ = Phase::kFailed;
  // One guess per code: once M1 arrived, any way this ends short of done() spends the code.
  burned_ = m1_received_;
  DropSecrets();
  return error;
}

Result<std::vector<Bytes>> PairingInviter::OnMessage(ByteView message) {
  if (phase_ == Phase::kFailed || phase_ == Phase::kDone || phase_ == Phase::kDeclined) {
    return MakeError(ErrorCode::kRefused, "pairing: this pairing has already ended");
  }
  // One guess per code: whatever arrives where M1 belongs is the guess, even if malformed.
  if (phase_ == Phase::kAwaitM1) m1_received_ = true;
  Result<proto::PairMessage> parsed = ParsePairMessage(message);
  if (!parsed.ok()) return Fail(parsed.error());
  Result<std::vector<Bytes>> out = Step(*parsed);
  if (!out.ok()) return Fail(out.error());
  return out;
}

Result<std::vector<Bytes>> PairingInviter::Step(const proto::PairMessage& message) {
  switch (phase_) {
    case Phase::kAwaitHello:
      return OnHello(message);
    case Phase::kAwaitM1:
      return OnM1(message);
    case Phase::kAwaitM3:
      return OnM3(message);
    case Phase::kAwaitNoise1:
      return OnNoise1(message);
    case Phase::kAwaitNoise3:
      return OnNoise3(message);
    case Phase::kAwaitRecord:
      return OnRecord(message);
    case Phase::kAwaitAck:
      return OnAck(message);
    case Phase::kAwaitConsent:
      return Unexpected("our human's answer");
    default:
      return Unexpected("nothing");
  }
}

Result<std::vector<Bytes>> PairingInviter::OnHello(const proto::PairMessage& message) {
  if (message.kind_case() != proto::PairMessage::kHello) return Unexpected("a PairHello");
  const proto::PairHello& hello = message.hello();
  if (hello.version() != kPairingVersion) {
    return MakeError(ErrorCode::kRefused, "pairing: the joiner speaks pairing version " +
                                              std::to_string(hello.version()) + ", we speak 1");
  }
  if (hello.nameplate() != nameplate_) {
    return MakeError(ErrorCode::kRefused, "pairing: the joiner asked for another nameplate");
  }
  if (hello.nonce().size() != kNonceLen) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing: malformed PairHello");
  }
  ACCORD_RETURN_IF_ERROR(CheckName(my_name_));
  ACCORD_RETURN_IF_ERROR(CheckMemberDevices(my_member_devices_));
  Nonce nonce_a;
  std::copy(hello.nonce().begin(), hello.nonce().end(), nonce_a.begin());
  const Nonce nonce_b = crypto::RandomFixed<kNonceLen>();
  sid_ = SessionId(nonce_b, nonce_a);
  const Bytes ci = ChannelIdentifier(nameplate_);
  Result<cpace::CpaceResponder> b =
      cpace::CpaceResponder::Create(cpace::CpaceInputs{AsBytes(prs_), ci, sid_});
  crypto::Wipe(prs_);
  if (!b.ok()) return b.error();
  cpace_.emplace(std::move(*b));
  phase_ = Phase::kAwaitM1;
  return std::vector<Bytes>{NonceMessage(nonce_b)};
}

Result<std::vector<Bytes>> PairingInviter::OnM1(const proto::PairMessage& message) {
  const std::string* m1 = CarriedBytes(message, Carrier::kCpaceM1);
  if (m1 == nullptr) return Unexpected("CPace M1");
  Result<Bytes> m2 = cpace_->HandleM1(AsBytes(*m1));
  if (!m2.ok()) return m2.error();
  phase_ = Phase::kAwaitM3;
  return std::vector<Bytes>{CarrierMessage(Carrier::kCpaceM2, *m2)};
}

Result<std::vector<Bytes>> PairingInviter::OnM3(const proto::PairMessage& message) {
  const std::string* m3 = CarriedBytes(message, Carrier::kCpaceM3);
  if (m3 == nullptr) return Unexpected("CPace M3");
  if (Status confirmed = cpace_->HandleM3(AsBytes(*m3)); !confirmed.ok()) {
    if (confirmed.code() != ErrorCode::kCryptoFailure) return confirmed.error();
    return MakeError(ErrorCode::kCryptoFailure,
                     "pairing: someone tried a wrong code; the code is burned, make a new one");
  }
  Result<crypto::Secret<cpace::kPskLen>> psk = cpace_->NoisePsk();
  cpace_.reset();
  if (!psk.ok()) return psk.error();
  Result<noise::HandshakeState> hs =
      StartNoise(noise::Role::kResponder, dh_, sid_, std::move(*psk));
  if (!hs.ok()) return hs.error();
  handshake_.emplace(std::move(*hs));
  phase_ = Phase::kAwaitNoise1;
  return std::vector<Bytes>{};
}

Result<std::vector<Bytes>> PairingInviter::OnNoise1(const proto::PairMessage& message) {
  const std::string* msg1 = CarriedBytes(message, Carrier::kNoiseHandshake);
  if (msg1 == nullptr) return Unexpected("Noise message 1");
  Result<Bytes> payload = handshake_->ReadMessage(AsBytes(*msg1));
  if (!payload.ok()) return payload.error();
  if (!payload->empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing: unexpected handshake payload");
  }
  Result<Bytes> msg2 = handshake_->WriteMessage(ByteView());
  if (!msg2.ok()) return msg2.error();
  phase_ = Phase::kAwaitNoise3;
  return std::vector<Bytes>{CarrierMessage(Carrier::kNoiseHandshake, *msg2)};
}

Result<std::vector<Bytes>> PairingInviter::OnNoise3(const proto::PairMessage& message) {
  const std::string* msg3 = CarriedBytes(message, Carrier::kNoiseHandshake);
  if (msg3 == nullptr) return Unexpected("Noise message 3");
  Result<Bytes> payload = handshake_->ReadMessage(AsBytes(*msg3));
  if (!payload.ok()) return payload.error();
  if (!payload->empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "pairing: unexpected handshake payload");
  }
  if (!handshake_->IsComplete() || !handshake_->remote_static()) {
    return MakeError(ErrorCode::kInternal, "pairing: handshake did not complete");
  }
  handshake_hash_ = handshake_->GetHandshakeHash();
  peer_static_ = *handshake_->remote_static();
  Result<noise::TransportSession> transport = handshake_->Split();
  handshake_.reset();
  if (!transport.ok()) return transport.error();
  transport_.emplace(std::move(*transport));
  phase_ = Phase::kAwaitRecord;
  return std::vector<Bytes>{};
}

Result<std::vector<Bytes>> PairingInviter::OnRecord(const proto::PairMessage& message) {
  const std::string* ciphertext = CarriedBytes(message, Carrier::kNoiseTransport);
  if (ciphertext == nullptr) return Unexpected("the joiner's device record");
  Result<proto::PairSecure> secure = OpenSecure(*transport_, AsBytes(*ciphertext));
  if (!secure.ok()) return secure.error();
  if (!secure->has_record()) return Unexpected("the joiner's device record");
  Result<SignedRecord> record = RecordFromMessage(secure->record());
  if (!record.ok()) return record.error();
  if (!record->record.member_devices.empty() || record->record.kind != InviteKind::kPerson) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "pairing: a joiner sends no device list and no invitation kind");
  }
  ACCORD_RETURN_IF_ERROR(
      VerifyRecord(*record, handshake_hash_, peer_static_, signing_.public_key()));
  if (std::binary_search(my_member_devices_.begin(), my_member_devices_.end(),
                         record->record.signing)) {
    return MakeError(ErrorCode::kRefused, "pairing: the joiner is one of our own devices");
  }
  joiner_ = std::move(record->record);
  joiner_.member_devices = {joiner_.signing};
  safety_number_ = SafetyNumber(my_member_devices_, joiner_.member_devices);

  DeviceRecord mine{signing_.public_key(), dh_.public_key(), my_name_, my_member_devices_};
  mine.kind = kind_;
  mine.history = history_;
  proto::PairSecure reply = RecordMessage(SignRecord(std::move(mine), signing_, handshake_hash_));
  Result<Bytes> sealed = SealSecure(*transport_, reply);
  if (!sealed.ok()) return sealed.error();
  phase_ = Phase::kAwaitConsent;
  return std::vector<Bytes>{std::move(*sealed)};
}

Result<std::vector<Bytes>> PairingInviter::Consent(PactBundle bundle) {
  if (phase_ != Phase::kAwaitConsent) {
    return MakeError(ErrorCode::kRefused, "pairing: nobody is waiting for consent");
  }
  ACCORD_RETURN_IF_ERROR(CheckBundle(bundle));
  if (bundle.kind != kind_) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "pairing: the bundle is not of the kind this invitation announced");
  }
  if (Status s = CheckBundleHistory(bundle, history_); !s.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, s.error().message);
  }
  proto::PairSecure secure = BundleMessage(bundle);
  Result<Bytes> sealed = SealSecure(*transport_, secure);
  if (!sealed.ok()) return Fail(sealed.error());
  phase_ = Phase::kAwaitAck;
  return std::vector<Bytes>{std::move(*sealed)};
}

std::vector<Bytes> PairingInviter::Decline() {
  std::vector<Bytes> out;
  if (phase_ == Phase::kAwaitConsent) {
    proto::PairSecure secure;
    secure.mutable_decline();
    Result<Bytes> sealed = SealSecure(*transport_, secure);
    if (sealed.ok()) out.push_back(std::move(*sealed));
  }
  if (phase_ != Phase::kDone && phase_ != Phase::kFailed) phase_ = Phase::kDeclined;
  DropSecrets();
  return out;
}

void PairingInviter::ConnectionEnded() {
  if (phase_ == Phase::kDone || phase_ == Phase::kFailed || phase_ == Phase::kDeclined) return;
  Fail(MakeError(ErrorCode::kUnavailable, "pairing: the connection ended before pairing finished"));
}

Result<std::vector<Bytes>> PairingInviter::OnAck(const proto::PairMessage& message) {
  const std::string* ciphertext = CarriedBytes(message, Carrier::kNoiseTransport);
  if (ciphertext == nullptr) return Unexpected("the joiner's acknowledgement");
  Result<proto::PairSecure> secure = OpenSecure(*transport_, AsBytes(*ciphertext));
  if (!secure.ok()) return secure.error();
  if (!secure->has_ack()) return Unexpected("the joiner's acknowledgement");
  DropSecrets();
  phase_ = Phase::kDone;
  return std::vector<Bytes>{};
}

}  // namespace accord::pairing
