// Property, as a seeded fuzz over kCases schedules: 2-3 devices with random starting
// contents write, connect in random pairs and orders, deliver messages in random order,
// store batches at once or late, drop connections and restart. Connected until quiet at the
// end, all hold the same entries; no entry is ever sent to a peer known to hold it (its
// Hello, its ack or its own batch said so); with two devices nothing arrives twice at all.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/sync/session.h"
#include "tests/daemon/log/test_feed.h"
#include "tests/daemon/sync/sync_network.h"

namespace accord::sync::testing {
namespace {

constexpr int kCases = 600;              // schedules, each from its own seed
constexpr int kDevices = 3;              // chains built; a case uses the first 2 or 3
constexpr size_t kChainLength = 40;      // entries each device can write
constexpr size_t kMaxPreload = 12;       // entries of a feed held before the case starts
constexpr int kMaxRandomSteps = 400;     // random events per case
constexpr size_t kSettleSteps = 200000;  // deliveries and stores allowed to go quiet

// Real signed entries, built once per run: mostly small bodies, one in seven 5-45 KB so
// batches split by size and the flow-control window fills.
std::vector<std::vector<log::Envelope>> BuildChains(log::testing::TestFeed& feed) {
  std::vector<std::vector<log::Envelope>> chains(kDevices);
  std::mt19937_64 sizes(7);
  for (int d = 0; d < kDevices; ++d) {
    for (size_t i = 0; i < kChainLength; ++i) {
      const bool large = sizes() % 7 == 0;
      std::string text(large ? 5000 + sizes() % 40000 : 20 + sizes() % 400, 'n');
      chains[d].push_back(feed.Write(d, log::testing::NeedBody(text)).envelope);
    }
  }
  return chains;
}

TEST(SyncFuzz, RandomSchedulesConvergeWithoutResendingWhatAPeerHolds) {
  log::testing::TestFeed feed(kDevices);
  const std::vector<std::vector<log::Envelope>> all_chains = BuildChains(feed);
  const std::vector<log::DeviceKey> devices = {feed.device(0), feed.device(1), feed.device(2)};
  SyncNetwork::Stats total;
  size_t two_node_cases = 0;
  for (int seed = 0; seed < kCases && !HasFailure(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const int n = rng() % 3 == 0 ? 2 : 3;
    two_node_cases += n == 2;
    const std::vector<std::vector<log::Envelope>> chains(all_chains.begin(),
                                                         all_chains.begin() + n);
    SyncNetwork net(feed.pact(), feed.keys(), devices, chains, rng);
    net.set_store_immediately(std::bernoulli_distribution(0.5)(rng));
    for (int author = 0; author < n; ++author) {
      const size_t own = std::uniform_int_distribution<size_t>(0, kMaxPreload)(rng);
      net.Preload(author, author, own);
      for (int other = 0; other < n; ++other) {
        if (other != author) {
          net.Preload(other, author, std::uniform_int_distribution<size_t>(0, own)(rng));
        }
      }
    }
    const int steps = std::uniform_int_distribution<int>(20, kMaxRandomSteps)(rng);
    for (int i = 0; i < steps; ++i) net.Step();
    ASSERT_TRUE(net.Settle(kSettleSteps));

    // Everyone holds every author's feed up to what its author wrote, with the same ids.
    const auto reference = net.node(0).Feeds();
    for (int author = 0; author < n; ++author) {
      auto it = reference.find(devices[author]);
      EXPECT_EQ(it == reference.end() ? 0u : it->second.size(),
                net.node(author).Head(devices[author]).seq);
    }
    for (int i = 1; i < n; ++i) EXPECT_EQ(net.node(i).Feeds(), reference);
    for (const SyncSession* session : net.Sessions()) {
      EXPECT_TRUE(session->initial_sync_done());
      EXPECT_EQ(session->entries_behind(), 0u);
    }
    const SyncNetwork::Stats& stats = net.stats();
    EXPECT_TRUE(stats.closes.empty()) << stats.closes.front();
    EXPECT_EQ(stats.resent_known, 0u);
    // Between two devices there is no other path an entry could have taken.
    if (n == 2) {
      EXPECT_EQ(stats.duplicates, 0u);
    }
    EXPECT_LE(stats.largest_message, kMaxPeerMessageBytes);

    total.drops += stats.drops;
    total.restarts += stats.restarts;
    total.writes += stats.writes;
    total.messages += stats.messages;
    total.duplicates += stats.duplicates;
    total.largest_message = std::max(total.largest_message, stats.largest_message);
  }
  if (HasFailure()) return;  // the totals below mean little after an early stop
  // The schedules really exercised what they claim to.
  EXPECT_GT(two_node_cases, 0u);
  EXPECT_GT(total.drops, static_cast<size_t>(kCases));
  EXPECT_GT(total.restarts, 0u);
  EXPECT_GT(total.writes, static_cast<size_t>(kCases));
  EXPECT_GT(total.largest_message, kMaxPeerMessageBytes / 2);  // size-bound batches happened
  RecordProperty("messages", std::to_string(total.messages));
  RecordProperty("cross_path_duplicates", std::to_string(total.duplicates));
}

}  // namespace
}  // namespace accord::sync::testing
