// The sync channel open: Noise IK message 1 read by the responder, message 2 read by the
// initiator (daemon/peer/sync_handshake.h), then the first transport frames through
// SecureChannel (channel.h). Keys are fixed (seeded randomness); each input runs a real
// handshake and tampers with one message. Input: mode byte, then
//   mode & 1: 0 responder reads msg1, 1 initiator reads msg2;
//   mode & 2: 0 the chunk XORed onto the honest message, 1 the chunk replaces it;
//   mode & 4: the responder's pact differs (prologue mismatch);
// then a chunk for the message, a chunk for a transport frame payload, and 8 bytes of time.
// Invariants: a message is accepted only if it is the honest one (or authenticates alice with
// her timestamp); after an accepted handshake an honest frame opens to its plaintext, and a
// tampered one kills the channel; a TAI64N label converts back to its time.
#include "daemon/peer/channel.h"
#include "daemon/peer/frames.h"
#include "daemon/peer/sync_handshake.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
using accord::ByteView;
namespace fuzz = accord::fuzz;
namespace peer = accord::peer;
namespace crypto = accord::crypto;

struct Keys {
  crypto::DhKeyPair alice = crypto::DhKeyPair::Generate();  // initiator
  crypto::DhKeyPair bob = crypto::DhKeyPair::Generate();    // responder
  accord::log::PactId pact{};
  accord::log::PactId other_pact{};
};

const Keys& K() {
  static const Keys* keys = [] {
    fuzz::ResetRandom(0x1c1c1c);
    auto* k = new Keys;
    for (size_t i = 0; i < k->pact.size(); ++i) {
      k->pact[i] = static_cast<uint8_t>(i);
      k->other_pact[i] = static_cast<uint8_t>(i + 1);
    }
    return k;
  }();
  return *keys;
}

constexpr int64_t kNow = 1'750'000'000'000'000'000;  // unix nanoseconds

Bytes Tamper(ByteView honest, ByteView chunk, bool replace) {
  if (replace) return Bytes(chunk.begin(), chunk.end());
  Bytes out(honest.begin(), honest.end());
  for (size_t i = 0; i < chunk.size() && i < out.size(); ++i) out[i] ^= chunk[i];
  // Past the honest length the chunk is appended: a too-long message.
  if (chunk.size() > out.size()) out.insert(out.end(), chunk.begin() + out.size(), chunk.end());
  return out;
}

Bytes PayloadOf(const Bytes& frame) {
  peer::FrameReader reader(peer::kMinTransportFrameBytes);
  reader.Feed(frame);
  accord::Result<std::optional<Bytes>> payload = reader.Next();
  fuzz::Check(payload.ok() && payload->has_value(), "a sealed frame does not read as a frame");
  return **payload;
}

