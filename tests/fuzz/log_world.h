// A fixed little pact for the fuzz targets that need real entries: three devices (0 and 1
// known, 2 not), their entries so far in a FakeLog, and entries written but not yet held
// (each one the next entry of its author), all made once with the seeded randomness, so every
// run has the same keys and the seeds written by one run validate in the next. Fuzz only.
#ifndef ACCORD_TESTS_FUZZ_LOG_WORLD_H_
#define ACCORD_TESTS_FUZZ_LOG_WORLD_H_

#include <vector>

#include "accord/entry.pb.h"
#include "daemon/log/author.h"
#include "tests/daemon/log/test_feed.h"

namespace accord::fuzz {

struct LogWorld {
  log::testing::TestFeed feed{3};
  log::testing::FakeLog log;
  std::vector<log::AuthoredEntry> held;     // in `log`
  std::vector<log::AuthoredEntry> pending;  // each its author's next entry, not in `log`
  std::vector<proto::Body> pending_bodies;  // pending[i]'s body
  log::AuthoredEntry fork;                  // device 0 at held[2]'s seq 2, another body
};

// Built on the first call (call it in LLVMFuzzerInitialize, before ResetRandom).
const LogWorld& World();

// Bodies of many kinds, valid for their scope (seeds for body parsers).
std::vector<proto::Body> SampleBodies(const LogWorld& world);

Bytes Serialize(const google::protobuf::MessageLite& message);

}  // namespace accord::fuzz

#endif  // ACCORD_TESTS_FUZZ_LOG_WORLD_H_
