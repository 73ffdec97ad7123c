#include "daemon/ipc/catch_up_lines.h"

#include <gtest/gtest.h>

namespace accord::daemon {
namespace {

proto::SyncProgress Report(const std::string& device, uint64_t received, uint64_t total) {
  proto::SyncProgress p;
  p.set_device_key(device);
  p.set_name("bob");
  p.set_received(received);
  p.set_total(total);
  return p;
}

const std::string kDevice = "0123456789abcdef";

TEST(CatchUpLinesTest, ASmallCatchUpShowsEveryEntryAndNoProgressLine) {
  CatchUpLines lines;
  EXPECT_FALSE(lines.OnProgress(Report(kDevice, 0, kQuietCatchUpEntries - 1), 0));
  EXPECT_FALSE(lines.quiet());
  EXPECT_FALSE(
      lines.OnProgress(Report(kDevice, kQuietCatchUpEntries - 1, kQuietCatchUpEntries - 1), 5));
  EXPECT_FALSE(lines.quiet());
}

TEST(CatchUpLinesTest, ALiveEntryAfterALargeCatchUpShowsOnItsOwn) {
  CatchUpLines lines;
  ASSERT_TRUE(lines.OnProgress(Report(kDevice, 0, 152), 0));
  ASSERT_TRUE(lines.OnProgress(Report(kDevice, 152, 152), 200));
  // The session's counts go on: one more announced is not a catch-up.
  EXPECT_FALSE(lines.OnProgress(Report(kDevice, 152, 153), 5000));
  EXPECT_FALSE(lines.quiet());
  EXPECT_FALSE(lines.OnProgress(Report(kDevice, 153, 153), 5001));
  // Many more at once is one again.
  EXPECT_TRUE(lines.OnProgress(Report(kDevice, 153, 153 + kQuietCatchUpEntries), 9000));
  EXPECT_TRUE(lines.quiet());
}

TEST(CatchUpLinesTest, ALargeCatchUpIsOneLineASecondAndALastLine) {
  CatchUpLines lines;
  std::optional<proto::Event> first = lines.OnProgress(Report(kDevice, 0, 30202), 1000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->summary(), "receiving from bob's device 01234567: 0 of 30,202 entries");
  EXPECT_EQ(first->progress().total(), 30202u);
  EXPECT_EQ(first->time_ms(), 1000);
  EXPECT_TRUE(lines.quiet());

  int shown = 0;
  for (uint64_t received = 500, t = 1000; received < 30202; received += 500, t += 100) {
    if (lines.OnProgress(Report(kDevice, received, 30202), static_cast<int64_t>(t))) ++shown;
  }
  // 60 reports over about 6 s: one line a second at most.
  EXPECT_GE(shown, 5);
  EXPECT_LE(shown, 6);
  EXPECT_TRUE(lines.quiet());

  std::optional<proto::Event> last = lines.OnProgress(Report(kDevice, 30202, 30202), 7050);
  ASSERT_TRUE(last);  // the last line comes at once, whatever the second
  EXPECT_EQ(last->summary(), "caught up with bob's device 01234567: 30,202 entries received");
  EXPECT_FALSE(lines.quiet());
}

TEST(CatchUpLinesTest, ADisconnectEndsTheQuietWithoutACaughtUpLine) {
  CatchUpLines lines;
  ASSERT_TRUE(lines.OnProgress(Report(kDevice, 0, 1000), 0));
  ASSERT_TRUE(lines.OnProgress(Report("fedcba9876543210", 0, 1000), 0));
  lines.OnDisconnected(kDevice);
  EXPECT_TRUE(lines.quiet());  // the other device's catch-up goes on
  lines.OnDisconnected("fedcba9876543210");
  EXPECT_FALSE(lines.quiet());
  // A later session with the same device starts again with a first line.
  EXPECT_TRUE(lines.OnProgress(Report(kDevice, 100, 1000), 10));
}

}  // namespace
}  // namespace accord::daemon
