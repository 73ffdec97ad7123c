#include "daemon/pairing/protocol.h"

#include <string>
#include <utility>

#include "crypto/secret.h"

namespace accord::pairing {

namespace noise = crypto::noise;

Bytes ChannelIdentifier(uint32_t nameplate) {
  const std::string decimal = std::to_string(nameplate);
  return crypto::cpace::LvCat(
      {AsBytes(kCiLabel), AsBytes("joiner"), AsBytes("inviter"), AsBytes(decimal)});
}

Bytes SessionId(const Nonce& nonce_b, const Nonce& nonce_a) {
  Bytes sid(nonce_b.begin(), nonce_b.end());
  AppendBytes(sid, nonce_a);
  return sid;
}

Bytes Prologue(ByteView sid) {
  Bytes prologue(kPrologueLabel.begin(), kPrologueLabel.end());
  AppendBytes(prologue, sid);
  return prologue;
}

Bytes BindMessage(const noise::HashOutput& handshake_hash, InviteKind kind) {
  const std::string_view label = kind == InviteKind::kDevice ? kBindDeviceLabel : kBindLabel;
  Bytes message(label.begin(), label.end());
  AppendBytes(message, handshake_hash);
  return message;
}

Result<noise::HandshakeState> StartNoise(noise::Role role, const crypto::DhKeyPair& static_key,
                                         ByteView sid, crypto::Secret<crypto::cpace::kPskLen> psk) {
  noise::HandshakeConfig config;
  config.protocol_name = std::string(kNoiseProtocol);
  config.role = role;
  config.prologue = Prologue(sid);
  config.local_static = crypto::DhKeyPair::FromSecret(static_key.secret());
  config.psks.push_back(std::move(psk));
  return noise::HandshakeState::Create(std::move(config));
}

SignedRecord SignRecord(DeviceRecord record, const crypto::SigningKey& key,
                        const noise::HashOutput& handshake_hash) {
  SignedRecord out;
  out.record = std::move(record);
  out.bind_signature = key.Sign(BindMessage(handshake_hash, out.record.kind));
  return out;
}

Status VerifyRecord(const SignedRecord& signed_record, const noise::HashOutput& handshake_hash,
                    const crypto::DhPublicKey& noise_remote_static,
                    const log::DeviceKey& my_signing) {
  const DeviceRecord& r = signed_record.record;
  if (r.x25519 != noise_remote_static) {
    return MakeError(ErrorCode::kRefused,
                     "pairing: the device record's key is not the one the handshake proved");
  }
  if (r.signing == my_signing) {
    return MakeError(ErrorCode::kRefused, "pairing: the peer presented our own device key");
  }
  if (!crypto::VerifySignature(r.signing, BindMessage(handshake_hash, r.kind),
                               signed_record.bind_signature)) {
    return MakeError(ErrorCode::kBadSignature,
                     "pairing: the device record is not signed for this session");
  }
  return Status::Ok();
}

Result<Bytes> SealSecure(noise::TransportSession& transport, proto::PairSecure& secure) {
  Bytes plaintext = SerializeMessage(secure);
  WipeSecrets(secure);
  Result<Bytes> ciphertext = transport.Encrypt(plaintext);
  crypto::Wipe(plaintext);
  if (!ciphertext.ok()) return ciphertext.error();
  return CarrierMessage(Carrier::kNoiseTransport, *ciphertext);
}

Result<proto::PairSecure> OpenSecure(noise::TransportSession& transport, ByteView ciphertext) {
  Result<Bytes> plaintext = transport.Decrypt(ciphertext);
  if (!plaintext.ok()) return plaintext.error();
  Result<proto::PairSecure> secure = ParsePairSecure(*plaintext);
  crypto::Wipe(*plaintext);
  return secure;
}

}  // namespace accord::pairing
