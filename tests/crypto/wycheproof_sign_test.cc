// Every case of Wycheproof's ed25519_test.json through VerifySignature (crypto/sign.h).
// The file has valid and invalid cases only; no "acceptable" verdict exists for Ed25519 here.
#include <gtest/gtest.h>

#include <type_traits>

#include "crypto/sign.h"
#include "tests/crypto/wycheproof_file.h"

namespace accord::crypto {
namespace {

using wycheproof::Case;

// A signature of the wrong length (truncated, with garbage appended) cannot reach libsodium:
// VerifySignature takes exactly 64 bytes, and no byte span converts to that type.
static_assert(!std::is_convertible_v<ByteView, Signature>);
static_assert(std::is_same_v<Signature, FixedBytes<64>>);

TEST(WycheproofEd25519, EveryCaseVerifiesOrIsRefusedAsTheFileSays) {
  const wycheproof::json file = wycheproof::LoadFile("ed25519_test.json");
  wycheproof::Tally tally;
  const size_t run = wycheproof::ForEachCase(file, [&](const Case& c) {
    const std::optional<SigningPublicKey> key = wycheproof::AsFixed<32>(
        FromHex(c.group.at("publicKey").at("pk").get<std::string>()).value_or(Bytes()));
    ASSERT_TRUE(key.has_value()) << "tcId " << c.id << ": the file's keys are all 32 bytes";
    const Bytes message = wycheproof::HexField(c, "msg");
    const std::optional<Signature> signature =
        wycheproof::AsFixed<64>(wycheproof::HexField(c, "sig"));

    if (c.result == "valid") {
      ASSERT_TRUE(signature.has_value()) << "tcId " << c.id << ": a valid signature is 64 bytes";
      EXPECT_TRUE(VerifySignature(*key, message, *signature)) << "tcId " << c.id << " " << c.flags;
      tally.ValidPassed();
    } else if (c.result == "invalid") {
      if (!signature.has_value()) {
        tally.InvalidRefusedByType();
        return;
      }
      // Non-canonical S (malleability), small-order or non-canonical R, S = 0 or = L:
      // libsodium 1.0.18 rejects each of these, and VerifySignature passes its verdict on.
      EXPECT_FALSE(VerifySignature(*key, message, *signature))
          << "tcId " << c.id << " " << c.flags << ": " << c.test.value("comment", "");
      tally.InvalidRefused();
    } else {
      ADD_FAILURE() << "tcId " << c.id << ": unexpected result " << c.result
                    << "; decide and document what accord does with it";
    }
  });
  tally.Print("ed25519_test.json", run);
}

}  // namespace
}  // namespace accord::crypto