// Both ends are up: an honest frame opens to its plaintext; then the fuzzed payload opens only
// if it is the next honest one, and anything else kills the channel.
void CheckChannel(crypto::noise::TransportSession sender, crypto::noise::TransportSession receiver,
                  ByteView chunk) {
  peer::SecureChannel out(std::move(sender));
  peer::SecureChannel in(std::move(receiver));
  const Bytes plaintext(chunk.begin(), chunk.end());
  accord::Result<Bytes> first = out.Seal(plaintext);
  if (!first.ok()) {
    fuzz::Check(plaintext.size() > peer::kMaxChannelPlaintext, "Seal refused a small plaintext");
    return;
  }
  accord::Result<Bytes> opened = in.Open(PayloadOf(*first));
  fuzz::Check(opened.ok() && *opened == plaintext, "an honest frame does not open to itself");
  accord::Result<Bytes> second = out.Seal(plaintext);
  fuzz::Check(second.ok(), "the second frame was not sealed");
  const Bytes next = PayloadOf(*second);
  accord::Result<Bytes> fuzzed = in.Open(chunk);
  if (fuzzed.ok()) {
    fuzz::Check(std::equal(chunk.begin(), chunk.end(), next.begin(), next.end()),
                "a forged transport frame opened");
  } else {
    fuzz::Check(in.dead() && !in.Open(next).ok(), "a channel survived a bad frame");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  K();
  fuzz::WriteSeedsIfAsked("sync_handshake", [] {
    std::vector<Bytes> seeds;
    for (uint8_t mode : {0, 1, 2, 3}) {
      Bytes seed = {mode};
      Bytes honest_like(
          mode & 2 ? (mode & 1 ? peer::kSyncMessage2Bytes : peer::kSyncMessage1Bytes) : 0, 0x42);
      fuzz::AppendChunk(seed, honest_like);
      fuzz::AppendChunk(seed, accord::AsBytes("hello over the channel"));
      for (int i = 0; i < 8; ++i) seed.push_back(static_cast<uint8_t>(0x17 + i));
      seeds.push_back(std::move(seed));
    }
    return seeds;
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Keys& k = K();
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t mode = in.Byte();
  const ByteView message = in.Chunk();
  const ByteView frame = in.Chunk();
  int64_t when = 0;
  for (int i = 0; i < 8; ++i)
    when = static_cast<int64_t>(static_cast<uint64_t>(when) << 8 | in.Byte());
  // Labels convert back from 1970 up to 2^33 s (tai64n.h); any 12 bytes read as a time >= 0.
  if (when >= 0 && when / 1'000'000'000 < (int64_t{1} << 33)) {
    fuzz::Check(peer::UnixNanosFromTai64n(peer::Tai64nFromUnixNanos(when)) == when,
                "TAI64N does not convert back");
  }
  peer::Tai64n label{};
  for (size_t i = 0; i < 8; ++i)
    label[i] = static_cast<uint8_t>(static_cast<uint64_t>(when) >> (56 - 8 * i));
  fuzz::Check(peer::UnixNanosFromTai64n(label) >= 0, "a TAI64N label read as a negative time");

  const bool replace = (mode & 2) != 0;
  const accord::log::PactId& responder_pact = (mode & 4) ? k.other_pact : k.pact;
  accord::Result<peer::SyncInitiator> initiator =
      peer::SyncInitiator::Create(k.alice, k.bob.public_key(), k.pact);
  accord::Result<peer::SyncResponder> responder =
      peer::SyncResponder::Create(k.bob, responder_pact);
  fuzz::Check(initiator.ok() && responder.ok(), "handshake set-up failed");
  const peer::Tai64n stamp = peer::Tai64nFromUnixNanos(kNow);
  accord::Result<Bytes> m1 = initiator->WriteMessage1(stamp);
  fuzz::Check(m1.ok() && m1->size() == peer::kSyncMessage1Bytes, "msg1 not written");

  if ((mode & 1) == 0) {  // the responder reads a (tampered) msg1
    const Bytes got = Tamper(*m1, message, replace);
    accord::Result<peer::SyncResponder::Message1> read = responder->ReadMessage1(got);
    if (!read.ok()) {
      fuzz::Explain("msg1 refused: " + read.error().message);
      fuzz::Check(!responder->WriteMessage2().ok(), "msg2 written after a refused msg1");
      return 0;
    }
    fuzz::Explain("msg1 accepted");
    fuzz::Check(got == *m1 && !(mode & 4), "a msg1 other than the honest one was accepted");
    fuzz::Check(read->initiator == k.alice.public_key() && read->timestamp == stamp,
                "msg1 authenticated someone else or another time");
    auto m2 = responder->WriteMessage2();
    fuzz::Check(m2.ok(), "msg2 not written after an accepted msg1");
    accord::Result<crypto::noise::TransportSession> session = initiator->ReadMessage2(m2->first);
    fuzz::Check(session.ok(), "the honest msg2 was refused");
    CheckChannel(std::move(*session), std::move(m2->second), frame);
    return 0;
  }

  // The initiator reads a (tampered) msg2 from an honest responder.
  if (!responder->ReadMessage1(*m1).ok()) {
    fuzz::Check((mode & 4) != 0, "the honest msg1 was refused");
    return 0;
  }
  auto m2 = responder->WriteMessage2();
  fuzz::Check(m2.ok() && m2->first.size() == peer::kSyncMessage2Bytes, "msg2 not written");
  const Bytes got = Tamper(m2->first, message, replace);
  accord::Result<crypto::noise::TransportSession> session = initiator->ReadMessage2(got);
  if (!session.ok()) {
    fuzz::Explain("msg2 refused: " + session.error().message);
    fuzz::Check(!initiator->ReadMessage2(m2->first).ok(), "a failed initiator came back");
    return 0;
  }
  fuzz::Explain("msg2 accepted");
  fuzz::Check(got == m2->first, "a msg2 other than the honest one was accepted");
  fuzz::Check(session->handshake_hash() == m2->second.handshake_hash(),
              "the two ends disagree on the handshake hash");
  CheckChannel(std::move(*session), std::move(m2->second), frame);
  return 0;
}
