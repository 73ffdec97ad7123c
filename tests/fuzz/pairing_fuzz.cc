// The pairing protocol (daemon/pairing): the clear PairMessages, CPace M1-M3, Noise XXpsk3 and
// the PairSecure records and bundle, through both real state machines (the in-memory run of
// tests/daemon/pairing/pairing_harness.h), with one frame altered, replaced or cut short; and
// the typed code parser. Input: frame byte (which of the 12 frames), mode byte
//   mode & 3: 0 XOR the chunk onto the frame, 1 replace the frame, 2 cut the frame to the chunk's
//   length, 3 no change; mode & 4: the joiner types the chunk as its code;
// then the chunk. Invariants (as pairing_tamper_test.cc, for any bytes): an untouched run
// pairs with equal safety numbers and the bundle's keys; a run with any changed frame
// never completes, its machines send nothing after failing, the joiner gets no keys unless the
// change came after the bundle, and once M1 was seen the code is burned; a code that parses
// parses again from its canonical text to itself.
#include <string>

#include "daemon/pairing/code.h"
#include "tests/daemon/pairing/pairing_harness.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
using accord::ByteView;
namespace fuzz = accord::fuzz;
namespace pairing = accord::pairing;

constexpr size_t kFrames = 12;  // a whole pairing, as pairing_tamper_test.cc counts them
constexpr uint32_t kNameplate = 7;
constexpr uint64_t kRunSeed = 0x9a1e;

void CheckCodeParse(ByteView typed) {
  accord::Result<pairing::PairingCode> code = pairing::ParseCode(accord::AsChars(typed));
  if (!code.ok()) {
    fuzz::Check(code.code() == accord::ErrorCode::kInvalidArgument,
                "ParseCode: not kInvalidArgument");
    return;
  }
  fuzz::Check(
      code->nameplate >= pairing::kMinNameplate && code->nameplate <= pairing::kMaxNameplate,
      "a parsed nameplate outside 1..99");
  fuzz::Check(code->text == pairing::CanonicalCodeText(code->nameplate, code->secret),
              "a parsed code's text is not canonical");
  accord::Result<pairing::PairingCode> again = pairing::ParseCode(code->text);
  fuzz::Check(again.ok() && again->nameplate == code->nameplate && again->secret == code->secret,
              "a canonical code does not parse to itself");
}

// The index of the frame carrying the bundle in an untouched run (the last to the joiner).
size_t CleanBundleFrame() {
  static const size_t index = [] {
    fuzz::ResetRandom(kRunSeed);
    pairing::testing::PairingRun clean(pairing::GenerateCode(kNameplate));
    clean.Go();
    fuzz::Check(clean.inviter.done() && clean.delivered.size() == kFrames,
                "an untouched pairing is not 12 frames");
    size_t last = 0;
    for (size_t i = 0; i < clean.delivered.size(); ++i)
      if (!clean.delivered[i].to_inviter) last = i;
    return last;
  }();
  return index;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  CleanBundleFrame();
  fuzz::WriteSeedsIfAsked("pairing", [] {
    std::vector<Bytes> seeds;
    // An untouched run, then frames with a byte flipped, a typed code, a replaced frame.
    seeds.push_back(Bytes{0, 3});
    for (uint8_t frame : {0, 2, 5, 9, 11}) {
      Bytes seed = {frame, 0};
      fuzz::AppendChunk(seed, Bytes{0, 0, 0, 1});
      seeds.push_back(std::move(seed));
    }
    fuzz::ResetRandom(kRunSeed);
    const pairing::PairingCode code = pairing::GenerateCode(kNameplate);
    Bytes typed = {0, 3 | 4};
    fuzz::AppendChunk(typed, accord::AsBytes("  " + code.text + " "));
    seeds.push_back(std::move(typed));
    Bytes nonce = {1, 1};  // the inviter's PairNonce replaced by another nonce
    fuzz::AppendChunk(nonce, pairing::NonceMessage(Bytes(pairing::kNonceLen, 1)));
    seeds.push_back(std::move(nonce));
    return seeds;
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const size_t target = in.Byte() % kFrames;
  const uint8_t mode = in.Byte();
  const ByteView chunk = in.Chunk();
  if (mode & 4) CheckCodeParse(chunk);

  fuzz::ResetRandom(kRunSeed);
  const pairing::PairingCode code = pairing::GenerateCode(kNameplate);
  pairing::PairingCode typed = code;
  if (mode & 4) {
    accord::Result<pairing::PairingCode> parsed = pairing::ParseCode(accord::AsChars(chunk));
    if (!parsed.ok()) return 0;
    typed = *parsed;
  }
  pairing::testing::PairingRun run(typed, code);
  bool changed = typed.secret != code.secret || typed.nameplate != code.nameplate;
  run.tamper = [&](size_t i, pairing::testing::Frame& f) {
    if (i != target) return;
    const Bytes honest = f.bytes;
    switch (mode & 3) {
      case 0:
        for (size_t j = 0; j < chunk.size() && j < f.bytes.size(); ++j) f.bytes[j] ^= chunk[j];
        if (chunk.size() > f.bytes.size())
          f.bytes.insert(f.bytes.end(), chunk.begin() + f.bytes.size(), chunk.end());
        break;
      case 1:
        f.bytes.assign(chunk.begin(), chunk.end());
        break;
      case 2:
        // Cut short to the chunk's length (a peer that stops mid-message, or lies in a length).
        if (chunk.size() < f.bytes.size()) f.bytes.resize(chunk.size());
        break;
      default:
        break;
    }
    changed = changed || f.bytes != honest;
  };
  run.Go();
  fuzz::Check(run.sent_after_failure.empty(), "a failed machine sent a frame");
  const bool tampered = changed;
  if (!tampered) {
    fuzz::Explain("untouched run: done " + std::to_string(run.inviter.done()));
    fuzz::Check(run.inviter.done() && run.joiner.done(), "an untouched pairing did not complete");
    fuzz::Check(!run.joiner.safety_number().empty() &&
                    run.joiner.safety_number() == run.inviter.safety_number(),
                "the two sides show different safety numbers");
    fuzz::Check(run.joiner.bundle().pact == run.bundle.pact &&
                    run.joiner.bundle().epoch_keys.size() == run.bundle.epoch_keys.size(),
                "the joiner got another bundle");
    return 0;
  }
  fuzz::Explain("tampered run: inviter " + run.inviter.error().message + "; joiner " +
                run.joiner.error().message);
  fuzz::Check(!run.inviter.done(), "a pairing with a changed frame completed");
  fuzz::Check(run.inviter.failed() || run.joiner.failed(), "a changed pairing failed neither side");
  const bool wrong_code = typed.secret != code.secret || typed.nameplate != code.nameplate;
  // Keys reach the joiner only in the bundle, after both sides proved the code.
  if (wrong_code || target < CleanBundleFrame())
    fuzz::Check(run.joiner.bundle().epoch_keys.empty(), "the joiner got keys from a changed run");
  // Another nameplate is refused at the hello, before any guess (M1): nothing to burn.
  if (typed.nameplate == code.nameplate && (wrong_code || target >= 2))
    fuzz::Check(run.inviter.burned(), "a failed pairing after M1 left the code usable");
  return 0;
}
