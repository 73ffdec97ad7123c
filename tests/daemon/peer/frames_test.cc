// FrameReader / EncodeFrame: u16be length framing, incremental and bounded.
#include "daemon/peer/frames.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace accord::peer {
namespace {

Bytes Pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}

// Takes every whole frame the reader has; fails the test on an error.
std::vector<Bytes> Drain(FrameReader& reader) {
  std::vector<Bytes> out;
  for (;;) {
    Result<std::optional<Bytes>> next = reader.Next();
    EXPECT_TRUE(next.ok());
    if (!next.ok() || !next->has_value()) return out;
    out.push_back(std::move(**next));
  }
}

TEST(Frames, EncodeFrameWritesTheLengthBigEndianBeforeThePayload) {
  Bytes frame = EncodeFrame(Pattern(258, 1));
  ASSERT_EQ(frame.size(), 260u);
  EXPECT_EQ(frame[0], 0x01);
  EXPECT_EQ(frame[1], 0x02);
  EXPECT_EQ(Bytes(frame.begin() + 2, frame.end()), Pattern(258, 1));
  Bytes largest = EncodeFrame(Pattern(kMaxFrameBytes, 2));
  EXPECT_EQ(largest[0], 0xff);
  EXPECT_EQ(largest[1], 0xff);
  EXPECT_EQ(largest.size(), kFrameHeaderBytes + kMaxFrameBytes);
}

TEST(Frames, FramesFedTogetherComeOutOneByOneInOrder) {
  const std::vector<Bytes> sent = {Pattern(1, 1), Pattern(16, 2), Pattern(255, 3), Pattern(256, 4),
                                   Pattern(kMaxFrameBytes, 5)};
  Bytes stream;
  for (const Bytes& p : sent) AppendBytes(stream, EncodeFrame(p));
  FrameReader reader;
  reader.Feed(stream);
  EXPECT_EQ(Drain(reader), sent);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(Frames, EmptyFrameIsAllowedOnlyWhenTheMinimumIsZero) {
  const Bytes empty = EncodeFrame(Bytes());
  FrameReader lenient(0);
  lenient.Feed(empty);
  EXPECT_EQ(Drain(lenient), std::vector<Bytes>{Bytes()});
  FrameReader strict;  // minimum 1
  strict.Feed(empty);
  EXPECT_EQ(strict.Next().code(), ErrorCode::kInvalidArgument);
}

TEST(Frames, BytesFedOneAtATimeYieldEachFrameExactlyWhenItsLastByteArrives) {
  const std::vector<Bytes> sent = {Pattern(20, 1), Pattern(1, 2), Pattern(300, 3)};
  Bytes stream;
  std::vector<size_t> frame_ends;
  for (const Bytes& p : sent) {
    AppendBytes(stream, EncodeFrame(p));
    frame_ends.push_back(stream.size());
  }
  FrameReader reader;
  std::vector<Bytes> got;
  size_t next_end = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    reader.Feed(ByteView(&stream[i], 1));
    Result<std::optional<Bytes>> next = reader.Next();
    ASSERT_TRUE(next.ok());
    const bool frame_complete = i + 1 == frame_ends[next_end];
    ASSERT_EQ(next->has_value(), frame_complete) << "at byte " << i;
    if (frame_complete) {
      got.push_back(**next);
      ++next_end;
    }
  }
  EXPECT_EQ(got, sent);
}

