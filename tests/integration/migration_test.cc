// A pact written by log format 1 (tests/fixtures/v1-pact, made by scripts/make-v1-fixture.sh
// with accord before private chains): both homes open with today's daemon, the store schema
// moves to version 2, each member's reflections from then are moved into their private chain
// (shown with their original times) and their old bodies erased, new reflections leave no
// trace on the partner, and the two keep syncing.
#include <sys/stat.h>

#include <set>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

class MigrationTest : public PactTest {
 protected:
  // A copy of one fixture home with the modes the daemon insists on.
  std::filesystem::path CopyHome(const std::string& who) {
    const std::filesystem::path from = std::filesystem::path(ACCORD_FIXTURES_DIR) / "v1-pact" / who;
    const std::filesystem::path to = dir_.path() / who;
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
    ::chmod(to.c_str(), 0700);
    ::chmod((to / "keys").c_str(), 0700);
    ::chmod((to / "keys" / "device.key").c_str(), 0600);
    ::chmod((to / "accord.db").c_str(), 0600);
    return to;
  }
  Person& Open(const std::string& who, std::vector<std::string> extra = {}) {
    auto p = std::make_unique<Person>();
    p->name = who;
    extra.insert(extra.begin(), {"--listen", "127.0.0.1:0"});
    p->daemon = std::make_unique<Daemon>(CopyHome(who), extra);
    EXPECT_TRUE(p->daemon->Start()) << p->daemon->Log();
    p->address = Json(*p, {"status"})["status"]["listen_address"].get<std::string>();
    people_.push_back(std::move(p));
    return *people_.back();
  }
  static std::vector<std::string> Texts(const nlohmann::json& notes) {
    std::vector<std::string> out;
    for (const auto& n : notes["notes"]["notes"]) out.push_back(n["text"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(MigrationTest, AFormatOnePactOpensConvertsAndKeepsSyncing) {
  Person& alice = Open("alice");
  Person& bob = Open("bob", {"--peer", alice.address});

  EXPECT_EQ(Texts(Json(alice, {"reflections"})),
            (std::vector<std::string>{"v1 reflection of alice after pairing",
                                      "v1 reflection of alice before pairing"}));
  EXPECT_EQ(Texts(Json(bob, {"reflections"})), (std::vector<std::string>{"v1 reflection of bob"}));

  // Moved: each old reflection is now in its device's private chain (seq 2 on: after the
  // chain's start), keeps its original time, and the old copy in the shared feed is erased.
  nlohmann::json log = Json(alice, {"log"});
  std::set<std::string> erased_times;
  size_t moved = 0;
  for (const auto& e : log["log"]["entries"]) {
    if (e["kind"] == "ENTRY_KIND_ERASED") erased_times.insert(e["time_ms"].get<std::string>());
    if (e["kind"] == "ENTRY_KIND_REFLECTION") ++moved;
  }
  EXPECT_EQ(erased_times.size(), 2u) << log.dump();
  EXPECT_EQ(moved, 2u) << log.dump();
  const nlohmann::json reflections = Json(alice, {"reflections"});
  for (const auto& r : reflections["notes"]["notes"]) {
    EXPECT_EQ(erased_times.count(r["time_ms"].get<std::string>()), 1u) << r.dump();
  }

  // They still sync, and a new reflection leaves no trace on the partner.
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }));
  const size_t bob_entries = Json(bob, {"log"})["log"]["entries"].size();
  Ok(alice, {"reflect", "written after the upgrade"});
  Ok(alice, {"need", "add", "I need the upgrade to be quiet"});
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"needs"})["notes"]["notes"].size() == 2; }));
  EXPECT_EQ(Json(bob, {"log"})["log"]["entries"].size(), bob_entries + 1);
  EXPECT_EQ(Texts(Json(bob, {"reflections"})), (std::vector<std::string>{"v1 reflection of bob"}));

  // A restart converts nothing twice.
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(alice.daemon->Start()) << alice.daemon->Log();
  EXPECT_EQ(Json(alice, {"reflections"})["notes"]["notes"].size(), 3u);
}

}  // namespace
}  // namespace accord::testing
