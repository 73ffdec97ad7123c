// TransportSession: the two directions after Split, and death on the first bad message.
#include "crypto/noise/transport_session.h"

#include <gtest/gtest.h>

#include "tests/crypto/noise/handshake_test_util.h"

namespace accord::crypto::noise {
namespace {

struct Sessions {
  TransportSession initiator;
  TransportSession responder;
};

Sessions Connect(const char* pattern) {
  testing::HandshakePair pair = testing::MakePair(pattern, testing::PartyKeys());
  testing::RunResult run = testing::RunHandshake(pair);
  EXPECT_TRUE(run.status.ok());
  Result<TransportSession> i = pair.initiator.Split();
  Result<TransportSession> r = pair.responder.Split();
  if (!i.ok() || !r.ok()) std::abort();  // the handshake above succeeded; this is our bug
  return Sessions{std::move(i).value(), std::move(r).value()};
}

TEST(TransportSession, BothDirectionsCarryMessagesAndShareTheHandshakeHash) {
  Sessions s = Connect("IK");
  EXPECT_EQ(s.initiator.handshake_hash(), s.responder.handshake_hash());
  for (int i = 0; i < 4; ++i) {
    const std::string hello = "hello " + std::to_string(i);
    Result<Bytes> up = s.initiator.Encrypt(AsBytes(hello));
    ASSERT_TRUE(up.ok());
    Result<Bytes> got = s.responder.Decrypt(*up);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(AsChars(*got), hello);
    Result<Bytes> down = s.responder.Encrypt(AsBytes("reply"));
    ASSERT_TRUE(down.ok());
    Result<Bytes> back = s.initiator.Decrypt(*down);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(AsChars(*back), "reply");
  }
  EXPECT_EQ(s.initiator.sent_count(), 4u);
  EXPECT_EQ(s.initiator.received_count(), 4u);
}

TEST(TransportSession, DirectionsUseDifferentKeys) {
  Sessions s = Connect("XX");
  Result<Bytes> up = s.initiator.Encrypt(AsBytes("x"));
  ASSERT_TRUE(up.ok());
  // The initiator cannot read its own message: it would need the responder's receive key.
  EXPECT_EQ(s.initiator.Decrypt(*up).code(), ErrorCode::kDecryptFailed);
}

TEST(TransportSession, ReplayedMessageFailsAndKillsTheSession) {
  Sessions s = Connect("IK");
  Result<Bytes> m = s.initiator.Encrypt(AsBytes("once"));
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(s.responder.Decrypt(*m).ok());
  EXPECT_EQ(s.responder.Decrypt(*m).code(), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(s.responder.IsDead());
  // Dead means dead: even the next genuine message is refused, and so is sending.
  Result<Bytes> next = s.initiator.Encrypt(AsBytes("next"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(s.responder.Decrypt(*next).code(), ErrorCode::kRefused);
  EXPECT_EQ(s.responder.Encrypt(AsBytes("x")).code(), ErrorCode::kRefused);
}

TEST(TransportSession, OutOfOrderMessageFails) {
  Sessions s = Connect("XXpsk3");
  Result<Bytes> first = s.initiator.Encrypt(AsBytes("first"));
  Result<Bytes> second = s.initiator.Encrypt(AsBytes("second"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(s.responder.Decrypt(*second).code(), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(s.responder.IsDead());
}

TEST(TransportSession, AlteredOrTruncatedMessageFails) {
  Sessions s = Connect("IK");
  Result<Bytes> m = s.initiator.Encrypt(AsBytes("payload"));
  ASSERT_TRUE(m.ok());
  Bytes flipped = *m;
  flipped[0] ^= 0x01;
  EXPECT_EQ(s.responder.Decrypt(flipped).code(), ErrorCode::kDecryptFailed);

  Sessions t = Connect("IK");
  EXPECT_EQ(t.responder.Decrypt(Bytes(kTagLen - 1)).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(t.responder.IsDead());
}

TEST(TransportSession, PlaintextLimitIsTheNoiseLimitMinusTheTag) {
  Sessions s = Connect("NN");
  Result<Bytes> max = s.initiator.Encrypt(Bytes(kMaxTransportPlaintext, 0x5a));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size(), kMaxMessageLen);
  EXPECT_TRUE(s.responder.Decrypt(*max).ok());
  EXPECT_EQ(s.initiator.Encrypt(Bytes(kMaxTransportPlaintext + 1)).code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(s.initiator.IsDead());
  Sessions t = Connect("NN");
  EXPECT_EQ(t.responder.Decrypt(Bytes(kMaxMessageLen + 1)).code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace accord::crypto::noise
