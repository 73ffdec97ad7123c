// kill -9 of either side during a 50,000-entry initial sync, then restart: the store is
// intact, no feed has gaps, every signature verifies, the sync completes, digests agree.
#include "tests/integration/ipc_pipe.h"
#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

constexpr size_t kEntries = 50000;

class SyncCrashTest : public PactTest {
 protected:
  uint64_t Entries(const Person& p) {
    return std::stoull(Json(p, {"status"})["status"]["entries"].get<std::string>());
  }
};

TEST_F(SyncCrashTest, KillNineOfEitherSideDuringALargeInitialSyncLosesNothing) {
  Person& alice = Start("alice");
  ASSERT_EQ(WriteNeeds(alice.daemon->socket(), kEntries), kEntries);
  const uint64_t total = Entries(alice);
  ASSERT_EQ(total, kEntries + 1);  // and the member entry

  Person& bob = Start("bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);

  // Kill the receiver part way.
  ASSERT_TRUE(WaitFor([&] { return Entries(bob) > 5000; }, 120)) << bob.daemon->Log();
  bob.daemon->Kill9();
  ASSERT_TRUE(bob.daemon->Start()) << bob.daemon->Log();

  // Then the sender, restarted on the same port so that Bob's remembered address still works.
  ASSERT_TRUE(WaitFor([&] { return Entries(bob) > 20000; }, 120)) << bob.daemon->Log();
  const std::string port = alice.address.substr(alice.address.rfind(':') + 1);
  alice.daemon->Kill9();
  alice.daemon = std::make_unique<Daemon>(
      alice.daemon->home(), std::vector<std::string>{"--listen", "127.0.0.1:" + port});
  ASSERT_TRUE(alice.daemon->Start()) << alice.daemon->Log();

  ASSERT_TRUE(WaitFor([&] { return Entries(bob) == total + 1; }, 240))
      << "bob has " << Entries(bob) << " of " << total + 1 << "\n"
      << bob.daemon->Log();
  nlohmann::json verify = Json(bob, {"log", "--verify"});
  EXPECT_EQ(verify["log"]["failed"], "0");
  EXPECT_EQ(verify["log"]["verified"], std::to_string(total + 1));
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }, 60));
}

}  // namespace
}  // namespace accord::testing
