// HandshakeState behaviour beyond the published vectors: agreement for every supported
// pattern, and failure (never a crash, never a half-open session) on every kind of bad input.
#include "crypto/noise/handshake_state.h"

#include <gtest/gtest.h>

#include "tests/crypto/noise/handshake_test_util.h"

namespace accord::crypto::noise {
namespace {

using testing::MakeConfig;
using testing::MakePair;
using testing::PartyKeys;
using testing::ProtocolName;
using testing::RunHandshake;
using testing::RunResult;

// Every interactive pattern the table supports, plus psk placements the vectors do not pin.
const char* const kPatterns[] = {"NN", "KK", "IK", "XX", "XXpsk3", "IKpsk2", "NNpsk0"};

TEST(HandshakeState, EverySupportedPatternCompletesWithMatchingState) {
  for (const char* pattern : kPatterns) {
    SCOPED_TRACE(pattern);
    PartyKeys keys;
    testing::HandshakePair pair = MakePair(pattern, keys);
    RunResult run = RunHandshake(pair);
    ASSERT_TRUE(run.status.ok()) << run.status.error().message;
    EXPECT_FALSE(run.payload_altered);
    EXPECT_EQ(pair.initiator.GetHandshakeHash(), pair.responder.GetHandshakeHash());
    Result<HandshakePattern> p = LookupPattern(pattern);
    ASSERT_TRUE(p.ok());
    if (p->UsesLocalStatic(true)) {
      ASSERT_TRUE(pair.responder.remote_static().has_value());
      EXPECT_EQ(*pair.responder.remote_static(), keys.initiator_static.public_key());
    }
    if (p->UsesLocalStatic(false)) {
      ASSERT_TRUE(pair.initiator.remote_static().has_value());
      EXPECT_EQ(*pair.initiator.remote_static(), keys.responder_static.public_key());
    }
  }
}

TEST(HandshakeState, FreshEphemeralsMakeEveryRunDifferent) {
  PartyKeys keys;
  testing::HandshakePair a = MakePair("IK", keys);
  testing::HandshakePair b = MakePair("IK", keys);
  Result<Bytes> first = a.initiator.WriteMessage({});
  Result<Bytes> second = b.initiator.WriteMessage({});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
}

// Flips one bit in every byte of every handshake message (a different bit per byte position,
// so all eight positions are covered). The handshake must fail before both sides complete;
// a message that carries a tag must fail on the very read that receives it.
TEST(HandshakeState, AFlippedBitInAnyHandshakeMessageFailsTheHandshake) {
  for (const char* pattern : kPatterns) {
    Result<HandshakePattern> p = LookupPattern(pattern);
    ASSERT_TRUE(p.ok());
    for (size_t target = 0; target < p->messages.size(); ++target) {
      PartyKeys keys;
      testing::HandshakePair probe = MakePair(pattern, keys);
      size_t length = 0;
      ASSERT_TRUE(RunHandshake(probe, [&](size_t index, Bytes& m) {
                    if (index == target) length = m.size();
                  }).status.ok());
      // Only the first message of NN and XX is sent before any key is mixed in.
      const bool authenticated =
          !(target == 0 && (std::string(pattern) == "NN" || std::string(pattern) == "XX"));
      for (size_t byte = 0; byte < length; ++byte) {
        SCOPED_TRACE(std::string(pattern) + " message " + std::to_string(target) + " byte " +
                     std::to_string(byte));
        testing::HandshakePair pair = MakePair(pattern, keys);
        RunResult run = RunHandshake(pair, [&](size_t index, Bytes& m) {
          if (index == target) m[byte] ^= static_cast<uint8_t>(1u << (byte % 8));
        });
        ASSERT_FALSE(run.status.ok());
        EXPECT_TRUE(run.failed_on_read);
        EXPECT_EQ(run.status.code(), ErrorCode::kDecryptFailed);
        EXPECT_EQ(run.failed_at_message, authenticated ? target : target + 1);
        EXPECT_FALSE(pair.initiator.IsComplete() && pair.responder.IsComplete());
      }
    }
  }
}

TEST(HandshakeState, IkResponderWithAnotherStaticKeyFailsOnTheFirstMessage) {
  PartyKeys keys;
  keys.responder_static_as_known = DhKeyPair::Generate().public_key();
  testing::HandshakePair pair = MakePair("IK", keys);
  Result<Bytes> msg1 = pair.initiator.WriteMessage(AsBytes("hello"));
  ASSERT_TRUE(msg1.ok());
  Result<Bytes> read = pair.responder.ReadMessage(*msg1);
  EXPECT_EQ(read.code(), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(pair.responder.IsDead());
  // A stranger learns nothing: the responder writes no reply.
  EXPECT_EQ(pair.responder.WriteMessage({}).code(), ErrorCode::kRefused);
}

TEST(HandshakeState, XXpsk3WithAnotherPskFailsWhenTheResponderReadsTheLastMessage) {
  PartyKeys keys;
  keys.responder_psk = Secret<kPskLen>::Random();
  testing::HandshakePair pair = MakePair("XXpsk3", keys);
  RunResult run = RunHandshake(pair);
  EXPECT_EQ(run.status.code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(run.failed_at_message, 2u);
  EXPECT_TRUE(run.failed_on_read);
  EXPECT_TRUE(pair.responder.IsDead());
  EXPECT_FALSE(pair.responder.Split().ok());
}

TEST(HandshakeState, DifferentProloguesFailTheHandshake) {
  for (const char* pattern : kPatterns) {
    PartyKeys keys;
    keys.responder_prologue = Bytes{'o', 't', 'h', 'e', 'r'};
    testing::HandshakePair pair = MakePair(pattern, keys);
    EXPECT_EQ(RunHandshake(pair).status.code(), ErrorCode::kDecryptFailed) << pattern;
  }
}

TEST(HandshakeState, MessageOverTheNoiseLimitIsRejectedBeforeReading) {
  testing::HandshakePair pair = MakePair("IK", PartyKeys());
  EXPECT_EQ(pair.responder.ReadMessage(Bytes(kMaxMessageLen + 1)).code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(pair.responder.IsDead());
}

TEST(HandshakeState, PayloadIsAcceptedUpToTheLimitAndNotOneByteMore) {
  // IK message 1 carries e (32), encrypted s (32 + 16) and the payload's tag (16).
  const size_t max_payload = kMaxMessageLen - 32 - 48 - 16;
  testing::HandshakePair ok = MakePair("IK", PartyKeys());
  Result<Bytes> msg = ok.initiator.WriteMessage(Bytes(max_payload, 0x61));
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(msg->size(), kMaxMessageLen);
  EXPECT_TRUE(ok.responder.ReadMessage(*msg).ok());

  testing::HandshakePair over = MakePair("IK", PartyKeys());
  EXPECT_EQ(over.initiator.WriteMessage(Bytes(max_payload + 1, 0x61)).code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(over.initiator.IsDead());
  testing::HandshakePair huge = MakePair("IK", PartyKeys());
  EXPECT_EQ(huge.initiator.WriteMessage(Bytes(kMaxMessageLen + 1)).code(), ErrorCode::kTooLarge);
}

// Every truncation of every message: shorter than the pattern's fixed part is
// kInvalidArgument (checked before any byte is read); longer but cut is an authentication error.
TEST(HandshakeState, TruncatedMessagesAreRejectedWithoutCrashing) {
  for (const char* pattern : kPatterns) {
    Result<HandshakePattern> p = LookupPattern(pattern);
    ASSERT_TRUE(p.ok());
    for (size_t target = 0; target < p->messages.size(); ++target) {
      PartyKeys keys;
      testing::HandshakePair probe = MakePair(pattern, keys);
      Bytes full;
      ASSERT_TRUE(RunHandshake(probe, [&](size_t index, Bytes& m) {
                    if (index == target) full = m;
                  }).status.ok());
      const size_t payload_len = std::string("payload " + std::to_string(target)).size();
      const size_t fixed_len = full.size() - payload_len;
      for (size_t len = 0; len < full.size(); ++len) {
        SCOPED_TRACE(std::string(pattern) + " message " + std::to_string(target) + " length " +
                     std::to_string(len));
        testing::HandshakePair pair = MakePair(pattern, keys);
        RunResult run = RunHandshake(pair, [&](size_t index, Bytes& m) {
          if (index == target) m.resize(len);
        });
        ASSERT_FALSE(run.status.ok());
        if (len < fixed_len) {
          EXPECT_EQ(run.status.code(), ErrorCode::kInvalidArgument);
          EXPECT_EQ(run.failed_at_message, target);
        }
      }
    }
  }
}

TEST(HandshakeState, AllZeroDhResultAbortsTheHandshake) {
  // IK: the responder's first DH (es) uses the sender's ephemeral; zeros are a small-order point.
  PartyKeys keys;
  testing::HandshakePair ik = MakePair("IK", keys);
  Result<Bytes> msg1 = ik.initiator.WriteMessage({});
  ASSERT_TRUE(msg1.ok());
  std::fill(msg1->begin(), msg1->begin() + kDhLen, 0);
  EXPECT_EQ(ik.responder.ReadMessage(*msg1).code(), ErrorCode::kCryptoFailure);
  EXPECT_TRUE(ik.responder.IsDead());

  // NN: message 1 is unauthenticated, so the bad key is found when the responder does ee.
  testing::HandshakePair nn = MakePair("NN", keys);
  ASSERT_TRUE(nn.responder.ReadMessage(Bytes(kDhLen, 0)).ok());
  EXPECT_EQ(nn.responder.WriteMessage({}).code(), ErrorCode::kCryptoFailure);
  EXPECT_TRUE(nn.responder.IsDead());
}

TEST(HandshakeState, OutOfTurnCallsAreRefusedAndKillTheHandshake) {
  testing::HandshakePair pair = MakePair("XX", PartyKeys());
  EXPECT_FALSE(pair.responder.IsMyTurnToWrite());
  EXPECT_EQ(pair.responder.WriteMessage({}).code(), ErrorCode::kRefused);
  EXPECT_TRUE(pair.responder.IsDead());
  EXPECT_EQ(pair.initiator.ReadMessage(Bytes(64)).code(), ErrorCode::kRefused);
  EXPECT_TRUE(pair.initiator.IsDead());
  EXPECT_EQ(pair.initiator.WriteMessage({}).code(), ErrorCode::kRefused);
}

TEST(HandshakeState, SplitIsOnlyAvailableOnceAfterTheLastMessage) {
  testing::HandshakePair pair = MakePair("NN", PartyKeys());
  EXPECT_EQ(pair.initiator.Split().code(), ErrorCode::kRefused);
  testing::HandshakePair done = MakePair("NN", PartyKeys());
  ASSERT_TRUE(RunHandshake(done).status.ok());
  EXPECT_TRUE(done.initiator.Split().ok());
  EXPECT_EQ(done.initiator.Split().code(), ErrorCode::kRefused);
  EXPECT_EQ(done.responder.WriteMessage({}).code(), ErrorCode::kRefused);
}

TEST(HandshakeState, CreateRejectsKeysThatDoNotFitThePattern) {
  PartyKeys keys;
  // IK initiator without the responder's static key.
  HandshakeConfig no_rs = MakeConfig("IK", Role::kInitiator, keys);
  no_rs.remote_static.reset();
  EXPECT_EQ(HandshakeState::Create(std::move(no_rs)).code(), ErrorCode::kInvalidArgument);
  // IK initiator without its own static key.
  HandshakeConfig no_s = MakeConfig("IK", Role::kInitiator, keys);
  no_s.local_static.reset();
  EXPECT_EQ(HandshakeState::Create(std::move(no_s)).code(), ErrorCode::kInvalidArgument);
  // NN does not use a static key; XX transmits the remote one.
  HandshakeConfig extra_s = MakeConfig("NN", Role::kInitiator, keys);
  extra_s.local_static = DhKeyPair::Generate();
  EXPECT_EQ(HandshakeState::Create(std::move(extra_s)).code(), ErrorCode::kInvalidArgument);
  HandshakeConfig extra_rs = MakeConfig("XX", Role::kInitiator, keys);
  extra_rs.remote_static = keys.responder_static.public_key();
  EXPECT_EQ(HandshakeState::Create(std::move(extra_rs)).code(), ErrorCode::kInvalidArgument);
  // Psk count must match the pattern.
  HandshakeConfig no_psk = MakeConfig("XXpsk3", Role::kResponder, keys);
  no_psk.psks.clear();
  EXPECT_EQ(HandshakeState::Create(std::move(no_psk)).code(), ErrorCode::kInvalidArgument);
  HandshakeConfig extra_psk = MakeConfig("XX", Role::kResponder, keys);
  extra_psk.psks.push_back(Secret<kPskLen>::Random());
  EXPECT_EQ(HandshakeState::Create(std::move(extra_psk)).code(), ErrorCode::kInvalidArgument);
  // Unsupported protocol name.
  HandshakeConfig other_suite = MakeConfig("XX", Role::kInitiator, keys);
  other_suite.protocol_name = "Noise_XX_25519_AESGCM_SHA256";
  EXPECT_EQ(HandshakeState::Create(std::move(other_suite)).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace accord::crypto::noise
