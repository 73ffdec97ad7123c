// Every case of Wycheproof's xchacha20_poly1305_test.json through SealBody/OpenBody
// (crypto/aead.h), and through UnwrapKey where the plaintext is a 32-byte key.
// The file has valid and invalid cases only.
#include <gtest/gtest.h>

#include <type_traits>

#include "crypto/aead.h"
#include "tests/crypto/wycheproof_file.h"

namespace accord::crypto {
namespace {

using wycheproof::Case;

// A nonce of any other length than 24 bytes cannot reach libsodium: the wrappers take an
// XNonce, and no byte span converts to one. Keys are SecretKey (32 bytes) the same way.
static_assert(std::is_same_v<XNonce, FixedBytes<24>>);
static_assert(!std::is_convertible_v<ByteView, XNonce>);
static_assert(
    !std::is_invocable_v<decltype(&OpenBody), const SecretKey&, ByteView, ByteView, ByteView>);

TEST(WycheproofXChaCha20Poly1305, EveryCaseSealsOpensOrIsRefusedAsTheFileSays) {
  const wycheproof::json file = wycheproof::LoadFile("xchacha20_poly1305_test.json");
  wycheproof::Tally tally;
  size_t through_unwrap = 0;
  const size_t run = wycheproof::ForEachCase(file, [&](const Case& c) {
    const Bytes key_bytes = wycheproof::HexField(c, "key");
    ASSERT_EQ(key_bytes.size(), SecretKey::size()) << "tcId " << c.id << ": keys are 32 bytes";
    const SecretKey key = SecretKey::FromBytes(key_bytes);
    const std::optional<XNonce> nonce =
        wycheproof::AsFixed<kXNonceBytes>(wycheproof::HexField(c, "iv"));
    const Bytes ad = wycheproof::HexField(c, "aad");
    const Bytes plaintext = wycheproof::HexField(c, "msg");
    Bytes sealed = wycheproof::HexField(c, "ct");
    AppendBytes(sealed, wycheproof::HexField(c, "tag"));

    // The wrapped-key form is nonce || ciphertext || tag with the purpose as associated data.
    auto unwrap = [&]() {
      Bytes wrapped(nonce->begin(), nonce->end());
      AppendBytes(wrapped, sealed);
      ++through_unwrap;
      return UnwrapKey(key, ad, wrapped);
    };

    if (c.result == "valid") {
      ASSERT_TRUE(nonce.has_value()) << "tcId " << c.id << ": a valid case has a 24-byte nonce";
      EXPECT_EQ(ToHex(SealBody(key, *nonce, ad, plaintext)), ToHex(sealed))
          << "tcId " << c.id << " " << c.flags;
      Result<Bytes> opened = OpenBody(key, *nonce, ad, sealed);
      ASSERT_TRUE(opened.ok()) << "tcId " << c.id << " " << c.flags << ": "
                               << opened.error().message;
      EXPECT_EQ(ToHex(*opened), ToHex(plaintext)) << "tcId " << c.id;
      if (plaintext.size() == SecretKey::size()) {
        Result<SecretKey> unwrapped = unwrap();
        ASSERT_TRUE(unwrapped.ok()) << "tcId " << c.id << ": " << unwrapped.error().message;
        EXPECT_EQ(ToHex(unwrapped->view()), ToHex(plaintext)) << "tcId " << c.id;
      }
      tally.ValidPassed();
    } else if (c.result == "invalid") {
      if (!nonce.has_value()) {
        tally.InvalidRefusedByType();
        return;
      }
      Result<Bytes> opened = OpenBody(key, *nonce, ad, sealed);
      EXPECT_EQ(opened.code(), ErrorCode::kDecryptFailed) << "tcId " << c.id << " " << c.flags;
      if (plaintext.size() == SecretKey::size()) {
        EXPECT_EQ(unwrap().code(), ErrorCode::kDecryptFailed) << "tcId " << c.id;
      }
      tally.InvalidRefused();
    } else {
      ADD_FAILURE() << "tcId " << c.id << ": unexpected result " << c.result
                    << "; decide and document what accord does with it";
    }
  });
  tally.Print("xchacha20_poly1305_test.json", run);
  std::cout << "[wycheproof]   of them also through UnwrapKey (32-byte plaintext): "
            << through_unwrap << "\n";
  EXPECT_GT(through_unwrap, 0u);
}

}  // namespace
}  // namespace accord::crypto
