// Sealing an epoch key to one device for an EpochStart control entry (SECURITY §5.4), and
// opening it with the check that the box belongs to this pact and this epoch.
// Any thread. Which devices get a box, and when to rotate, is daemon/state/epochs.h.
#ifndef ACCORD_CRYPTO_EPOCH_SEAL_H_
#define ACCORD_CRYPTO_EPOCH_SEAL_H_

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/dh.h"
#include "crypto/secret.h"

namespace accord::crypto {

using PactIdBytes = FixedBytes<16>;

// Plaintext = pact id (16) || epoch (8, big-endian) || K (32).
constexpr size_t kEpochKeyPlaintextBytes = 16 + 8 + 32;  // bytes
// crypto_box_seal adds an ephemeral public key (32) and a MAC (16); pinned in the .cc.
constexpr size_t kSealedEpochKeyBytes = 48 + kEpochKeyPlaintextBytes;  // bytes: 104

// crypto_box_seal(pact || epoch || key) to `recipient`. kCryptoFailure for a small-order key.
Result<Bytes> SealEpochKey(const DhPublicKey& recipient, const PactIdBytes& pact, uint64_t epoch,
                           const SecretKey& key);

// Opens a box sealed by SealEpochKey and checks that it names `pact` and `epoch` (what the
// control entry's header and body say), so a box copied from another pact or epoch is
// refused. kDecryptFailed when the size is not kSealedEpochKeyBytes, the box does not open
// with `recipient`, or the embedded pact or epoch differ.
Result<SecretKey> OpenEpochKey(const DhKeyPair& recipient, const PactIdBytes& pact, uint64_t epoch,
                               ByteView sealed);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_EPOCH_SEAL_H_
