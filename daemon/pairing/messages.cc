#include "daemon/pairing/messages.h"

#include <algorithm>
#include <optional>
#include <string>
#include <type_traits>

#include "crypto/secret.h"

namespace accord::pairing {
namespace {

Error Malformed(const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "pairing: malformed " + what);
}

// Parses and insists on the canonical encoding: protobuf parsing accepts many encodings of one
// value, and an unchecked one would let a changed byte pass unnoticed.
template <typename Message>
Result<Message> ParseStrict(ByteView bytes, const char* what) {
  if (bytes.size() > kMaxPairMessageBytes) {
    return MakeError(ErrorCode::kTooLarge, std::string("pairing: oversized ") + what);
  }
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Malformed(what);
  }
  std::string again = message.SerializeAsString();
  const ByteView again_bytes = AsBytes(again);
  const bool canonical =
      std::equal(again_bytes.begin(), again_bytes.end(), bytes.begin(), bytes.end());
  crypto::Wipe(again);
  if (!canonical) {
    if constexpr (std::is_same_v<Message, proto::PairSecure>) WipeSecrets(message);
    return Malformed(what);
  }
  if (message.kind_case() == Message::KIND_NOT_SET) return Malformed(what);
  return message;
}

template <size_t N>
bool CopyFixed(const std::string& in, FixedBytes<N>& out) {
  if (in.size() != N) return false;
  std::copy(in.begin(), in.end(), out.begin());
  return true;
}

std::string AsString(ByteView bytes) { return std::string(AsChars(bytes)); }

proto::PairKind KindToProto(InviteKind kind) {
  return kind == InviteKind::kDevice ? proto::PAIR_KIND_DEVICE : proto::PAIR_KIND_PERSON;
}

std::optional<HistoryShare> HistoryFromProto(proto::PairHistory history) {
  switch (history) {
    case proto::PAIR_HISTORY_WHOLE:
      return HistoryShare::kWhole;
    case proto::PAIR_HISTORY_NONE:
      return HistoryShare::kNone;
    case proto::PAIR_HISTORY_SHARED:
      return HistoryShare::kShared;
    default:
      return std::nullopt;  // a choice this version does not know
  }
}

std::optional<InviteKind> KindFromProto(proto::PairKind kind) {
  switch (kind) {
    case proto::PAIR_KIND_PERSON:
      return InviteKind::kPerson;
    case proto::PAIR_KIND_DEVICE:
      return InviteKind::kDevice;
    default:
      return std::nullopt;  // a kind this version does not know
  }
}

void AddKeys(const std::vector<std::pair<uint64_t, crypto::SecretKey>>& keys,
             google::protobuf::RepeatedPtrField<proto::PairEpochKey>& out) {
  for (const auto& [generation, key] : keys) {
    proto::PairEpochKey* k = out.Add();
    k->set_epoch(generation);
    k->set_key(AsString(key.view()));
  }
}

bool CopyKeys(const google::protobuf::RepeatedPtrField<proto::PairEpochKey>& in,
              std::vector<std::pair<uint64_t, crypto::SecretKey>>& out) {
  for (const proto::PairEpochKey& k : in) {
    if (k.key().size() != crypto::SecretKey::size()) return false;
    out.emplace_back(k.epoch(), crypto::SecretKey::FromBytes(AsBytes(k.key())));
  }
  return true;
}

}  // namespace

Result<proto::PairMessage> ParsePairMessage(ByteView bytes) {
  return ParseStrict<proto::PairMessage>(bytes, "pairing message");
}

Result<proto::PairSecure> ParsePairSecure(ByteView bytes) {
  return ParseStrict<proto::PairSecure>(bytes, "encrypted pairing message");
}

