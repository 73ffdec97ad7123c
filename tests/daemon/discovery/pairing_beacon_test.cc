#include "daemon/discovery/pairing_beacon.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

namespace accord::discovery {
namespace {

PairingBeacon Beacon(uint32_t nameplate, uint8_t nonce_byte, uint16_t port = 40001) {
  PairingBeacon b;
  b.nameplate = nameplate;
  b.nonce.fill(nonce_byte);
  b.tcp_port = port;
  return b;
}

TEST(PairingBeacon, EncodesToNineteenBytesInTheDocumentedOrder) {
  PairingBeacon b = Beacon(42, 0, 0x1234);
  for (size_t i = 0; i < b.nonce.size(); ++i) b.nonce[i] = static_cast<uint8_t>(0xa0 + i);
  const Bytes wire = EncodePairingBeacon(b);
  ASSERT_EQ(wire.size(), kPairingBeaconBytes);
  EXPECT_EQ(ToHex(wire), "2aa0a1a2a3a4a5a6a7a8a9aaabacadaeaf1234");
  Result<PairingBeacon> decoded = DecodePairingBeacon(wire);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, b);
}

TEST(PairingBeacon, EveryNameplateAndTheExtremePortsRoundTrip) {
  for (uint32_t n = 1; n <= 99; ++n) {
    for (uint16_t port : {uint16_t{1}, uint16_t{41644}, uint16_t{65535}}) {
      const PairingBeacon b = Beacon(n, static_cast<uint8_t>(n), port);
      Result<PairingBeacon> decoded = DecodePairingBeacon(EncodePairingBeacon(b));
      ASSERT_TRUE(decoded.ok()) << n << " " << port;
      EXPECT_EQ(*decoded, b);
    }
  }
}

TEST(PairingBeacon, DecodeRefusesWrongLengths) {
  const Bytes wire = EncodePairingBeacon(Beacon(7, 1));
  for (size_t len = 0; len < kPairingBeaconBytes; ++len) {
    EXPECT_EQ(DecodePairingBeacon(ByteView(wire).first(len)).code(), ErrorCode::kInvalidArgument)
        << len;
  }
  for (size_t extra = 1; extra <= 53; ++extra) {  // up to a sealed beacon's 72 bytes
    Bytes longer = wire;
    longer.resize(wire.size() + extra, 0);
    EXPECT_EQ(DecodePairingBeacon(longer).code(), ErrorCode::kInvalidArgument) << extra;
  }
}

TEST(PairingBeacon, DecodeRefusesNameplatesOutsideOneToNinetyNine) {
  Bytes wire = EncodePairingBeacon(Beacon(7, 1));
  for (int n = 0; n <= 255; ++n) {
    wire[0] = static_cast<uint8_t>(n);
    EXPECT_EQ(DecodePairingBeacon(wire).ok(), n >= 1 && n <= 99) << n;
  }
}

TEST(PairingBeacon, DecodeRefusesPortZero) {
  Bytes wire = EncodePairingBeacon(Beacon(7, 1));
  wire[17] = 0;
  wire[18] = 0;
  EXPECT_EQ(DecodePairingBeacon(wire).code(), ErrorCode::kInvalidArgument);
  wire[18] = 1;
  EXPECT_TRUE(DecodePairingBeacon(wire).ok());
}

TEST(ChooseInviter, NothingHeardOrOnlyOtherNameplatesIsNone) {
  EXPECT_EQ(ChooseInviter({}, 7).kind, InviterChoice::Kind::kNone);
  const std::vector<HeardInvite> heard = {{"192.168.1.20", Beacon(8, 1)},
                                          {"fe80::1%eth0", Beacon(9, 2)}};
  const InviterChoice choice = ChooseInviter(heard, 7);
  EXPECT_EQ(choice.kind, InviterChoice::Kind::kNone);
  EXPECT_TRUE(choice.candidates.empty());
}

TEST(ChooseInviter, OneNonceOverIpv6AndIpv4IsOneInviterAtItsIpv4Address) {
  const std::vector<HeardInvite> heard = {
      {"fe80::a1b2:c3ff:fed4:e5f6%wlan0", Beacon(7, 1)},
      {"192.168.1.20", Beacon(7, 1)},
      {"fe80::a1b2:c3ff:fed4:e5f6%wlan0", Beacon(7, 1)},  // heard again, every second
      {"10.0.0.9", Beacon(12, 3)},                        // another invitation's nameplate
  };
  const InviterChoice choice = ChooseInviter(heard, 7);
  ASSERT_EQ(choice.kind, InviterChoice::Kind::kOne);
  ASSERT_EQ(choice.candidates.size(), 1u);
  EXPECT_EQ(choice.candidates[0].host, "192.168.1.20");
  EXPECT_EQ(choice.candidates[0].beacon, Beacon(7, 1));
}

TEST(ChooseInviter, AnInviterHeardOnlyOverIpv6KeepsItsScopedAddress) {
  const std::vector<HeardInvite> heard = {{"fe80::1%eth0", Beacon(7, 1)},
                                          {"fe80::1%wlan0", Beacon(7, 1)}};
  const InviterChoice choice = ChooseInviter(heard, 7);
  ASSERT_EQ(choice.kind, InviterChoice::Kind::kOne);
  EXPECT_EQ(choice.candidates[0].host, "fe80::1%eth0");  // the first heard
}

TEST(ChooseInviter, TwoInvitationsWithOneNameplateAreAmbiguousWithBoth) {
  const std::vector<HeardInvite> heard = {
      {"fe80::1%eth0", Beacon(7, 1, 40001)},
      {"192.168.1.30", Beacon(7, 2, 40002)},
      {"192.168.1.20", Beacon(7, 1, 40001)},
      {"fe80::2%eth0", Beacon(7, 2, 40002)},
  };
  const InviterChoice choice = ChooseInviter(heard, 7);
  ASSERT_EQ(choice.kind, InviterChoice::Kind::kAmbiguous);
  ASSERT_EQ(choice.candidates.size(), 2u);
  EXPECT_EQ(choice.candidates[0].host, "192.168.1.20");  // nonce 1, first heard, at its IPv4
  EXPECT_EQ(choice.candidates[0].beacon.nonce, Beacon(7, 1).nonce);
  EXPECT_EQ(choice.candidates[1].host, "192.168.1.30");
  EXPECT_EQ(choice.candidates[1].beacon.nonce, Beacon(7, 2).nonce);
}

TEST(FreeNameplate, NeverPicksOneHeardInUse) {
  std::set<uint32_t> in_use;
  for (uint32_t n = 1; n <= 99; n += 2) in_use.insert(n);  // every odd one
  for (uint32_t draw = 0; draw < 1000; ++draw) {
    const uint32_t n = FreeNameplate(in_use, draw * 2654435761u);
    EXPECT_GE(n, 1u);
    EXPECT_LE(n, 99u);
    EXPECT_FALSE(in_use.contains(n)) << n;
  }
}

TEST(FreeNameplate, TheDrawsCoverTheWholeRangeEvenly) {
  std::map<uint32_t, int> count;
  for (uint32_t draw = 0; draw < 99 * 10; ++draw) ++count[FreeNameplate({}, draw)];
  ASSERT_EQ(count.size(), 99u);
  EXPECT_EQ(count.begin()->first, 1u);
  EXPECT_EQ(count.rbegin()->first, 99u);
  for (const auto& [n, c] : count) EXPECT_EQ(c, 10) << n;
}

TEST(FreeNameplate, TheOnlyFreeOneIsTaken) {
  std::set<uint32_t> in_use;
  for (uint32_t n = 1; n <= 99; ++n) {
    if (n != 58) in_use.insert(n);
  }
  for (uint32_t draw : {0u, 1u, 57u, 0xffffffffu}) EXPECT_EQ(FreeNameplate(in_use, draw), 58u);
}

TEST(FreeNameplate, WhenAllAreInUseAnyIsPossible) {
  std::set<uint32_t> in_use;
  for (uint32_t n = 1; n <= 99; ++n) in_use.insert(n);
  std::set<uint32_t> picked;
  for (uint32_t draw = 0; draw < 99; ++draw) picked.insert(FreeNameplate(in_use, draw));
  EXPECT_EQ(picked.size(), 99u);
  EXPECT_EQ(*picked.begin(), 1u);
  EXPECT_EQ(*picked.rbegin(), 99u);
}

TEST(FreeNameplate, NumbersOutsideTheRangeInUseChangeNothing) {
  const std::set<uint32_t> odd = {0, 100, 255, 0xffffffffu};
  for (uint32_t draw = 0; draw < 99; ++draw) {
    EXPECT_EQ(FreeNameplate(odd, draw), FreeNameplate({}, draw));
  }
}

}  // namespace
}  // namespace accord::discovery
