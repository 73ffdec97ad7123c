// Noise SymmetricState (§5.2): chaining key ck, handshake hash h, and the handshake CipherState.
// One thread at a time; owned by a HandshakeState. Token order and DH choice live there.
#ifndef ACCORD_CRYPTO_NOISE_SYMMETRIC_STATE_H_
#define ACCORD_CRYPTO_NOISE_SYMMETRIC_STATE_H_

#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/noise/cipher_state.h"
#include "crypto/noise/hkdf_blake2b.h"
#include "crypto/secret.h"

namespace accord::crypto::noise {

class SymmetricState {
 public:
  // InitializeSymmetric: h = the name zero-padded to kHashLen, or HASH(name) if longer; ck = h.
  explicit SymmetricState(std::string_view protocol_name);
  SymmetricState(SymmetricState&&) = default;
  SymmetricState& operator=(SymmetricState&&) = default;

  void MixKey(ByteView input_key_material);
  void MixHash(ByteView data);
  void MixKeyAndHash(ByteView input_key_material);
  bool HasKey() const { return cipher_.HasKey(); }

  // Encrypt (or pass through before the first MixKey) with h as associated data, then hash
  // the result into h. Errors are the CipherState's.
  Result<Bytes> EncryptAndHash(ByteView plaintext);
  Result<Bytes> DecryptAndHash(ByteView ciphertext);

  // The two transport CipherStates: first for initiator -> responder, second for the reverse.
  std::pair<CipherState, CipherState> Split() const;

  const HashOutput& handshake_hash() const { return h_; }

 private:
  Secret<kHashLen> ck_;
  HashOutput h_;
  CipherState cipher_;
};

}  // namespace accord::crypto::noise

#endif  // ACCORD_CRYPTO_NOISE_SYMMETRIC_STATE_H_