Bytes SerializeMessage(const google::protobuf::MessageLite& message) {
  Bytes out(message.ByteSizeLong());
  message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

Bytes HelloMessage(uint32_t version, uint32_t nameplate, ByteView nonce_a) {
  proto::PairMessage message;
  proto::PairHello* hello = message.mutable_hello();
  hello->set_version(version);
  hello->set_nameplate(nameplate);
  hello->set_nonce(AsString(nonce_a));
  return SerializeMessage(message);
}

Bytes NonceMessage(ByteView nonce_b) {
  proto::PairMessage message;
  message.mutable_nonce()->set_nonce(AsString(nonce_b));
  return SerializeMessage(message);
}

Bytes CarrierMessage(Carrier carrier, ByteView bytes) {
  proto::PairMessage message;
  std::string value = AsString(bytes);
  switch (carrier) {
    case Carrier::kCpaceM1:
      message.set_cpace_m1(std::move(value));
      break;
    case Carrier::kCpaceM2:
      message.set_cpace_m2(std::move(value));
      break;
    case Carrier::kCpaceM3:
      message.set_cpace_m3(std::move(value));
      break;
    case Carrier::kNoiseHandshake:
      message.set_noise_handshake(std::move(value));
      break;
    case Carrier::kNoiseTransport:
      message.set_noise_transport(std::move(value));
      break;
  }
  return SerializeMessage(message);
}

const std::string* CarriedBytes(const proto::PairMessage& message, Carrier carrier) {
  using M = proto::PairMessage;
  switch (carrier) {
    case Carrier::kCpaceM1:
      return message.kind_case() == M::kCpaceM1 ? &message.cpace_m1() : nullptr;
    case Carrier::kCpaceM2:
      return message.kind_case() == M::kCpaceM2 ? &message.cpace_m2() : nullptr;
    case Carrier::kCpaceM3:
      return message.kind_case() == M::kCpaceM3 ? &message.cpace_m3() : nullptr;
    case Carrier::kNoiseHandshake:
      return message.kind_case() == M::kNoiseHandshake ? &message.noise_handshake() : nullptr;
    case Carrier::kNoiseTransport:
      return message.kind_case() == M::kNoiseTransport ? &message.noise_transport() : nullptr;
  }
  return nullptr;
}

proto::PairSecure RecordMessage(const SignedRecord& signed_record) {
  const DeviceRecord& r = signed_record.record;
  proto::PairSecure message;
  proto::PairDeviceRecord* out = message.mutable_record();
  out->set_signing_key(AsString(r.signing));
  out->set_x25519_key(AsString(r.x25519));
  out->set_name(r.name);
  out->set_bind_signature(AsString(signed_record.bind_signature));
  for (const log::DeviceKey& key : r.member_devices) out->add_member_devices(AsString(key));
  out->set_listen_port(r.listen_port);
  out->set_kind(KindToProto(r.kind));
  out->set_history(static_cast<proto::PairHistory>(r.history));
  return message;
}

Result<SignedRecord> RecordFromMessage(const proto::PairDeviceRecord& message) {
  SignedRecord out;
  DeviceRecord& r = out.record;
  if (!CopyFixed(message.signing_key(), r.signing) || !CopyFixed(message.x25519_key(), r.x25519) ||
      !CopyFixed(message.bind_signature(), out.bind_signature)) {
    return Malformed("device record");
  }
  if (message.member_devices_size() > static_cast<int>(kMaxMemberDevices)) {
    return Malformed("device record (too many devices)");
  }
  for (const std::string& key : message.member_devices()) {
    if (!CopyFixed(key, r.member_devices.emplace_back())) return Malformed("device record");
  }
  ACCORD_RETURN_IF_ERROR(CheckName(message.name()));
  r.name = message.name();
  if (message.listen_port() > 65535) return Malformed("device record (port)");
  r.listen_port = static_cast<uint16_t>(message.listen_port());
  std::optional<InviteKind> kind = KindFromProto(message.kind());
  if (!kind) return Malformed("device record (kind)");
  r.kind = *kind;
  std::optional<HistoryShare> history = HistoryFromProto(message.history());
  if (!history || (r.kind == InviteKind::kDevice && *history != HistoryShare::kWhole)) {
    return Malformed("device record (history)");
  }
  r.history = *history;
  return out;
}

proto::PairSecure BundleMessage(const PactBundle& bundle) {
  proto::PairSecure message;
  proto::PairBundle* out = message.mutable_bundle();
  out->set_pact_id(AsString(bundle.pact));
  AddKeys(bundle.epoch_keys, *out->mutable_epoch_keys());
  out->set_inviter_member(AsString(bundle.inviter_member));
  out->set_inviter_name(bundle.inviter_name);
  for (const PactDevice& d : bundle.devices) {
    proto::PairPactDevice* device = out->add_devices();
    device->set_signing_key(AsString(d.signing));
    device->set_x25519_key(AsString(d.x25519));
  }
  out->set_kind(KindToProto(bundle.kind));
  AddKeys(bundle.person_keys, *out->mutable_person_keys());
  for (const RestatedEntry& r : bundle.restated) {
    proto::PairRestatedEntry* entry = out->add_restated();
    entry->set_entry_id(AsString(r.id));
    entry->set_author(AsString(r.author));
    entry->set_body(AsString(r.body));
  }
  return message;
}

Result<PactBundle> BundleFromMessage(const proto::PairBundle& message) {
  PactBundle bundle;
  if (!CopyFixed(message.pact_id(), bundle.pact) ||
      !CopyFixed(message.inviter_member(), bundle.inviter_member)) {
    return Malformed("pact bundle");
  }
  if (message.epoch_keys_size() > static_cast<int>(kMaxEpochKeys)) {
    return Malformed("pact bundle (too many keys)");
  }
  if (!CopyKeys(message.epoch_keys(), bundle.epoch_keys)) return Malformed("pact bundle key");
  if (message.person_keys_size() > static_cast<int>(kMaxPersonKeys)) {
    return Malformed("pact bundle (too many person keys)");
  }
  if (!CopyKeys(message.person_keys(), bundle.person_keys)) {
    return Malformed("pact bundle person key");
  }
  std::optional<InviteKind> kind = KindFromProto(message.kind());
  if (!kind) return Malformed("pact bundle (kind)");
  bundle.kind = *kind;
  bundle.inviter_name = message.inviter_name();
  if (message.devices_size() > static_cast<int>(kMaxPactDevices)) {
    return Malformed("pact bundle (too many devices)");
  }
  for (const proto::PairPactDevice& d : message.devices()) {
    PactDevice& device = bundle.devices.emplace_back();
    if (!CopyFixed(d.signing_key(), device.signing) || !CopyFixed(d.x25519_key(), device.x25519)) {
      return Malformed("pact bundle device");
    }
  }
  if (message.restated_size() > static_cast<int>(kMaxRestatedEntries)) {
    return Malformed("pact bundle (too many restated entries)");
  }
  for (const proto::PairRestatedEntry& r : message.restated()) {
    RestatedEntry& entry = bundle.restated.emplace_back();
    if (!CopyFixed(r.entry_id(), entry.id) || !CopyFixed(r.author(), entry.author)) {
      return Malformed("pact bundle restated entry");
    }
    entry.body.assign(r.body().begin(), r.body().end());
  }
  ACCORD_RETURN_IF_ERROR(CheckBundle(bundle));
  return bundle;
}

void WipeSecrets(proto::PairSecure& message) {
  if (!message.has_bundle()) return;
  for (proto::PairEpochKey& k : *message.mutable_bundle()->mutable_epoch_keys()) {
    crypto::Wipe(*k.mutable_key());
  }
  for (proto::PairEpochKey& k : *message.mutable_bundle()->mutable_person_keys()) {
    crypto::Wipe(*k.mutable_key());
  }
}

}  // namespace accord::pairing
