// Length-prefixed frames for the local socket: u32 big-endian length, then that many bytes.
// The length is checked against a hard maximum before anything is allocated. Pure.
#ifndef ACCORD_BASE_FRAME_H_
#define ACCORD_BASE_FRAME_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"

namespace accord {

constexpr size_t kFrameHeaderBytes = 4;            // bytes, u32 big-endian length
constexpr uint32_t kMaxIpcFrameBytes = 16u << 20;  // bytes, checked before allocation
// Request.protocol: what both programs speak; accordd refuses a request with another.
constexpr uint32_t kIpcProtocolVersion = 1;

// kTooLarge for a length above `max_bytes`. Zero is valid: an empty protobuf message.
Result<uint32_t> DecodeFrameLength(const uint8_t (&header)[kFrameHeaderBytes],
                                   uint32_t max_bytes = kMaxIpcFrameBytes);

// REQUIRES: payload.size() <= kMaxIpcFrameBytes
Bytes EncodeFrame(ByteView payload);

}  // namespace accord

#endif  // ACCORD_BASE_FRAME_H_
