#include "crypto/noise/symmetric_state.h"

namespace accord::crypto::noise {
namespace {

// MixKey, MixKeyAndHash and Split keep only the first 32 of the 64 HKDF bytes (HASHLEN 64 >
// cipher key 32, Noise §5.2).
Secret<kCipherKeyLen> TruncateToCipherKey(const Secret<kHashLen>& hkdf_output) {
  return Secret<kCipherKeyLen>::FromBytes(hkdf_output.view().first(kCipherKeyLen));
}

}  // namespace

SymmetricState::SymmetricState(std::string_view protocol_name) {
  h_.fill(0);
  if (protocol_name.size() <= kHashLen) {
    for (size_t i = 0; i < protocol_name.size(); ++i)
      h_[i] = static_cast<uint8_t>(protocol_name[i]);
  } else {
    h_ = Hash({AsBytes(protocol_name)});
  }
  ck_ = Secret<kHashLen>::FromBytes(h_);
}

void SymmetricState::MixKey(ByteView input_key_material) {
  HkdfPair out = Hkdf2(ck_.view(), input_key_material);
  ck_ = std::move(out.first);
  cipher_.InitializeKey(TruncateToCipherKey(out.second));
}

void SymmetricState::MixHash(ByteView data) { h_ = Hash({h_, data}); }

void SymmetricState::MixKeyAndHash(ByteView input_key_material) {
  HkdfTriple out = Hkdf3(ck_.view(), input_key_material);
  ck_ = std::move(out.first);
  MixHash(out.second.view());
  cipher_.InitializeKey(TruncateToCipherKey(out.third));
}

Result<Bytes> SymmetricState::EncryptAndHash(ByteView plaintext) {
  Result<Bytes> ciphertext = cipher_.EncryptWithAd(h_, plaintext);
  if (ciphertext.ok()) MixHash(*ciphertext);
  return ciphertext;
}

Result<Bytes> SymmetricState::DecryptAndHash(ByteView ciphertext) {
  Result<Bytes> plaintext = cipher_.DecryptWithAd(h_, ciphertext);
  if (plaintext.ok()) MixHash(ciphertext);
  return plaintext;
}

std::pair<CipherState, CipherState> SymmetricState::Split() const {
  HkdfPair out = Hkdf2(ck_.view(), ByteView());
  return {CipherState(TruncateToCipherKey(out.first)),
          CipherState(TruncateToCipherKey(out.second))};
}

}  // namespace accord::crypto::noise
