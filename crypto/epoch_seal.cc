#include "crypto/epoch_seal.h"

#include <sodium.h>

#include <algorithm>

namespace accord::crypto {
namespace {

static_assert(crypto_box_SEALBYTES == 48);
static_assert(kSealedEpochKeyBytes == crypto_box_SEALBYTES + kEpochKeyPlaintextBytes);
static_assert(SecretKey::size() == 32);

constexpr size_t kPactOffset = 0;
constexpr size_t kEpochOffset = 16;
constexpr size_t kKeyOffset = 24;

Error Refused(const char* why) { return MakeError(ErrorCode::kDecryptFailed, why); }

}  // namespace

Result<Bytes> SealEpochKey(const DhPublicKey& recipient, const PactIdBytes& pact, uint64_t epoch,
                           const SecretKey& key) {
  // Secret bytes in ordinary memory only for the call; wiped on every path.
  Bytes plaintext(kEpochKeyPlaintextBytes);
  std::copy(pact.begin(), pact.end(), plaintext.begin() + kPactOffset);
  PutU64Be(plaintext.data() + kEpochOffset, epoch);
  std::copy_n(key.data(), key.size(), plaintext.begin() + kKeyOffset);
  Result<Bytes> sealed = SealToKey(recipient, plaintext);
  Wipe(plaintext);
  return sealed;
}

Result<SecretKey> OpenEpochKey(const DhKeyPair& recipient, const PactIdBytes& pact, uint64_t epoch,
                               ByteView sealed) {
  if (sealed.size() != kSealedEpochKeyBytes) {
    return Refused("sealed epoch key has the wrong size");
  }
  Result<Bytes> plaintext = OpenSealed(recipient, sealed);
  if (!plaintext.ok()) return plaintext.error();
  Bytes& p = *plaintext;
  const bool same_pact = sodium_memcmp(p.data() + kPactOffset, pact.data(), pact.size()) == 0;
  const bool same_epoch = GetU64Be(p.data() + kEpochOffset) == epoch;
  if (!same_pact || !same_epoch) {
    Wipe(p);
    return Refused(!same_pact ? "sealed epoch key belongs to another pact"
                              : "sealed epoch key belongs to another epoch");
  }
  SecretKey key = SecretKey::FromBytes(ByteView(p.data() + kKeyOffset, SecretKey::size()));
  Wipe(p);
  return key;
}

}  // namespace accord::crypto