TEST(Frames, LengthBelowTheMinimumIsAnErrorAsSoonAsTheHeaderArrives) {
  FrameReader reader(kMinTransportFrameBytes);
  const uint8_t header[] = {0x00, 0x0f};  // 15 bytes: shorter than an AEAD tag
  reader.Feed(ByteView(header, 1));
  ASSERT_TRUE(reader.Next().ok());  // half a header: still waiting
  reader.Feed(ByteView(header + 1, 1));
  EXPECT_EQ(reader.Next().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(reader.failed());
}

TEST(Frames, ReaderStaysFailedEvenWhenValidFramesFollow) {
  FrameReader reader(kMinTransportFrameBytes);
  reader.Feed(EncodeFrame(Pattern(3, 1)));
  EXPECT_FALSE(reader.Next().ok());
  reader.Feed(EncodeFrame(Pattern(kMinTransportFrameBytes, 2)));
  EXPECT_EQ(reader.Next().code(), ErrorCode::kInvalidArgument);
}

TEST(Frames, MinimumLengthFrameIsAccepted) {
  FrameReader reader(kMinTransportFrameBytes);
  reader.Feed(EncodeFrame(Pattern(kMinTransportFrameBytes, 9)));
  EXPECT_EQ(Drain(reader), std::vector<Bytes>{Pattern(kMinTransportFrameBytes, 9)});
}

TEST(Frames, ARaisedMinimumAppliesToTheFramesThatFollow) {
  FrameReader reader(1);
  Bytes stream = EncodeFrame(Pattern(1, 4));
  AppendBytes(stream, EncodeFrame(Pattern(1, 5)));
  reader.Feed(stream);
  EXPECT_EQ(Drain(reader).size(), 1u + 1u);
  reader.Feed(EncodeFrame(Pattern(kMinTransportFrameBytes - 1, 6)));
  reader.set_min_frame_bytes(kMinTransportFrameBytes);
  EXPECT_EQ(reader.Next().code(), ErrorCode::kInvalidArgument);
}

TEST(Frames, AByteAheadOfTheFramesIsTakenAloneAndTheFramesFollowWhole) {
  FrameReader reader;
  EXPECT_FALSE(reader.TakeByte().has_value());  // nothing buffered yet
  Bytes stream = {0x01};
  AppendBytes(stream, EncodeFrame(Pattern(20, 7)));
  reader.Feed(stream);
  EXPECT_EQ(reader.TakeByte(), std::optional<uint8_t>(0x01));
  EXPECT_EQ(reader.buffered(), stream.size() - 1);
  EXPECT_EQ(Drain(reader), std::vector<Bytes>{Pattern(20, 7)});
  EXPECT_FALSE(reader.TakeByte().has_value());
}

TEST(Frames, LargestFrameIsAcceptedAndNothingIsReservedBeforeItsBytesArrive) {
  const Bytes payload = Pattern(kMaxFrameBytes, 3);
  const Bytes frame = EncodeFrame(payload);
  FrameReader reader;
  reader.Feed(ByteView(frame).first(kFrameHeaderBytes));
  Result<std::optional<Bytes>> waiting = reader.Next();
  ASSERT_TRUE(waiting.ok());
  EXPECT_FALSE(waiting->has_value());
  EXPECT_EQ(reader.buffered(), kFrameHeaderBytes);
  // The header promised 65535 bytes; the reader must not have allocated for them.
  EXPECT_LT(reader.reserved(), 1024u);

  size_t fed = kFrameHeaderBytes;
  const size_t chunk = 1000;
  while (fed < frame.size()) {
    const size_t n = std::min(chunk, frame.size() - fed);
    reader.Feed(ByteView(frame).subspan(fed, n));
    fed += n;
    EXPECT_EQ(reader.buffered(), fed);
    EXPECT_LE(reader.reserved(), fed + kFrameHeaderBytes + kMaxFrameBytes);
    if (fed < frame.size()) {
      Result<std::optional<Bytes>> next = reader.Next();
      ASSERT_TRUE(next.ok());
      EXPECT_FALSE(next->has_value());
    }
  }
  EXPECT_EQ(Drain(reader), std::vector<Bytes>{payload});
}

// A straightforward whole-buffer parse, to compare the incremental reader against.
std::vector<Bytes> ParseWhole(const Bytes& stream, size_t min_frame_bytes, bool& failed,
                              size_t& leftover) {
  std::vector<Bytes> frames;
  size_t at = 0;
  failed = false;
  while (stream.size() - at >= 2) {
    const size_t length = size_t{stream[at]} << 8 | stream[at + 1];
    if (length < min_frame_bytes) {
      failed = true;
      break;
    }
    if (stream.size() - at - 2 < length) break;
    const ByteView payload = ByteView(stream).subspan(at + 2, length);
    frames.emplace_back(payload.begin(), payload.end());
    at += 2 + length;
  }
  leftover = stream.size() - at;
  return frames;
}

TEST(Frames, GarbageInRandomChunksSplitsLikeAWholeParseAndStaysWithinWhatWasFed) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 200; ++round) {
    // Mostly well-formed frames of random (also too small) lengths, with a few random
    // bytes spliced in, so lengths are read from arbitrary places.
    Bytes stream;
    const int pieces = std::uniform_int_distribution<int>(0, 40)(rng);
    for (int p = 0; p < pieces; ++p) {
      if (rng() % 8 == 0) {
        // Zero bytes keep misaligned lengths small, so parsing goes on past the splice.
        for (uint32_t n = rng() % 5 + 1; n > 0; --n) {
          stream.push_back(rng() % 2 == 0 ? 0 : static_cast<uint8_t>(rng()));
        }
      } else {
        AppendBytes(stream, EncodeFrame(Pattern(rng() % 300, static_cast<uint8_t>(p))));
      }
    }
    const size_t min_frame = round % 2 == 0 ? 1 : kMinTransportFrameBytes;

    bool whole_failed = false;
    size_t leftover = 0;
    const std::vector<Bytes> expected = ParseWhole(stream, min_frame, whole_failed, leftover);

    FrameReader reader(min_frame);
    std::vector<Bytes> got;
    bool failed = false;
    size_t fed = 0, taken = 0;
    while (fed < stream.size() && !failed) {
      const size_t n =
          std::min(stream.size() - fed, std::uniform_int_distribution<size_t>(1, 400)(rng));
      reader.Feed(ByteView(stream).subspan(fed, n));
      fed += n;
      for (;;) {
        Result<std::optional<Bytes>> next = reader.Next();
        if (!next.ok()) {
          failed = true;
          break;
        }
        if (!next->has_value()) break;
        ASSERT_GE((*next)->size(), min_frame);
        ASSERT_LE((*next)->size(), kMaxFrameBytes);
        taken += kFrameHeaderBytes + (*next)->size();
        got.push_back(std::move(**next));
      }
      ASSERT_EQ(reader.buffered(), fed - taken);
      ASSERT_LE(reader.reserved(), fed + kFrameHeaderBytes + kMaxFrameBytes);
    }
    EXPECT_EQ(got, expected);
    EXPECT_EQ(failed, whole_failed);
    if (!failed) {
      EXPECT_EQ(reader.buffered(), leftover);
    }
  }
}

}  // namespace
}  // namespace accord::peer
