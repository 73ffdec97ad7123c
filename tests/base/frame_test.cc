#include "base/frame.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(Frame, EncodedLengthDecodesBack) {
  Bytes frame = EncodeFrame(AsBytes("hello"));
  ASSERT_EQ(frame.size(), kFrameHeaderBytes + 5);
  uint8_t header[kFrameHeaderBytes] = {frame[0], frame[1], frame[2], frame[3]};
  EXPECT_EQ(DecodeFrameLength(header).value(), 5u);
}

TEST(Frame, LengthAboveTheLimitIsRefusedBeforeAllocation) {
  uint8_t header[kFrameHeaderBytes] = {0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(DecodeFrameLength(header).code(), ErrorCode::kTooLarge);
  uint8_t just_over[kFrameHeaderBytes];
  PutU32Be(just_over, kMaxIpcFrameBytes + 1);
  EXPECT_EQ(DecodeFrameLength(just_over).code(), ErrorCode::kTooLarge);
  PutU32Be(just_over, kMaxIpcFrameBytes);
  EXPECT_TRUE(DecodeFrameLength(just_over).ok());
}

TEST(Frame, ZeroLengthIsAnEmptyMessage) {
  uint8_t header[kFrameHeaderBytes] = {0, 0, 0, 0};
  EXPECT_EQ(DecodeFrameLength(header).value(), 0u);
}

}  // namespace
}  // namespace accord
