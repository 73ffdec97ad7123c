// Shared set-up for the sync session tests: a pact of three devices writing real entries
// (tests/daemon/log/test_feed.h), in-memory nodes over it, and helpers to read what was sent.
// Test thread only.
#ifndef ACCORD_TESTS_DAEMON_SYNC_SYNC_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_SYNC_SYNC_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/sync/wire.h"
#include "tests/daemon/log/test_feed.h"
#include "tests/daemon/sync/memory_node.h"

namespace accord::sync::testing {

class SyncTest : public ::testing::Test {
 protected:
  std::vector<log::DeviceKey> Devices() const {
    return {feed_.device(0), feed_.device(1), feed_.device(2)};
  }
  std::unique_ptr<MemoryNode> NewNode() const {
    return std::make_unique<MemoryNode>(feed_.pact(), feed_.keys(), Devices());
  }
  // The device's next shared entry, its body text padded to about `text_bytes`.
  log::Envelope Write(int device, size_t text_bytes = 24) {
    std::string text = "need #" + std::to_string(++written_) + " ";
    text.resize(std::max(text.size(), text_bytes), 'x');
    return feed_.Write(device, log::testing::NeedBody(text)).envelope;
  }
  log::Envelope WritePrivate(int device) {
    return feed_.Write(device, log::testing::ReflectionBody("only mine")).envelope;
  }
  // Writes `count` entries by `device` and appends them to every node in `nodes`.
  void WriteTo(int device, int count, std::initializer_list<MemoryNode*> nodes,
               size_t text_bytes = 24) {
    for (int i = 0; i < count; ++i) {
      log::Envelope e = Write(device, text_bytes);
      for (MemoryNode* n : nodes) n->Append(e);
    }
  }

  log::testing::TestFeed feed_{3};
  int written_ = 0;
};

// FeedHead has no ==; this makes heads comparable in expectations.
inline std::map<log::DeviceKey, std::pair<uint64_t, log::EntryId>> Comparable(
    const std::map<log::DeviceKey, log::FeedHead>& heads) {
  std::map<log::DeviceKey, std::pair<uint64_t, log::EntryId>> out;
  for (const auto& [author, head] : heads) out[author] = {head.seq, head.id};
  return out;
}

// (author, seq) of every entry in the batches among `messages`, in order.
inline std::vector<std::pair<log::DeviceKey, uint64_t>> EntriesIn(
    const std::vector<PeerMsg>& messages) {
  std::vector<std::pair<log::DeviceKey, uint64_t>> out;
  for (const PeerMsg& m : messages) {
    if (const auto* batch = std::get_if<BatchMsg>(&m)) {
      for (const log::EntryHeader& h : batch->headers) out.emplace_back(h.author, h.seq);
    }
  }
  return out;
}

}  // namespace accord::sync::testing

#endif  // ACCORD_TESTS_DAEMON_SYNC_SYNC_FIXTURE_H_
