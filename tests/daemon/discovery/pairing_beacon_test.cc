#include "daemon/discovery/pairing_beacon.h"

#include <gtest/gtest.h>

namespace accord::discovery {
namespace {

PairingBeacon Beacon(uint32_t nameplate, uint8_t nonce_byte, uint16_t port = 41877) {
  PairingBeacon b;
  b.nameplate = nameplate;
  b.nonce.fill(nonce_byte);
  b.tcp_port = port;
  return b;
}

TEST(PairingBeaconTest, RoundTripsInNineteenBytesWithNoApplicationString) {
  PairingBeacon b = Beacon(7, 0xab);
  Bytes wire = EncodePairingBeacon(b);
  ASSERT_EQ(wire.size(), kPairingBeaconBytes);
  EXPECT_EQ(std::string(wire.begin(), wire.end()).find("accord"), std::string::npos);
  Result<PairingBeacon> back = DecodePairingBeacon(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, b);
}

TEST(PairingBeaconTest, DecodingIsStrict) {
  Bytes good = EncodePairingBeacon(Beacon(7, 1));
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_FALSE(DecodePairingBeacon(longer).ok());
  EXPECT_FALSE(DecodePairingBeacon(ByteView(good.data(), good.size() - 1)).ok());
  EXPECT_FALSE(DecodePairingBeacon({}).ok());
  for (uint8_t plate : {uint8_t{0}, uint8_t{100}, uint8_t{255}}) {
    Bytes bad = good;
    bad[0] = plate;
    EXPECT_FALSE(DecodePairingBeacon(bad).ok()) << int(plate);
  }
  Bytes no_port = good;
  no_port[17] = no_port[18] = 0;
  EXPECT_FALSE(DecodePairingBeacon(no_port).ok());
}

TEST(PairingBeaconTest, NothingHeardOrOtherNameplatesMeanNoInviter) {
  EXPECT_EQ(ChooseInviter({}, 7).kind, InviterChoice::Kind::kNone);
  std::vector<HeardInvite> heard = {{"10.0.0.2", Beacon(8, 1)}};
  EXPECT_EQ(ChooseInviter(heard, 7).kind, InviterChoice::Kind::kNone);
}

TEST(PairingBeaconTest, OneInvitationHeardOverIpv4AndIpv6IsOneInviterAtItsIpv4Address) {
  std::vector<HeardInvite> heard = {{"fe80::1%eth0", Beacon(7, 1)},
                                    {"10.0.0.2", Beacon(7, 1)},
                                    {"fe80::1%eth0", Beacon(7, 1)},
                                    {"10.0.0.9", Beacon(8, 2)}};
  InviterChoice c = ChooseInviter(heard, 7);
  ASSERT_EQ(c.kind, InviterChoice::Kind::kOne);
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].host, "10.0.0.2");
}

TEST(PairingBeaconTest, TwoInvitationsWithOneNameplateMakeTheJoinerAskInsteadOfGuessing) {
  std::vector<HeardInvite> heard = {{"10.0.0.2", Beacon(7, 1)}, {"10.0.0.3", Beacon(7, 2)}};
  InviterChoice c = ChooseInviter(heard, 7);
  ASSERT_EQ(c.kind, InviterChoice::Kind::kAmbiguous);
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[0].host, "10.0.0.2");
  EXPECT_EQ(c.candidates[1].host, "10.0.0.3");
}

TEST(PairingBeaconTest, AFreeNameplateAvoidsHeardOnesAndCoversTheRange) {
  std::set<uint32_t> in_use;
  for (uint32_t n = 1; n <= 99; ++n)
    if (n != 42 && n != 43) in_use.insert(n);
  std::set<uint32_t> picked;
  for (uint32_t draw = 0; draw < 10; ++draw) picked.insert(FreeNameplate(in_use, draw));
  EXPECT_EQ(picked, (std::set<uint32_t>{42, 43}));
  std::set<uint32_t> any;
  for (uint32_t draw = 0; draw < 99; ++draw) any.insert(FreeNameplate({}, draw));
  EXPECT_EQ(any.size(), 99u);
  EXPECT_EQ(*any.begin(), 1u);
  EXPECT_EQ(*any.rbegin(), 99u);
  for (uint32_t n = 42; n <= 43; ++n) in_use.insert(n);  // all taken: still a valid nameplate
  const uint32_t n = FreeNameplate(in_use, 12345);
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, 99u);
}

}  // namespace
}  // namespace accord::discovery
