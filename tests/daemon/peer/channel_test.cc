// SecureChannel: frames in order both ways, death on the first bad frame, the frame cap.
#include "daemon/peer/channel.h"

#include <gtest/gtest.h>

#include <string>

#include "daemon/peer/frames.h"
#include "tests/daemon/peer/peer_test_util.h"

namespace accord::peer {
namespace {

using testing::ChannelPair;
using testing::Connect;

// The payload of a whole frame, as a FrameReader would hand it over.
Bytes PayloadOf(const Bytes& frame) {
  FrameReader reader(kMinTransportFrameBytes);
  reader.Feed(frame);
  Result<std::optional<Bytes>> next = reader.Next();
  if (!next.ok() || !next->has_value() || reader.buffered() != 0) std::abort();
  return **next;
}

Bytes SealOrDie(SecureChannel& channel, std::string_view text) {
  Result<Bytes> frame = channel.Seal(AsBytes(text));
  if (!frame.ok()) std::abort();
  return *frame;
}

TEST(SecureChannel, FramesTravelInOrderBothWaysThroughAFrameReader) {
  ChannelPair c = Connect();
  EXPECT_EQ(c.initiator.handshake_hash(), c.responder.handshake_hash());
  FrameReader to_responder(kMinTransportFrameBytes);
  FrameReader to_initiator(kMinTransportFrameBytes);
  for (int i = 0; i < 5; ++i) {
    const std::string up = "batch " + std::to_string(i);
    to_responder.Feed(SealOrDie(c.initiator, up));
    Result<std::optional<Bytes>> frame = to_responder.Next();
    ASSERT_TRUE(frame.ok() && frame->has_value());
    Result<Bytes> opened = c.responder.Open(**frame);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(AsChars(*opened), up);

    to_initiator.Feed(SealOrDie(c.responder, "ack " + std::to_string(i)));
    Result<std::optional<Bytes>> back = to_initiator.Next();
    ASSERT_TRUE(back.ok() && back->has_value());
    Result<Bytes> ack = c.initiator.Open(**back);
    ASSERT_TRUE(ack.ok());
    EXPECT_EQ(AsChars(*ack), "ack " + std::to_string(i));
  }
  EXPECT_EQ(c.initiator.sealed(), 5u);
  EXPECT_EQ(c.responder.opened(), 5u);
  EXPECT_FALSE(c.initiator.dead());
  EXPECT_FALSE(c.responder.dead());
}

TEST(SecureChannel, SealedFrameIsALengthPrefixedCiphertextThatHidesThePlaintext) {
  ChannelPair c = Connect();
  const std::string text = "a need, in plain words";
  const Bytes frame = SealOrDie(c.initiator, text);
  ASSERT_EQ(frame.size(), kFrameHeaderBytes + kPaddingBlock + 16);  // padded, then the tag
  EXPECT_EQ(size_t{frame[0]} << 8 | frame[1], kPaddingBlock + 16);
  EXPECT_FALSE(testing::Contains(frame, AsBytes("need")));
}

TEST(SecureChannel, PlaintextsInOneBucketMakeFramesOfOneLength) {
  ChannelPair c = Connect();
  const size_t shortest = SealOrDie(c.initiator, "ok").size();
  EXPECT_EQ(SealOrDie(c.initiator, std::string(kPaddingBlock - 1, 'x')).size(), shortest);
  EXPECT_EQ(SealOrDie(c.initiator, std::string(kPaddingBlock, 'x')).size(),
            shortest + kPaddingBlock);
  // And the receiver gets exactly what was sent back, without the padding.
  c = Connect();
  for (size_t n : {size_t{0}, size_t{1}, kPaddingBlock - 1, kPaddingBlock, size_t{1000}}) {
    const std::string text(n, '\x80');
    Result<Bytes> opened = c.responder.Open(PayloadOf(SealOrDie(c.initiator, text)));
    ASSERT_TRUE(opened.ok()) << n;
    EXPECT_EQ(*opened, Bytes(text.begin(), text.end())) << n;
  }
}

TEST(SecureChannel, AnAuthenticFrameWithBadPaddingKillsTheChannel) {
  testing::SessionPair s = testing::Handshake();
  SecureChannel responder(std::move(s.responder));
  // The raw session seals without padding: authentic, but no correct peer sends it.
  Result<Bytes> unpadded = s.initiator.Encrypt(Bytes(kPaddingBlock, 0x00));
  ASSERT_TRUE(unpadded.ok());
  EXPECT_EQ(responder.Open(*unpadded).code(), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(responder.dead());
}

TEST(SecureChannel, AnyFlippedBitKillsTheChannelAndLaterValidFramesAreRefused) {
  const size_t payload_bits = (kPaddingBlock + 16) * 8;  // "hello" padded, and the tag
  for (size_t bit = 0; bit < payload_bits; ++bit) {
    ChannelPair c = Connect();
    const Bytes first = PayloadOf(SealOrDie(c.initiator, "hello"));
    const Bytes second = PayloadOf(SealOrDie(c.initiator, "world"));
    Bytes altered = first;
    altered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_EQ(c.responder.Open(altered).code(), ErrorCode::kDecryptFailed) << "bit " << bit;
    EXPECT_TRUE(c.responder.dead());
    // Neither the genuine frame nor its successor is accepted afterwards.
    EXPECT_EQ(c.responder.Open(first).code(), ErrorCode::kRefused);
    EXPECT_EQ(c.responder.Open(second).code(), ErrorCode::kRefused);
    EXPECT_EQ(c.responder.Seal(AsBytes("reply")).code(), ErrorCode::kRefused);
  }
}

TEST(SecureChannel, FlippedBitLaterInTheStreamKillsItThere) {
  ChannelPair c = Connect();
  const Bytes one = PayloadOf(SealOrDie(c.responder, "one"));
  Bytes two = PayloadOf(SealOrDie(c.responder, "two"));
  const Bytes three = PayloadOf(SealOrDie(c.responder, "three"));
  two.back() ^= 0x80;
  ASSERT_TRUE(c.initiator.Open(one).ok());
  EXPECT_EQ(c.initiator.Open(two).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(c.initiator.Open(three).code(), ErrorCode::kRefused);
  EXPECT_TRUE(c.initiator.dead());
}

TEST(SecureChannel, ReplayedFrameFailsAndKillsTheChannel) {
  ChannelPair c = Connect();
  const Bytes first = PayloadOf(SealOrDie(c.initiator, "once"));
  const Bytes second = PayloadOf(SealOrDie(c.initiator, "twice"));
  ASSERT_TRUE(c.responder.Open(first).ok());
  EXPECT_EQ(c.responder.Open(first).code(), ErrorCode::kDecryptFailed);
  EXPECT_TRUE(c.responder.dead());
  EXPECT_EQ(c.responder.Open(second).code(), ErrorCode::kRefused);
}

TEST(SecureChannel, ReorderedFramesFail) {
  ChannelPair c = Connect();
  const Bytes first = PayloadOf(SealOrDie(c.initiator, "first"));
  const Bytes second = PayloadOf(SealOrDie(c.initiator, "second"));
  EXPECT_EQ(c.responder.Open(second).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(c.responder.Open(first).code(), ErrorCode::kRefused);
}

TEST(SecureChannel, DroppedFrameMakesTheNextOneFail) {
  ChannelPair c = Connect();
  (void)SealOrDie(c.initiator, "lost on the way");
  const Bytes next = PayloadOf(SealOrDie(c.initiator, "next"));
  EXPECT_EQ(c.responder.Open(next).code(), ErrorCode::kDecryptFailed);
}

TEST(SecureChannel, FrameFromTheOtherDirectionFails) {
  ChannelPair c = Connect();
  // The initiator's own frame cannot be opened by the initiator: directions have own keys.
  const Bytes own = PayloadOf(SealOrDie(c.initiator, "mine"));
  EXPECT_EQ(c.initiator.Open(own).code(), ErrorCode::kDecryptFailed);
}

TEST(SecureChannel, TruncatedOrShortPayloadsFail) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{20}}) {
    ChannelPair c = Connect();
    const Bytes payload = PayloadOf(SealOrDie(c.initiator, "hello"));  // 21 bytes
    EXPECT_EQ(c.responder.Open(ByteView(payload).first(n)).code(), ErrorCode::kDecryptFailed) << n;
    EXPECT_TRUE(c.responder.dead());
  }
}

TEST(SecureChannel, FrameFromAnotherSessionFails) {
  ChannelPair c = Connect();
  ChannelPair other = Connect();
  const Bytes foreign = PayloadOf(SealOrDie(other.initiator, "hello"));
  EXPECT_EQ(c.responder.Open(foreign).code(), ErrorCode::kDecryptFailed);
}

TEST(SecureChannel, LargestPlaintextFillsOneFrameAndOneMoreByteIsRefused) {
  ChannelPair c = Connect();
  const Bytes largest(kMaxChannelPlaintext, 0x5a);
  Result<Bytes> frame = c.initiator.Seal(largest);
  ASSERT_TRUE(frame.ok());
  EXPECT_LE(frame->size(), kFrameHeaderBytes + kMaxFrameBytes);
  EXPECT_GT(frame->size() + kPaddingBlock, kFrameHeaderBytes + kMaxFrameBytes);  // no room for more
  Result<Bytes> opened = c.responder.Open(PayloadOf(*frame));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, largest);

