// The pieces both pairing roles compute the same way: CPace inputs (CI, sid), the Noise set-up,
// the record binding, and PairSecure messages inside Noise transport messages.
// One thread at a time per session; pure apart from Noise ephemeral keys. Roles: pairing.h.
#ifndef ACCORD_DAEMON_PAIRING_PROTOCOL_H_
#define ACCORD_DAEMON_PAIRING_PROTOCOL_H_

#include <string_view>

#include "accord/pairing.pb.h"
#include "base/bytes.h"
#include "base/result.h"
#include "crypto/cpace/cpace.h"
#include "crypto/noise/handshake_state.h"
#include "crypto/sign.h"
#include "daemon/pairing/messages.h"

namespace accord::pairing {

constexpr uint32_t kPairingVersion = 1;
constexpr std::string_view kCiLabel = "accord-pair-v1";
constexpr std::string_view kNoiseProtocol = "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b";
constexpr std::string_view kPrologueLabel = "accord-pair/1";
constexpr std::string_view kBindLabel = "accord-pair-bind";
// A device invitation's record signs this label instead, so that no one can turn a person
// invitation into a device invitation (or back) without breaking the signature.
constexpr std::string_view kBindDeviceLabel = "accord-pair-bind-device";

using Nonce = FixedBytes<kNonceLen>;

// CI = lv_cat("accord-pair-v1", "joiner", "inviter", decimal nameplate): roles and application
// bound into the generator, as the draft requires for initiator-responder mode.
Bytes ChannelIdentifier(uint32_t nameplate);
// sid = nonce_B || nonce_A: fresh randomness from both parties.
Bytes SessionId(const Nonce& nonce_b, const Nonce& nonce_a);
// Noise prologue = "accord-pair/1" || sid.
Bytes Prologue(ByteView sid);
// The bytes each device signs: "accord-pair-bind" || handshake hash; for a record of kind
// kDevice (an inviter adding a device of its own member), "accord-pair-bind-device" || hash.
Bytes BindMessage(const crypto::noise::HashOutput& handshake_hash,
                  InviteKind kind = InviteKind::kPerson);

// Noise_XXpsk3 with our static key and the psk from the CPace ISK.
Result<crypto::noise::HandshakeState> StartNoise(crypto::noise::Role role,
                                                 const crypto::DhKeyPair& static_key, ByteView sid,
                                                 crypto::Secret<crypto::cpace::kPskLen> psk);

SignedRecord SignRecord(DeviceRecord record, const crypto::SigningKey& key,
                        const crypto::noise::HashOutput& handshake_hash);
// The peer's record must carry the Noise static key the handshake authenticated, a signature
// by its signing key over this session's handshake hash and its kind (BindMessage), and must
// not be our own device.
// kBadSignature for the signature, kRefused for the binding.
Status VerifyRecord(const SignedRecord& signed_record,
                    const crypto::noise::HashOutput& handshake_hash,
                    const crypto::DhPublicKey& noise_remote_static,
                    const log::DeviceKey& my_signing);

// A PairMessage{noise_transport} carrying `secure`, encrypted. Wipes the plaintext and the
// secrets in `secure`.
Result<Bytes> SealSecure(crypto::noise::TransportSession& transport, proto::PairSecure& secure);
// Decrypts and parses strictly; wipes the plaintext. The caller wipes the result's secrets.
Result<proto::PairSecure> OpenSecure(crypto::noise::TransportSession& transport,
                                     ByteView ciphertext);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_PROTOCOL_H_
