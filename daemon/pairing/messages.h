// Pairing wire messages (proto/accord/pairing.proto) to and from plain structs, parsed strictly.
// Any thread; pure. Encryption of PairSecure messages lives in protocol.h, the protocol order
// and the state machines; nothing here decides whether a message is expected.
#ifndef ACCORD_DAEMON_PAIRING_MESSAGES_H_
#define ACCORD_DAEMON_PAIRING_MESSAGES_H_

#include "accord/pairing.pb.h"
#include "base/bytes.h"
#include "base/result.h"
#include "crypto/sign.h"
#include "daemon/pairing/records.h"

namespace accord::pairing {

constexpr size_t kMaxPairMessageBytes = 16384;  // bytes, any inbound message, checked first
constexpr size_t kNonceLen = 16;                // bytes, nonce_A and nonce_B

// kTooLarge over kMaxPairMessageBytes; kInvalidArgument unless the bytes parse and
// re-serialize to exactly themselves (no unknown fields, no duplicates, minimal encodings)
// with one oneof case set.
Result<proto::PairMessage> ParsePairMessage(ByteView bytes);
Result<proto::PairSecure> ParsePairSecure(ByteView bytes);

Bytes SerializeMessage(const google::protobuf::MessageLite& message);

// The clear messages, serialized.
Bytes HelloMessage(uint32_t version, uint32_t nameplate, ByteView nonce_a);
Bytes NonceMessage(ByteView nonce_b);
// The byte strings of the CPace and Noise layers, each in its own PairMessage field.
enum class Carrier { kCpaceM1, kCpaceM2, kCpaceM3, kNoiseHandshake, kNoiseTransport };
Bytes CarrierMessage(Carrier carrier, ByteView bytes);
// The bytes of `message` if it is of that carrier kind, else nullptr.
const std::string* CarriedBytes(const proto::PairMessage& message, Carrier carrier);

struct SignedRecord {
  DeviceRecord record;
  crypto::Signature bind_signature{};
};
proto::PairSecure RecordMessage(const SignedRecord& signed_record);
// Field sizes and the name only; member_devices is decoded as sent (possibly empty).
Result<SignedRecord> RecordFromMessage(const proto::PairDeviceRecord& message);

// REQUIRES: CheckBundle(bundle) passed.
proto::PairSecure BundleMessage(const PactBundle& bundle);
// Copies the keys into SecretKeys and checks the result with CheckBundle.
Result<PactBundle> BundleFromMessage(const proto::PairBundle& message);

// Overwrites the epoch and person keys a message holds, before it is destroyed.
void WipeSecrets(proto::PairSecure& message);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_MESSAGES_H_
