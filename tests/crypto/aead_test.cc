#include "crypto/aead.h"

#include <gtest/gtest.h>

#include "tests/crypto/test_hex.h"

#include <string_view>

namespace accord::crypto {
namespace {

using testing::Hex;

Bytes Counting(size_t n, uint8_t start) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(start + i);
  return b;
}

XNonce NonceOf(const Bytes& b) {
  XNonce n{};
  std::copy_n(b.begin(), std::min(n.size(), b.size()), n.begin());
  return n;
}

// draft-irtf-cfrg-xchacha-03, Appendix A.3.1 (AEAD_XChaCha20_Poly1305).
TEST(XChaCha20Poly1305, DraftVectorSealsAndOpens) {
  const SecretKey key = SecretKey::FromBytes(Counting(32, 0x80));
  const XNonce nonce = NonceOf(Counting(24, 0x40));
  const Bytes ad = Hex("50515253c0c1c2c3c4c5c6c7");
  const std::string_view plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  const std::string expected =
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a8"
      "2f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369"
      "488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49";  // tag

  const Bytes sealed = SealBody(key, nonce, ad, AsBytes(plaintext));
  EXPECT_EQ(ToHex(sealed), expected);
  Result<Bytes> opened = OpenBody(key, nonce, ad, Hex(expected));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(AsChars(*opened), plaintext);
}

struct Sealed {
  SecretKey key = SecretKey::Random();
  XNonce nonce = RandomXNonce();
  Bytes ad = Hex("0a0b0c0d0e0f");
  Bytes plaintext = Hex("706c61696e74657874");
  Bytes ciphertext = SealBody(key, nonce, ad, plaintext);
};

TEST(XChaCha20Poly1305, CiphertextIsPlaintextPlusTag) {
  Sealed s;
  EXPECT_EQ(s.ciphertext.size(), s.plaintext.size() + kAeadTagBytes);
  Result<Bytes> opened = OpenBody(s.key, s.nonce, s.ad, s.ciphertext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, s.plaintext);
}

TEST(XChaCha20Poly1305, EmptyPlaintextAndAdRoundTrip) {
  const SecretKey key = SecretKey::Random();
  const XNonce nonce = RandomXNonce();
  const Bytes sealed = SealBody(key, nonce, {}, {});
  EXPECT_EQ(sealed.size(), kAeadTagBytes);
  Result<Bytes> opened = OpenBody(key, nonce, {}, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->empty());
}

TEST(XChaCha20Poly1305, WrongKeyFails) {
  Sealed s;
  EXPECT_EQ(OpenBody(SecretKey::Random(), s.nonce, s.ad, s.ciphertext).code(),
            ErrorCode::kDecryptFailed);
}

TEST(XChaCha20Poly1305, AnyFlippedCiphertextOrTagBitFails) {
  Sealed s;
  for (size_t bit = 0; bit < s.ciphertext.size() * 8; ++bit) {
    Bytes tampered = s.ciphertext;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_EQ(OpenBody(s.key, s.nonce, s.ad, tampered).code(), ErrorCode::kDecryptFailed)
        << "bit " << bit;
  }
}

TEST(XChaCha20Poly1305, AnyFlippedAdBitFails) {
  Sealed s;
  for (size_t bit = 0; bit < s.ad.size() * 8; ++bit) {
    Bytes ad = s.ad;
    ad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_EQ(OpenBody(s.key, s.nonce, ad, s.ciphertext).code(), ErrorCode::kDecryptFailed)
        << "bit " << bit;
  }
  EXPECT_EQ(OpenBody(s.key, s.nonce, {}, s.ciphertext).code(), ErrorCode::kDecryptFailed);
}

TEST(XChaCha20Poly1305, AnyFlippedNonceBitFails) {
  Sealed s;
  for (size_t bit = 0; bit < s.nonce.size() * 8; ++bit) {
    XNonce nonce = s.nonce;
    nonce[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_EQ(OpenBody(s.key, nonce, s.ad, s.ciphertext).code(), ErrorCode::kDecryptFailed)
        << "bit " << bit;
  }
}

TEST(XChaCha20Poly1305, TruncatedCiphertextFailsWithoutCrashing) {
  Sealed s;
  for (size_t n = 0; n < s.ciphertext.size(); ++n) {
    ASSERT_EQ(OpenBody(s.key, s.nonce, s.ad, ByteView(s.ciphertext).first(n)).code(),
              ErrorCode::kDecryptFailed)
        << n;
  }
}

TEST(WrapKey, RoundTripsUnderTheSamePurpose) {
  const SecretKey storage = SecretKey::Random();
  const SecretKey epoch_key = SecretKey::Random();
  const Bytes wrapped = WrapKey(storage, AsBytes("epoch 3"), epoch_key);
  EXPECT_EQ(wrapped.size(), kXNonceBytes + 32 + kAeadTagBytes);
  Result<SecretKey> unwrapped = UnwrapKey(storage, AsBytes("epoch 3"), wrapped);
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.error().message;
  EXPECT_TRUE(unwrapped->Equals(epoch_key));
}

TEST(WrapKey, WrappingTwiceUsesFreshNonces) {
  const SecretKey storage = SecretKey::Random();
  const SecretKey key = SecretKey::Random();
  EXPECT_NE(WrapKey(storage, AsBytes("p"), key), WrapKey(storage, AsBytes("p"), key));
}

TEST(WrapKey, WrongPurposeFails) {
  const SecretKey storage = SecretKey::Random();
  const Bytes wrapped = WrapKey(storage, AsBytes("epoch 3"), SecretKey::Random());
  EXPECT_EQ(UnwrapKey(storage, AsBytes("epoch 4"), wrapped).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(UnwrapKey(storage, AsBytes("person 3"), wrapped).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(UnwrapKey(storage, {}, wrapped).code(), ErrorCode::kDecryptFailed);
}

TEST(WrapKey, WrongStorageKeyFails) {
  const Bytes wrapped = WrapKey(SecretKey::Random(), AsBytes("epoch 1"), SecretKey::Random());
  EXPECT_EQ(UnwrapKey(SecretKey::Random(), AsBytes("epoch 1"), wrapped).code(),
            ErrorCode::kDecryptFailed);
}

TEST(WrapKey, AnyFlippedByteFails) {
  const SecretKey storage = SecretKey::Random();
  const Bytes wrapped = WrapKey(storage, AsBytes("person 1"), SecretKey::Random());
  for (size_t i = 0; i < wrapped.size(); ++i) {
    Bytes tampered = wrapped;
    tampered[i] ^= 0x01;
    ASSERT_EQ(UnwrapKey(storage, AsBytes("person 1"), tampered).code(), ErrorCode::kDecryptFailed)
        << i;
  }
}

TEST(WrapKey, WrongLengthIsCorrupt) {
  const SecretKey storage = SecretKey::Random();
  Bytes wrapped = WrapKey(storage, AsBytes("epoch 1"), SecretKey::Random());
  EXPECT_EQ(UnwrapKey(storage, AsBytes("epoch 1"), ByteView(wrapped).first(71)).code(),
            ErrorCode::kCorrupt);
  wrapped.push_back(0);
  EXPECT_EQ(UnwrapKey(storage, AsBytes("epoch 1"), wrapped).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(UnwrapKey(storage, AsBytes("epoch 1"), {}).code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace accord::crypto
