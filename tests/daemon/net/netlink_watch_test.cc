#include "daemon/net/netlink_watch.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstring>

namespace accord::daemon {
namespace {

Bytes Message(uint16_t type, uint32_t length = NLMSG_LENGTH(8)) {
  Bytes out(NLMSG_ALIGN(std::max<uint32_t>(length, sizeof(nlmsghdr))), 0);
  nlmsghdr h{};
  h.nlmsg_len = length;
  h.nlmsg_type = type;
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

TEST(NetlinkWatchTest, AddressAndLinkChangesAreNoticedAndOtherMessagesAreNot) {
  for (uint16_t t : {RTM_NEWADDR, RTM_DELADDR, RTM_NEWLINK, RTM_DELLINK})
    EXPECT_TRUE(HoldsAddressChange(Message(t))) << t;
  EXPECT_FALSE(HoldsAddressChange(Message(RTM_NEWROUTE)));
  Bytes two = Message(RTM_NEWROUTE);
  Bytes addr = Message(RTM_DELADDR);
  two.insert(two.end(), addr.begin(), addr.end());
  EXPECT_TRUE(HoldsAddressChange(two));  // found behind another message
}

TEST(NetlinkWatchTest, MalformedMessagesEndTheScanWithoutReadingPastTheBuffer) {
  EXPECT_FALSE(HoldsAddressChange({}));
  Bytes tiny(3, 0xff);
  EXPECT_FALSE(HoldsAddressChange(tiny));
  Bytes zero_length = Message(RTM_NEWADDR, 0);  // would loop forever if trusted
  EXPECT_FALSE(HoldsAddressChange(zero_length));
  Bytes too_long = Message(RTM_NEWADDR, 4096);  // claims more than there is
  too_long.resize(sizeof(nlmsghdr));
  EXPECT_FALSE(HoldsAddressChange(too_long));
}

}  // namespace
}  // namespace accord::daemon
