// HoldsAddressChange, the one parser of NetlinkWatch: which messages count as a change, and
// that truncated, malformed or random buffers end the scan without reading past the end.
#include "daemon/net/netlink_watch.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstring>
#include <random>

namespace accord::daemon {
namespace {

constexpr int kRandomBuffers = 20000;  // random buffers scanned

// One message of `type` with a payload of `payload_bytes` (zeros), its length field
// `length` if given, padded to the netlink alignment.
Bytes Message(uint16_t type, size_t payload_bytes, std::optional<uint32_t> length = {}) {
  Bytes out(NLMSG_SPACE(payload_bytes), 0);
  nlmsghdr header{};
  header.nlmsg_len = length ? *length : NLMSG_LENGTH(payload_bytes);
  header.nlmsg_type = type;
  std::memcpy(out.data(), &header, sizeof header);
  return out;
}

Bytes Joined(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(HoldsAddressChange, AddressAndLinkMessagesAreChanges) {
  EXPECT_TRUE(HoldsAddressChange(Message(RTM_NEWADDR, sizeof(ifaddrmsg))));
  EXPECT_TRUE(HoldsAddressChange(Message(RTM_DELADDR, sizeof(ifaddrmsg))));
  EXPECT_TRUE(HoldsAddressChange(Message(RTM_NEWLINK, sizeof(ifinfomsg))));
  EXPECT_TRUE(HoldsAddressChange(Message(RTM_DELLINK, sizeof(ifinfomsg))));
  // With attributes after the fixed header, as the kernel sends them.
  EXPECT_TRUE(HoldsAddressChange(Message(RTM_NEWADDR, sizeof(ifaddrmsg) + 40)));
}

TEST(HoldsAddressChange, OtherMessagesAreNot) {
  for (uint16_t type : {uint16_t{RTM_NEWROUTE}, uint16_t{RTM_DELROUTE}, uint16_t{RTM_NEWNEIGH},
                        uint16_t{RTM_GETADDR}, uint16_t{NLMSG_NOOP}, uint16_t{NLMSG_ERROR}}) {
    EXPECT_FALSE(HoldsAddressChange(Message(type, sizeof(ifinfomsg)))) << type;
  }
}

TEST(HoldsAddressChange, AChangeBehindOtherMessagesIsFound) {
  EXPECT_TRUE(HoldsAddressChange(Joined({Message(RTM_NEWROUTE, 12), Message(RTM_NEWNEIGH, 3),
                                         Message(RTM_DELADDR, sizeof(ifaddrmsg))})));
}

TEST(HoldsAddressChange, AMessageTooShortForItsFixedHeaderIsNotAChange) {
  EXPECT_FALSE(HoldsAddressChange(Message(RTM_NEWADDR, sizeof(ifaddrmsg) - 1)));
  EXPECT_FALSE(HoldsAddressChange(Message(RTM_NEWLINK, sizeof(ifinfomsg) - 1)));
  EXPECT_FALSE(HoldsAddressChange(Message(RTM_DELLINK, 0)));
}

TEST(HoldsAddressChange, MalformedBuffersEndTheScan) {
  EXPECT_FALSE(HoldsAddressChange({}));
  EXPECT_FALSE(HoldsAddressChange(Bytes(sizeof(nlmsghdr) - 1, 0xff)));
  // A zero length would never move the scan on if it were trusted.
  EXPECT_FALSE(HoldsAddressChange(
      Joined({Message(RTM_NEWROUTE, 4, 0), Message(RTM_NEWADDR, sizeof(ifaddrmsg))})));
  // A length shorter than the header itself.
  EXPECT_FALSE(HoldsAddressChange(Message(RTM_NEWADDR, sizeof(ifaddrmsg), sizeof(nlmsghdr) - 1)));
  // A length that claims more than the buffer holds: the message was cut.
  Bytes cut = Message(RTM_NEWADDR, sizeof(ifaddrmsg), 4096);
  EXPECT_FALSE(HoldsAddressChange(cut));
  Bytes cut_short = Message(RTM_NEWADDR, sizeof(ifaddrmsg));
  cut_short.resize(cut_short.size() - 1);
  EXPECT_FALSE(HoldsAddressChange(cut_short));
  // The end of a dump stops the scan: nothing after it is read.
  EXPECT_FALSE(HoldsAddressChange(
      Joined({Message(NLMSG_DONE, 4), Message(RTM_NEWADDR, sizeof(ifaddrmsg))})));
}

// Random buffers: a change is found exactly when a well-formed chain of messages leads to
// one; random bytes after the chain, or a chain cut short, never crash or read past the end
// (AddressSanitizer builds check the second).
TEST(HoldsAddressChange, RandomChainsAreScannedToTheirFirstFault) {
  std::mt19937 rng(20261202);
  for (int round = 0; round < kRandomBuffers; ++round) {
    Bytes buffer;
    const int others = static_cast<int>(rng() % 4);
    for (int i = 0; i < others; ++i) {
      Bytes m = Message(RTM_NEWROUTE, rng() % 64);
      buffer.insert(buffer.end(), m.begin(), m.end());
    }
    const bool with_change = rng() % 2 == 0;
    if (with_change) {
      Bytes m = Message(rng() % 2 ? RTM_NEWLINK : RTM_DELADDR, sizeof(ifinfomsg) + rng() % 32);
      buffer.insert(buffer.end(), m.begin(), m.end());
    }
    const size_t tail = rng() % 64;
    for (size_t i = 0; i < tail; ++i) buffer.push_back(static_cast<uint8_t>(rng()));
    EXPECT_EQ(HoldsAddressChange(buffer), with_change) << "round " << round;
    const size_t cut = rng() % (buffer.size() + 1);
    Bytes prefix(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(cut));
    if (!with_change) {
      EXPECT_FALSE(HoldsAddressChange(prefix)) << "round " << round;
    }
    Bytes noise(rng() % 256);
    for (uint8_t& b : noise) b = static_cast<uint8_t>(rng());
    (void)HoldsAddressChange(noise);
  }
}

}  // namespace
}  // namespace accord::daemon
