// The LAN beacon decoders (daemon/discovery): sealed beacons (beacon.h OpenBeacon) under the
// current and previous epoch's discovery keys, and clear pairing beacons (pairing_beacon.h).
// Input: a byte choosing the decoder (% 3 == 0: a sealed datagram; 1: a pairing datagram; 2: a
// beacon plaintext the harness seals with the current key, so the checks behind the AEAD are
// reached), then the bytes.
// Invariants: an opened beacon was sealed under one of the two keys, is within the skew of
// `now`, and seals again (same key and nonce) to exactly the datagram; a pairing beacon that
// decodes encodes to exactly its datagram, with a nameplate in 1..99 and a port.
#include <array>

#include "crypto/aead.h"
#include "daemon/discovery/beacon.h"
#include "daemon/discovery/pairing_beacon.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
using accord::ByteView;
namespace fuzz = accord::fuzz;
namespace discovery = accord::discovery;
namespace crypto = accord::crypto;

constexpr std::string_view kBeaconAd = "accord-beacon-v1";  // as beacon.cc binds it
constexpr int64_t kNowSeconds = 1'750'000'000;              // unix seconds, the receiver's clock

struct Keys {
  crypto::SecretKey previous = discovery::DiscoveryKey(crypto::SecretKey::Random());
  crypto::SecretKey current = discovery::DiscoveryKey(crypto::SecretKey::Random());
};

const Keys& K() {
  static const Keys* keys = [] {
    fuzz::ResetRandom(0xbeac0);
    return new Keys;
  }();
  return *keys;
}

std::vector<Bytes> Seeds() {
  const Keys& k = K();
  discovery::BeaconContent content;
  content.device = {1, 2, 3, 4, 5, 6, 7, 8};
  content.tcp_port = 41000;
  content.unix_minutes = static_cast<uint32_t>(kNowSeconds / 60);
  content.instance = 0x0123456789abcdefull;
  std::vector<Bytes> seeds;
  crypto::XNonce nonce{};
  nonce.fill(0x33);
  for (const crypto::SecretKey* key : {&k.current, &k.previous}) {
    Bytes seed = {0};
    accord::AppendBytes(seed, discovery::SealBeacon(*key, nonce, content));
    seeds.push_back(std::move(seed));
    nonce.fill(0x44);
  }
  discovery::PairingBeacon pairing;
  pairing.nameplate = 42;
  pairing.nonce.fill(0x55);
  pairing.tcp_port = 41001;
  Bytes seed = {1};
  accord::AppendBytes(seed, discovery::EncodePairingBeacon(pairing));
  seeds.push_back(std::move(seed));
  // A plaintext as beacon.h lays it out: version 1, device, port, minutes, instance, zeros.
  Bytes plain = {2, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0xa0, 0x28};
  const uint32_t minutes = static_cast<uint32_t>(kNowSeconds / 60);
  for (int i = 3; i >= 0; --i) plain.push_back(static_cast<uint8_t>(minutes >> (8 * i)));
  for (int i = 0; i < 8; ++i) plain.push_back(static_cast<uint8_t>(0x10 + i));
  plain.resize(1 + discovery::kBeaconPlaintextBytes, 0);
  seeds.push_back(std::move(plain));
  return seeds;
}

void CheckSealed(ByteView datagram) {
  const Keys& k = K();
  const std::array<discovery::EpochDiscoveryKey, 2> keys = {
      discovery::EpochDiscoveryKey{4, &k.previous}, discovery::EpochDiscoveryKey{5, &k.current}};
  accord::Result<discovery::OpenedBeacon> opened =
      discovery::OpenBeacon(keys, datagram, kNowSeconds);
  if (!opened.ok()) {
    fuzz::Explain("refused: " + opened.error().message);
    const accord::ErrorCode code = opened.code();
    fuzz::Check(code == accord::ErrorCode::kInvalidArgument ||
                    code == accord::ErrorCode::kDecryptFailed ||
                    code == accord::ErrorCode::kBadBody || code == accord::ErrorCode::kRefused,
                "OpenBeacon: a code its contract does not list");
    if (datagram.size() != discovery::kBeaconBytes)
      fuzz::Check(code == accord::ErrorCode::kInvalidArgument,
                  "a wrong length was not refused first");
    return;
  }
  fuzz::Explain("opened");
  fuzz::Check(opened->epoch == 4 || opened->epoch == 5, "opened by a key it was not given");
  fuzz::Check(opened->content.tcp_port != 0, "a beacon with port 0");
  const int64_t skew = static_cast<int64_t>(opened->content.unix_minutes) * 60 - kNowSeconds;
  fuzz::Check(skew <= 60 * discovery::kBeaconMaxSkew.count() + 60 &&
                  -skew <= 60 * discovery::kBeaconMaxSkew.count() + 60,
              "a stale beacon was accepted");
  crypto::XNonce nonce;
  std::copy_n(datagram.begin(), nonce.size(), nonce.begin());
  const Bytes again =
      discovery::SealBeacon(opened->epoch == 5 ? k.current : k.previous, nonce, opened->content);
  fuzz::Check(std::equal(again.begin(), again.end(), datagram.begin(), datagram.end()),
              "an opened beacon does not seal back to its datagram");
}

void CheckPairing(ByteView datagram) {
  accord::Result<discovery::PairingBeacon> beacon = discovery::DecodePairingBeacon(datagram);
  if (!beacon.ok()) {
    fuzz::Check(beacon.code() == accord::ErrorCode::kInvalidArgument,
                "DecodePairingBeacon: not kInvalidArgument");
    return;
  }
  fuzz::Check(beacon->nameplate >= discovery::kMinPairingNameplate &&
                  beacon->nameplate <= discovery::kMaxPairingNameplate && beacon->tcp_port != 0,
              "a pairing beacon outside its ranges");
  const Bytes again = discovery::EncodePairingBeacon(*beacon);
  fuzz::Check(std::equal(again.begin(), again.end(), datagram.begin(), datagram.end()),
              "a pairing beacon does not encode back to its datagram");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  K();
  fuzz::WriteSeedsIfAsked("beacon", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t which = in.Byte();
  const ByteView datagram = in.Rest();
  if (which % 3 == 0) {
    CheckSealed(datagram);
  } else if (which % 3 == 1) {
    CheckPairing(datagram);
  } else {
    // As SealBeacon does it (docs/discovery.md), for any plaintext.
    crypto::XNonce nonce{};
    nonce.fill(which);
    Bytes sealed(nonce.begin(), nonce.end());
    accord::AppendBytes(sealed,
                        crypto::SealBody(K().current, nonce, accord::AsBytes(kBeaconAd), datagram));
    CheckSealed(sealed);
  }
  return 0;
}
