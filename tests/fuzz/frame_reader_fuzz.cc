// The peer stream framing (daemon/peer/frames.h FrameReader) and the local socket's frame
// length (base/frame.h). Input: a control byte (minimum frame length class, type byte first or
// not), then chunk sizes interleaved with the stream. Invariants: every frame is within
// [min, kMaxFrameBytes] and re-encodes to exactly the stream bytes it came from; memory stays
// within what was fed plus one frame; a failed reader stays failed.
#include <cstdint>

#include "base/frame.h"
#include "daemon/peer/frames.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
using accord::ByteView;
namespace peer = accord::peer;
namespace fuzz = accord::fuzz;

constexpr size_t kMinChoices[] = {1, peer::kMinTransportFrameBytes, 0, 300};

std::vector<Bytes> Seeds() {
  std::vector<Bytes> seeds;
  const Bytes small = {'h', 'e', 'l', 'l', 'o'};
  const Bytes transport(48, 0xa5);
  // control 0: min 1, no type byte; one chunk with two frames.
  Bytes stream = peer::EncodeFrame(small);
  accord::AppendBytes(stream, peer::EncodeFrame(transport));
  Bytes one = {0x00};
  fuzz::AppendChunk(one, stream);
  seeds.push_back(one);
  // control 0x05: min 16, type byte 0x01 ahead; the stream split in three reads.
  Bytes two = {0x05};
  Bytes typed = {0x01};
  accord::AppendBytes(typed, peer::EncodeFrame(transport));
  accord::AppendBytes(typed, peer::EncodeFrame(transport));
  fuzz::AppendChunk(two, ByteView(typed).subspan(0, 3));
  fuzz::AppendChunk(two, ByteView(typed).subspan(3, 40));
  fuzz::AppendChunk(two, ByteView(typed).subspan(43));
  seeds.push_back(two);
  // An IPC frame header (u32 length) as the local socket reads it.
  Bytes three = {0x02};
  fuzz::AppendChunk(three, accord::EncodeFrame(small));
  seeds.push_back(three);
  return seeds;
}

// The local socket's length check: any 4 bytes decode or are kTooLarge, never more than max.
void CheckIpcLength(ByteView bytes) {
  if (bytes.size() < accord::kFrameHeaderBytes) return;
  uint8_t header[accord::kFrameHeaderBytes];
  for (size_t i = 0; i < accord::kFrameHeaderBytes; ++i) header[i] = bytes[i];
  const uint32_t max = bytes.size() > 4 ? bytes[4] * 4096u : accord::kMaxIpcFrameBytes;
  accord::Result<uint32_t> length = accord::DecodeFrameLength(header, max);
  if (length.ok()) {
    fuzz::Check(*length <= max, "ipc frame length above its maximum");
    const Bytes encoded = accord::EncodeFrame(Bytes(*length > 64 ? 0 : *length, 0));
    if (*length <= 64)
      fuzz::Check(std::equal(encoded.begin(), encoded.begin() + 4, header),
                  "ipc frame header does not round trip");
  } else {
    fuzz::Check(length.code() == accord::ErrorCode::kTooLarge, "ipc frame: unexpected code");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::WriteSeedsIfAsked("frame_reader", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const uint8_t control = in.Byte();
  const size_t min = kMinChoices[control & 3];
  const bool type_byte = (control & 4) != 0;
  peer::FrameReader reader(min == 0 ? 1 : min);
  if (min == 0) reader.set_min_frame_bytes(0);

  Bytes fed;            // every byte fed, in order
  size_t consumed = 0;  // of `fed`, taken as the type byte or whole frames
  bool typed = !type_byte;
  for (int reads = 0; reads < 64 && !in.empty(); ++reads) {
    const ByteView chunk = in.Chunk();
    if (reads == 0) CheckIpcLength(chunk);
    reader.Feed(chunk);
    accord::AppendBytes(fed, chunk);
    fuzz::Check(reader.buffered() == fed.size() - consumed, "buffered() miscounts");
    fuzz::Check(reader.reserved() <= fed.size() + peer::kFrameHeaderBytes + peer::kMaxFrameBytes,
                "reader holds more than what was fed plus one frame");
    if (!typed) {
      std::optional<uint8_t> byte = reader.TakeByte();
      if (!byte) {
        fuzz::Check(fed.size() == consumed, "TakeByte found nothing with bytes buffered");
        continue;
      }
      fuzz::Check(*byte == fed[consumed], "TakeByte returned another byte");
      ++consumed;
      typed = true;
    }
    for (int frames = 0; frames < 1024; ++frames) {
      accord::Result<std::optional<Bytes>> next = reader.Next();
      if (!next.ok()) {
        fuzz::Check(reader.failed(), "an error left the reader usable");
        fuzz::Check(!reader.Next().ok(), "a failed reader recovered");
        fuzz::Check(!reader.TakeByte().has_value(), "a failed reader gave a byte");
        return 0;
      }
      if (!next->has_value()) break;
      const Bytes& payload = **next;
      fuzz::Check(payload.size() >= min && payload.size() <= peer::kMaxFrameBytes,
                  "frame outside [min, kMaxFrameBytes]");
      const Bytes encoded = peer::EncodeFrame(payload);
      fuzz::Check(consumed + encoded.size() <= fed.size() &&
                      std::equal(encoded.begin(), encoded.end(), fed.begin() + consumed),
                  "frame does not re-encode to the bytes it came from");
      consumed += encoded.size();
    }
  }
  return 0;
}
