#include "base/frame.h"

namespace accord {

Result<uint32_t> DecodeFrameLength(const uint8_t (&header)[kFrameHeaderBytes], uint32_t max_bytes) {
  uint32_t length = GetU32Be(header);
  if (length > max_bytes) {
    return MakeError(ErrorCode::kTooLarge, "frame of " + std::to_string(length) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(max_bytes));
  }
  return length;
}

Bytes EncodeFrame(ByteView payload) {
  Bytes out;
  out.reserve(kFrameHeaderBytes + payload.size());
  AppendU32Be(out, static_cast<uint32_t>(payload.size()));
  AppendBytes(out, payload);
  return out;
}

}  // namespace accord
