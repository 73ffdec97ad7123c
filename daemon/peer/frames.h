// Stream framing for peer connections: u16 big-endian length + payload (Noise §13).
// Pure; one thread per FrameReader (one connection). Encryption lives in channel.h; reading
// the socket lives in daemon/net.
#ifndef ACCORD_DAEMON_PEER_FRAMES_H_
#define ACCORD_DAEMON_PEER_FRAMES_H_

#include <cstddef>
#include <optional>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::peer {

constexpr size_t kFrameHeaderBytes = 2;         // bytes, u16 big-endian payload length
constexpr size_t kMaxFrameBytes = 65535;        // bytes of payload, the Noise message limit
constexpr size_t kMinTransportFrameBytes = 16;  // bytes: a transport message is at least a tag

// REQUIRES: payload.size() <= kMaxFrameBytes
Bytes EncodeFrame(ByteView payload);

// Incremental decoder: Feed bytes as they arrive, take whole frames with Next. Memory is
// bounded by what was fed (plus at most one frame of slack): a peer's length field never
// sizes an allocation, the bytes have to arrive first.
class FrameReader {
 public:
  // Frames shorter than `min_frame_bytes` are malformed (1 during the handshake,
  // kMinTransportFrameBytes afterwards). REQUIRES: min_frame_bytes <= kMaxFrameBytes
  explicit FrameReader(size_t min_frame_bytes = 1);

  void Feed(ByteView bytes);
  // The minimum for the frames still to come (a connection's handshake frames may be
  // shorter than its transport frames). REQUIRES: min_frame_bytes <= kMaxFrameBytes
  void set_min_frame_bytes(size_t min_frame_bytes);
  // One byte ahead of the frames (daemon/net's connection-type byte), or nullopt if none is
  // buffered. REQUIRES: no frame is partly taken (call it only between frames).
  std::optional<uint8_t> TakeByte();
  // The next whole frame's payload, or nullopt while more bytes are needed. A length below
  // the minimum is kInvalidArgument, and the reader stays failed: a byte stream cannot be
  // resynchronised once one length is wrong.
  Result<std::optional<Bytes>> Next();

  size_t buffered() const { return buffer_.size() - start_; }  // bytes fed, not yet taken
  size_t reserved() const { return buffer_.capacity(); }       // bytes allocated now
  bool failed() const { return failed_; }

 private:
  size_t min_frame_bytes_;
  Bytes buffer_;      // fed bytes; [start_, size) are not yet taken
  size_t start_ = 0;  // taken bytes are dropped lazily, on the next Feed
  bool failed_ = false;
};

}  // namespace accord::peer

#endif  // ACCORD_DAEMON_PEER_FRAMES_H_
