#include "crypto/noise/handshake_pattern.h"

#include <gtest/gtest.h>

namespace accord::crypto::noise {
namespace {

using T = Token;

TEST(HandshakePattern, IkHasTheResponderStaticAsPremessageAndTwoMessages) {
  Result<HandshakePattern> p = LookupPattern("IK");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->initiator_premessage.empty());
  EXPECT_EQ(p->responder_premessage, std::vector<Token>({T::kS}));
  ASSERT_EQ(p->messages.size(), 2u);
  EXPECT_EQ(p->messages[0], std::vector<Token>({T::kE, T::kES, T::kS, T::kSS}));
  EXPECT_EQ(p->messages[1], std::vector<Token>({T::kE, T::kEE, T::kSE}));
  EXPECT_FALSE(p->IsPskHandshake());
}

TEST(HandshakePattern, Psk3ClosesTheThirdMessageOfXx) {
  Result<HandshakePattern> p = LookupPattern("XXpsk3");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->psk_count, 1);
  ASSERT_EQ(p->messages.size(), 3u);
  EXPECT_EQ(p->messages[0], std::vector<Token>({T::kE}));
  EXPECT_EQ(p->messages[2], std::vector<Token>({T::kS, T::kSE, T::kPsk}));
}

TEST(HandshakePattern, Psk0OpensTheFirstMessageAndModifiersCombine) {
  Result<HandshakePattern> p = LookupPattern("NNpsk0+psk2");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->psk_count, 2);
  EXPECT_EQ(p->messages[0], std::vector<Token>({T::kPsk, T::kE}));
  EXPECT_EQ(p->messages[1], std::vector<Token>({T::kE, T::kEE, T::kPsk}));
}

TEST(HandshakePattern, UnknownPatternsAndModifiersAreRejected) {
  for (const char* name : {"", "XY", "xx", "XXpsk4", "XXpsk", "XXpsk3+", "XX+psk3", "XXfallback",
                           "IKpsk10", "IKpsk-1", "NNpsk0+hfs"}) {
    EXPECT_EQ(LookupPattern(name).code(), ErrorCode::kInvalidArgument) << name;
  }
}

TEST(HandshakePattern, LocalStaticUseFollowsTheTokens) {
  struct Case {
    const char* name;
    bool initiator;
    bool responder;
  };
  for (const Case& c : {Case{"NN", false, false}, Case{"KK", true, true}, Case{"IK", true, true},
                        Case{"XX", true, true}}) {
    Result<HandshakePattern> p = LookupPattern(c.name);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->UsesLocalStatic(true), c.initiator) << c.name;
    EXPECT_EQ(p->UsesLocalStatic(false), c.responder) << c.name;
  }
}

TEST(HandshakePattern, OnlyTheBlake2bChaChaPoly25519SuiteIsAccepted) {
  EXPECT_TRUE(PatternFromProtocolName("Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b").ok());
  for (const char* name : {"Noise_XX_25519_ChaChaPoly_SHA256", "Noise_XX_25519_AESGCM_BLAKE2b",
                           "Noise_XX_448_ChaChaPoly_BLAKE2b", "Noise__25519_ChaChaPoly_BLAKE2b",
                           "NoiseXX_25519_ChaChaPoly_BLAKE2b", "Noise_XX_25519_ChaChaPoly_BLAKE2b ",
                           "_25519_ChaChaPoly_BLAKE2b", "Noise_"}) {
    EXPECT_EQ(PatternFromProtocolName(name).code(), ErrorCode::kInvalidArgument) << name;
  }
}

}  // namespace
}  // namespace accord::crypto::noise