  EXPECT_EQ(c.initiator.Seal(Bytes(kMaxChannelPlaintext + 1, 0)).code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(c.initiator.dead());
}

TEST(SecureChannel, FrameCapClosesTheChannelInEachDirection) {
  constexpr uint64_t cap = 3;  // frames
  ChannelPair c = Connect(cap);
  for (uint64_t i = 0; i < cap; ++i) {
    EXPECT_FALSE(c.initiator.dead());
    EXPECT_FALSE(c.responder.dead());
    Result<Bytes> opened = c.responder.Open(PayloadOf(SealOrDie(c.initiator, "x")));
    ASSERT_TRUE(opened.ok());  // the frame that reaches the cap is still delivered
  }
  // Both ends saw the cap: the sender after sealing, the receiver after opening.
  EXPECT_TRUE(c.initiator.dead());
  EXPECT_TRUE(c.responder.dead());
  EXPECT_EQ(c.initiator.Seal(AsBytes("x")).code(), ErrorCode::kRefused);
  EXPECT_EQ(c.responder.Seal(AsBytes("y")).code(), ErrorCode::kRefused);
}

TEST(SecureChannel, CapCountsEachDirectionOnItsOwn) {
  ChannelPair c = Connect(2);
  ASSERT_TRUE(c.responder.Open(PayloadOf(SealOrDie(c.initiator, "a"))).ok());
  ASSERT_TRUE(c.initiator.Open(PayloadOf(SealOrDie(c.responder, "b"))).ok());
  // One frame each way: below the cap of 2 on both counters.
  EXPECT_FALSE(c.initiator.dead());
  EXPECT_FALSE(c.responder.dead());
  ASSERT_TRUE(c.initiator.Open(PayloadOf(SealOrDie(c.responder, "c"))).ok());
  EXPECT_TRUE(c.initiator.dead());
  EXPECT_TRUE(c.responder.dead());
}

TEST(SecureChannel, DefaultCapEndsTheSessionAfterTwoToTheTwentyFrames) {
  ChannelPair c = Connect();
  for (uint64_t i = 0; i + 1 < kMaxFramesPerSession; ++i) {
    if (!c.initiator.Seal(ByteView()).ok()) FAIL() << "frame " << i << " refused";
  }
  EXPECT_FALSE(c.initiator.dead());
  EXPECT_TRUE(c.initiator.Seal(ByteView()).ok());  // frame 2^20
  EXPECT_TRUE(c.initiator.dead());
  EXPECT_EQ(c.initiator.sealed(), uint64_t{1} << 20);
  EXPECT_EQ(c.initiator.Seal(ByteView()).code(), ErrorCode::kRefused);
}

}  // namespace
}  // namespace accord::peer
