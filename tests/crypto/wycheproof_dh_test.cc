// Every case of Wycheproof's x25519_test.json through Dh (crypto/dh.h).
// The file has valid and acceptable cases; the acceptable ones are settled per flag below.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/dh.h"
#include "tests/crypto/wycheproof_file.h"

namespace accord::crypto {
namespace {

using wycheproof::Case;

bool WycheproofDhAllZero(const Bytes& b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

// What accord does with an "acceptable" X25519 case, by what the expected output is:
//
// - ZeroSharedSecret (always together with LowOrderPublic, sometimes SmallPublicKey,
//   NonCanonicalPublic, SpecialPublicKey, Twist): the peer's point has small order, so the
//   output is all zero whatever our secret is. libsodium's crypto_scalarmult returns -1 for a
//   blacklisted small-order point and for any all-zero output; Dh turns that into
//   kCryptoFailure. That is the right behaviour for accord: an accepted zero secret would let
//   a peer (or a forged invite) key a Noise session or a sealed epoch key with a value
//   everyone knows, and RFC 7748 §6.1 permits the check. REQUIRED: refused.
// - Twist (no zero output): the point lies on the quadratic twist. X25519 is defined there and
//   curve25519's twist is secure, so computing it leaks nothing; accord accepts, and the
//   output must be exactly the RFC's. REQUIRED: equal to "shared".
// - NonCanonicalPublic / SpecialPublicKey (no zero output): u >= p or the top bit set. RFC
//   7748 §5 masks the top bit and reduces mod p, and §7 recommends accepting; libsodium does.
//   The encoding a peer chose is bound by the Noise transcript and the pinned key bytes, so
//   accepting it gives the peer nothing. REQUIRED: equal to "shared".
// - EdgeCaseMultiplication / EdgeCaseShared / Ktv with Twist: as Twist.
// So every acceptable case is decided by one rule: refuse exactly when the output is zero.
TEST(WycheproofX25519, EveryCaseMatchesAndZeroOutputsAreRefused) {
  const wycheproof::json file = wycheproof::LoadFile("x25519_test.json");
  wycheproof::Tally tally;
  const size_t run = wycheproof::ForEachCase(file, [&](const Case& c) {
    const Bytes secret = wycheproof::HexField(c, "private");
    const std::optional<DhPublicKey> peer =
        wycheproof::AsFixed<32>(wycheproof::HexField(c, "public"));
    const Bytes expected = wycheproof::HexField(c, "shared");
    ASSERT_EQ(secret.size(), 32u) << "tcId " << c.id;
    ASSERT_TRUE(peer.has_value()) << "tcId " << c.id << ": the file's keys are all 32 bytes";

    Result<Secret<32>> shared = Dh(Secret<32>::FromBytes(secret), *peer);
    if (c.result == "valid") {
      ASSERT_TRUE(shared.ok()) << "tcId " << c.id << " " << c.flags << ": "
                               << shared.error().message;
      EXPECT_EQ(ToHex(shared->view()), ToHex(expected)) << "tcId " << c.id << " " << c.flags;
      tally.ValidPassed();
    } else if (c.result == "acceptable") {
      if (WycheproofDhAllZero(expected)) {
        EXPECT_EQ(shared.code(), ErrorCode::kCryptoFailure) << "tcId " << c.id << " " << c.flags;
        tally.Acceptable(c, "refused (kCryptoFailure, zero output)");
      } else {
        ASSERT_TRUE(shared.ok()) << "tcId " << c.id << " " << c.flags << ": "
                                 << shared.error().message;
        EXPECT_EQ(ToHex(shared->view()), ToHex(expected)) << "tcId " << c.id << " " << c.flags;
        tally.Acceptable(c, "accepted, shared secret exact");
      }
    } else if (c.result == "invalid") {
      // None in the file today; an invalid X25519 input must never yield a secret.
      EXPECT_FALSE(shared.ok()) << "tcId " << c.id << " " << c.flags;
      tally.InvalidRefused();
    } else {
      ADD_FAILURE() << "tcId " << c.id << ": unexpected result " << c.result;
    }
  });
  tally.Print("x25519_test.json", run);
}

}  // namespace
}  // namespace accord::crypto
