// Every case of Wycheproof's chacha20_poly1305_test.json. accord's one user of
// ChaCha20-Poly1305-IETF is the Noise CipherState (crypto/noise/cipher_state.h), whose nonce is
// 0^4 || LE64(n): a case whose 12-byte nonce has that form runs through CipherState; the others
// cannot be expressed by it (accord never sends such a nonce), and run against libsodium's
// crypto_aead_chacha20poly1305_ietf_* directly so that no case of the file goes unchecked.
// That direct use is why this test, unlike the rest of tests/, includes <sodium.h>.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <optional>

#include "crypto/noise/cipher_state.h"
#include "tests/crypto/wycheproof_file.h"

namespace accord::crypto::noise {
namespace {

using wycheproof::Case;

constexpr size_t kIetfNonceBytes = 12;  // bytes, RFC 8439 nonce

// The CipherState counter n with nonce == 0^4 || LE64(n), if the nonce has that form.
std::optional<uint64_t> WycheproofNoiseCounter(const Bytes& nonce) {
  if (nonce.size() != kIetfNonceBytes || nonce[0] || nonce[1] || nonce[2] || nonce[3]) {
    return std::nullopt;
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | nonce[4 + i];
  return n;
}

// The libsodium reference for nonces CipherState cannot express: sealed bytes, or nullopt
// when the tag does not verify.
Bytes WycheproofSodiumSeal(const Bytes& key, const Bytes& nonce, const Bytes& ad,
                           const Bytes& plaintext) {
  Bytes out(plaintext.size() + kTagLen);
  unsigned long long out_len = 0;
  EXPECT_EQ(crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                                      plaintext.size(), ad.data(), ad.size(),
                                                      nullptr, nonce.data(), key.data()),
            0);
  EXPECT_EQ(out_len, out.size());
  return out;
}
std::optional<Bytes> WycheproofSodiumOpen(const Bytes& key, const Bytes& nonce, const Bytes& ad,
                                          const Bytes& sealed) {
  if (sealed.size() < kTagLen) return std::nullopt;
  Bytes out(sealed.size() - kTagLen);
  unsigned long long out_len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, sealed.data(),
                                                sealed.size(), ad.data(), ad.size(), nonce.data(),
                                                key.data()) != 0) {
    return std::nullopt;
  }
  EXPECT_EQ(out_len, out.size());
  return out;
}

TEST(WycheproofChaCha20Poly1305, EveryCaseThroughCipherStateOrLibsodiumAsTheFileSays) {
  const wycheproof::json file = wycheproof::LoadFile("chacha20_poly1305_test.json");
  wycheproof::Tally tally;
  size_t through_cipher_state = 0;
  const size_t run = wycheproof::ForEachCase(file, [&](const Case& c) {
    const Bytes key_bytes = wycheproof::HexField(c, "key");
    ASSERT_EQ(key_bytes.size(), kCipherKeyLen) << "tcId " << c.id << ": keys are 32 bytes";
    const Secret<kCipherKeyLen> key = Secret<kCipherKeyLen>::FromBytes(key_bytes);
    const Bytes nonce = wycheproof::HexField(c, "iv");
    const Bytes ad = wycheproof::HexField(c, "aad");
    const Bytes plaintext = wycheproof::HexField(c, "msg");
    Bytes sealed = wycheproof::HexField(c, "ct");
    AppendBytes(sealed, wycheproof::HexField(c, "tag"));
    const std::optional<uint64_t> counter = WycheproofNoiseCounter(nonce);
    const bool valid = c.result == "valid";
    if (!valid && c.result != "invalid") {
      ADD_FAILURE() << "tcId " << c.id << ": unexpected result " << c.result
                    << "; decide and document what accord does with it";
      return;
    }

    if (nonce.size() != kIetfNonceBytes) {
      // CipherState's nonce is a uint64 counter: it cannot carry a nonce of another length.
      EXPECT_FALSE(valid) << "tcId " << c.id << ": a valid case has a 12-byte nonce";
      tally.InvalidRefusedByType();
      return;
    }
    if (counter.has_value()) {
      ++through_cipher_state;
      CipherState sealer(key);
      sealer.SetNonce(*counter);
      CipherState opener(key);
      opener.SetNonce(*counter);
      Result<Bytes> opened = opener.DecryptWithAd(ad, sealed);
      if (valid) {
        Result<Bytes> out = sealer.EncryptWithAd(ad, plaintext);
        ASSERT_TRUE(out.ok()) << "tcId " << c.id << ": " << out.error().message;
        EXPECT_EQ(ToHex(*out), ToHex(sealed)) << "tcId " << c.id << " " << c.flags;
        ASSERT_TRUE(opened.ok()) << "tcId " << c.id << " " << c.flags << ": "
                                 << opened.error().message;
        EXPECT_EQ(ToHex(*opened), ToHex(plaintext)) << "tcId " << c.id;
        EXPECT_EQ(opener.nonce(), *counter + 1) << "tcId " << c.id << ": n advances on success";
        tally.ValidPassed();
      } else {
        EXPECT_EQ(opened.code(), ErrorCode::kDecryptFailed) << "tcId " << c.id << " " << c.flags;
        EXPECT_EQ(opener.nonce(), *counter) << "tcId " << c.id << ": n stays on failure";
        tally.InvalidRefused();
      }
      return;
    }

    tally.NotExpressible(std::string(valid ? "valid" : "invalid") +
                         ", nonce not 0^4||LE64(n), run through libsodium directly");
    const std::optional<Bytes> opened = WycheproofSodiumOpen(key_bytes, nonce, ad, sealed);
    if (valid) {
      EXPECT_EQ(ToHex(WycheproofSodiumSeal(key_bytes, nonce, ad, plaintext)), ToHex(sealed))
          << "tcId " << c.id << " " << c.flags;
      ASSERT_TRUE(opened.has_value()) << "tcId " << c.id << " " << c.flags;
      EXPECT_EQ(ToHex(*opened), ToHex(plaintext)) << "tcId " << c.id;
      tally.ValidPassed();
    } else {
      EXPECT_FALSE(opened.has_value()) << "tcId " << c.id << " " << c.flags;
      tally.InvalidRefused();
    }
  });
  tally.Print("chacha20_poly1305_test.json", run);
  std::cout << "[wycheproof]   of them through CipherState: " << through_cipher_state << "\n";
  EXPECT_GT(through_cipher_state, 0u);
}

}  // namespace
}  // namespace accord::crypto::noise
