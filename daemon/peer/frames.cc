#include "daemon/peer/frames.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace accord::peer {

Bytes EncodeFrame(ByteView payload) {
  assert(payload.size() <= kMaxFrameBytes);
  Bytes frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  frame.push_back(static_cast<uint8_t>(payload.size() >> 8));
  frame.push_back(static_cast<uint8_t>(payload.size() & 0xff));
  AppendBytes(frame, payload);
  return frame;
}

FrameReader::FrameReader(size_t min_frame_bytes) : min_frame_bytes_(min_frame_bytes) {
  assert(min_frame_bytes <= kMaxFrameBytes);
}

void FrameReader::Feed(ByteView bytes) {
  if (bytes.empty()) return;
  // Drop taken bytes first, so a long stream of small frames never accumulates.
  if (start_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  const size_t needed = buffer_.size() + bytes.size();
  if (needed > buffer_.capacity()) {
    // Geometric growth keeps byte-at-a-time feeding linear, but the slack is capped at one
    // frame so the allocation stays within "what was fed + kMaxFrameBytes".
    const size_t grown = std::max(needed, 2 * buffer_.capacity());
    buffer_.reserve(std::min(grown, needed + kFrameHeaderBytes + kMaxFrameBytes));
  }
  AppendBytes(buffer_, bytes);
}

void FrameReader::set_min_frame_bytes(size_t min_frame_bytes) {
  assert(min_frame_bytes <= kMaxFrameBytes);
  min_frame_bytes_ = min_frame_bytes;
}

std::optional<uint8_t> FrameReader::TakeByte() {
  if (failed_ || buffered() == 0) return std::nullopt;
  const uint8_t byte = buffer_[start_++];
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return byte;
}

Result<std::optional<Bytes>> FrameReader::Next() {
  if (failed_) {
    return MakeError(ErrorCode::kInvalidArgument, "frame: stream already failed");
  }
  if (buffered() < kFrameHeaderBytes) return std::optional<Bytes>();
  const uint8_t* head = buffer_.data() + start_;
  const size_t length = static_cast<size_t>(head[0]) << 8 | head[1];
  if (length < min_frame_bytes_) {
    failed_ = true;
    return MakeError(ErrorCode::kInvalidArgument, "frame: length " + std::to_string(length) +
                                                      " is below the minimum " +
                                                      std::to_string(min_frame_bytes_));
  }
  if (buffered() < kFrameHeaderBytes + length) return std::optional<Bytes>();
  const uint8_t* payload = head + kFrameHeaderBytes;
  Bytes out(payload, payload + length);
  start_ += kFrameHeaderBytes + length;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return std::optional<Bytes>(std::move(out));
}

}  // namespace accord::peer
