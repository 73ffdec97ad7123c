// CipherState: counter discipline, limits and failure behaviour. Byte-exact encryption
// (nonce layout, AEAD) is pinned by the published vectors in noise_vectors_test.cc.
#include "crypto/noise/cipher_state.h"

#include <gtest/gtest.h>

namespace accord::crypto::noise {
namespace {

Secret<kCipherKeyLen> TestKey(uint8_t fill) {
  return Secret<kCipherKeyLen>::FromBytes(Bytes(kCipherKeyLen, fill));
}

TEST(CipherState, WithoutKeyDataPassesThroughAndTheCounterStays) {
  CipherState c;
  EXPECT_FALSE(c.HasKey());
  Result<Bytes> out = c.EncryptWithAd(AsBytes("ad"), AsBytes("hello"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(AsChars(*out), "hello");
  EXPECT_EQ(c.nonce(), 0u);
}

TEST(CipherState, RoundTripAdvancesBothCounters) {
  CipherState sender(TestKey(1));
  CipherState receiver(TestKey(1));
  for (int i = 0; i < 3; ++i) {
    Result<Bytes> ct = sender.EncryptWithAd(AsBytes("ad"), AsBytes("payload"));
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->size(), 7 + kTagLen);
    Result<Bytes> pt = receiver.DecryptWithAd(AsBytes("ad"), *ct);
    ASSERT_TRUE(pt.ok());
    EXPECT_EQ(AsChars(*pt), "payload");
  }
  EXPECT_EQ(sender.nonce(), 3u);
  EXPECT_EQ(receiver.nonce(), 3u);
}

TEST(CipherState, SamePlaintextUnderSuccessiveNoncesDiffers) {
  CipherState c(TestKey(2));
  Result<Bytes> a = c.EncryptWithAd({}, AsBytes("same"));
  Result<Bytes> b = c.EncryptWithAd({}, AsBytes("same"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(CipherState, WrongAssociatedDataFailsWithoutAdvancingTheCounter) {
  CipherState sender(TestKey(3));
  CipherState receiver(TestKey(3));
  Result<Bytes> ct = sender.EncryptWithAd(AsBytes("ad"), AsBytes("payload"));
  ASSERT_TRUE(ct.ok());
  Result<Bytes> bad = receiver.DecryptWithAd(AsBytes("other"), *ct);
  EXPECT_EQ(bad.code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(receiver.nonce(), 0u);
  EXPECT_TRUE(receiver.DecryptWithAd(AsBytes("ad"), *ct).ok());
}

TEST(CipherState, ReinitializingTheKeyResetsTheCounter) {
  CipherState c(TestKey(4));
  ASSERT_TRUE(c.EncryptWithAd({}, {}).ok());
  c.InitializeKey(TestKey(5));
  EXPECT_EQ(c.nonce(), 0u);
}

TEST(CipherState, ReservedNonceIsRefusedForBothDirections) {
  CipherState sender(TestKey(6));
  CipherState receiver(TestKey(6));
  sender.SetNonce(kReservedNonce - 1);
  receiver.SetNonce(kReservedNonce - 1);
  // The last usable nonce works...
  Result<Bytes> last = sender.EncryptWithAd({}, AsBytes("last"));
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(receiver.DecryptWithAd({}, *last).ok());
  // ...and 2^64-1 itself is never used.
  EXPECT_EQ(sender.EncryptWithAd({}, AsBytes("x")).code(), ErrorCode::kCryptoFailure);
  EXPECT_EQ(receiver.DecryptWithAd({}, *last).code(), ErrorCode::kCryptoFailure);
  EXPECT_EQ(sender.nonce(), kReservedNonce);
}

TEST(CipherState, PlaintextThatWouldExceedTheMessageLimitIsRefused) {
  CipherState c(TestKey(7));
  EXPECT_TRUE(c.EncryptWithAd({}, Bytes(kMaxMessageLen - kTagLen)).ok());
  EXPECT_EQ(c.EncryptWithAd({}, Bytes(kMaxMessageLen - kTagLen + 1)).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(c.nonce(), 1u);
  CipherState no_key;
  EXPECT_EQ(no_key.EncryptWithAd({}, Bytes(kMaxMessageLen + 1)).code(), ErrorCode::kTooLarge);
}

TEST(CipherState, CiphertextShorterThanATagOrOverTheLimitIsRejected) {
  CipherState c(TestKey(8));
  for (size_t len = 0; len < kTagLen; ++len) {
    EXPECT_EQ(c.DecryptWithAd({}, Bytes(len)).code(), ErrorCode::kInvalidArgument) << len;
  }
  EXPECT_EQ(c.DecryptWithAd({}, Bytes(kMaxMessageLen + 1)).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(c.nonce(), 0u);
}

}  // namespace
}  // namespace accord::crypto::noise
