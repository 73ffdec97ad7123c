// Restore from a backup (SPEC §4) with real daemons: a device whose home is restored from an
// older copy catches up from its partner before it authors again, and its next write is
// delivered; a device that already forked its own feed refuses every write, and says so, and
// once re-keyed (`accordd --rekey`) writes again as the same member, delivered both ways.
#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

class RestoreTest : public PactTest {
 protected:
  // A copy of a stopped daemon's home (without its socket directory), as a backup holds it.
  void CopyHome(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    for (const auto& e : fs::directory_iterator(from)) {
      if (e.path().filename() == "run") continue;
      fs::copy(e.path(), to / e.path().filename(), fs::copy_options::recursive);
    }
  }
  void RestoreHome(const fs::path& backup, const fs::path& home) {
    fs::remove_all(home);
    CopyHome(backup, home);
  }
  void Restart(Person& p, std::vector<std::string> args) {
    p.daemon = std::make_unique<Daemon>(p.daemon->home(), std::move(args));
    ASSERT_TRUE(p.daemon->Start()) << p.daemon->Log();
  }
  std::vector<std::string> NeedTexts(const Person& p) {
    std::vector<std::string> out;
    const nlohmann::json needs = Json(p, {"needs"});
    for (const auto& n : needs["notes"]["notes"]) out.push_back(n["text"]);
    return out;
  }
  bool HasNeed(const Person& p, const std::string& text) {
    for (const std::string& t : NeedTexts(p))
      if (t == text) return true;
    return false;
  }
  // Pairs Alice and Bob; Bob writes one need, his home is backed up, and he writes a second
  // one that reaches Alice: the backup now holds less of Bob's feed than Alice does.
  fs::path PairAndBackUpBehindAlice(Person& alice, Person& bob) {
    const fs::path backup = dir_.path() / "bob-backup";
    EXPECT_EQ(Pair(alice, bob).join_exit, 0);
    Ok(bob, {"need", "add", "I need one"});
    EXPECT_TRUE(WaitFor([&] { return HasNeed(alice, "I need one"); })) << alice.daemon->Log();
    EXPECT_EQ(bob.daemon->Stop(), 0);
    CopyHome(bob.daemon->home(), backup);
    Restart(bob, {"--listen", "127.0.0.1:0", "--peer", alice.address});
    Ok(bob, {"need", "add", "I need two"});
    EXPECT_TRUE(WaitFor([&] { return HasNeed(alice, "I need two"); })) << alice.daemon->Log();
    return backup;
  }
  // Pairs them and forks Bob's feed: his home comes back from the backup while Alice is away,
  // he writes "I need another two" at the seq where Alice holds "I need two", and once Alice
  // is back on her old port the two meet and find the fork.
  void ForkBob(Person& alice, Person& bob) {
    const fs::path backup = PairAndBackUpBehindAlice(alice, bob);
    if (HasFailure()) return;
    ASSERT_EQ(bob.daemon->Stop(), 0);
    ASSERT_EQ(alice.daemon->Stop(), 0);
    RestoreHome(backup, bob.daemon->home());
    Restart(bob, {"--listen", "127.0.0.1:0", "--peer", alice.address});
    Ok(bob, {"need", "add", "I need another two"});
    Restart(alice, {"--listen", "127.0.0.1:" + Port(alice.address)});
    ASSERT_TRUE(WaitFor([&] { return Forks(bob) > 0; }, 60)) << bob.daemon->Log();
  }
  std::string Entries(const Person& p) { return Json(p, {"status"})["status"]["entries"]; }
  size_t Forks(const Person& p) { return Json(p, {"status"})["status"]["forks"].size(); }
  static std::string Port(const std::string& address) {
    return address.substr(address.rfind(':') + 1);
  }
};

TEST_F(RestoreTest, ARestoredDeviceCatchesUpFromItsPartnerAndItsNextWriteIsDelivered) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const fs::path backup = PairAndBackUpBehindAlice(alice, bob);
  ASSERT_FALSE(HasFailure());
  Ok(bob, {"need", "add", "I need three"});
  ASSERT_TRUE(WaitFor([&] { return HasNeed(alice, "I need three"); })) << alice.daemon->Log();

  // Bob's home comes back from the older copy while Alice (who holds more of Bob's feed)
  // is online.
  ASSERT_EQ(bob.daemon->Stop(), 0);
  RestoreHome(backup, bob.daemon->home());
  Restart(bob, {"--listen", "127.0.0.1:0", "--peer", alice.address});
  // Bob cannot know before Alice's Hello (docs/identity.md); once it came, Bob refuses to
  // author until he holds all Alice holds of his feed. Writing only after he caught up makes
  // this deterministic; the refusal itself is pinned by the node tests.
  ASSERT_TRUE(WaitFor([&] { return Entries(bob) == Entries(alice); })) << bob.daemon->Log();

  CommandResult r = bob.daemon->Accord({"need", "add", "I need four"});
  ASSERT_EQ(r.exit_code, 0) << r.err << bob.daemon->Log();

  // Delivered, nothing forked, both agree.
  ASSERT_TRUE(WaitFor([&] { return HasNeed(alice, "I need four"); }))
      << alice.daemon->Log() << bob.daemon->Log();
  EXPECT_TRUE(HasNeed(bob, "I need three"));
  EXPECT_EQ(Forks(alice), 0u);
  EXPECT_EQ(Forks(bob), 0u);
  EXPECT_EQ(NeedTexts(alice).size(), 4u);
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }));
}

TEST_F(RestoreTest, AfterARestoredDeviceForkedItsFeedEveryWriteIsRefusedAndStatusSaysSo) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  ForkBob(alice, bob);
  ASSERT_FALSE(HasFailure());

  CommandResult write = bob.daemon->Accord({"need", "add", "I need three"});
  EXPECT_EQ(write.exit_code, 5) << write.out << write.err;
  EXPECT_NE(write.err.find("accord: error: "), std::string::npos) << write.err;
  EXPECT_NE(write.err.find("forked"), std::string::npos) << write.err;
  EXPECT_NE(write.err.find("--rekey"), std::string::npos) << write.err;
  EXPECT_FALSE(HasNeed(bob, "I need three"));

  const std::string status = Ok(bob, {"status"});
  EXPECT_NE(status.find("WRITES REFUSED"), std::string::npos) << status;
  nlohmann::json j = Json(bob, {"status"});
  EXPECT_NE(j["status"]["writes_refused"].get<std::string>().find("forked"), std::string::npos);
}

TEST_F(RestoreTest, AForkedDeviceReKeysAndWritesAgainAsTheSameMember) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const std::string old_key = Json(bob, {"status"})["status"]["device_key"];
  ForkBob(alice, bob);
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(bob.daemon->Accord({"need", "add", "refused"}).exit_code, 5);

  // Re-keyed: a new device key, the same member, nothing to pair again.
  ASSERT_EQ(bob.daemon->Stop(), 0);
  Restart(bob, {"--rekey", "--listen", "127.0.0.1:0", "--peer", alice.address});
  EXPECT_NE(bob.daemon->Log().find("--rekey: this device's feed forked"), std::string::npos)
      << bob.daemon->Log();
  const nlohmann::json status = Json(bob, {"status"});
  const std::string new_key = status["status"]["device_key"];
  EXPECT_NE(new_key, old_key);
  EXPECT_EQ(status["status"].value("writes_refused", ""), "") << status.dump();
  EXPECT_TRUE(
      fs::exists(bob.daemon->home() / "keys" / ("device.key.replaced-" + old_key.substr(0, 16))));

  CommandResult write = bob.daemon->Accord({"need", "add", "I need three, re-keyed"});
  ASSERT_EQ(write.exit_code, 0) << write.err << bob.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return HasNeed(alice, "I need three, re-keyed"); }, 30))
      << alice.daemon->Log() << bob.daemon->Log();
  // Bob's needs count for one member, Bob, on both sides: the one before the fork, the one
  // the restored copy wrote into the forked seq (written again under the new key, with its
  // own time), and the new one. "I need two", the other side of the fork, stays frozen.
  for (const Person* p : {&alice, &bob}) {
    const nlohmann::json needs = Json(*p, {"needs"});
    std::vector<std::string> bobs;
    for (const auto& n : needs["notes"]["notes"])
      if (n["author_name"] == "bob") bobs.push_back(n["text"]);
    std::sort(bobs.begin(), bobs.end());
    EXPECT_EQ(bobs, (std::vector<std::string>{"I need another two", "I need one",
                                              "I need three, re-keyed"}))
        << p->name << ": " << needs.dump();
  }
  const nlohmann::json members = Json(alice, {"status"})["status"]["members"];
  ASSERT_EQ(members.size(), 2u) << members.dump();
  for (const auto& m : members) {
    if (m["name"] != "bob") continue;
    std::vector<std::string> keys = m["device_keys"];
    EXPECT_NE(std::find(keys.begin(), keys.end(), new_key), keys.end()) << m.dump();
  }
  // The other way too, and after a plain restart (no --rekey) it stays the new key.
  Ok(alice, {"need", "add", "I need Alice's reply"});
  ASSERT_TRUE(WaitFor([&] { return HasNeed(bob, "I need Alice's reply"); }, 30))
      << bob.daemon->Log();
  ASSERT_EQ(bob.daemon->Stop(), 0);
  Restart(bob, {"--listen", "127.0.0.1:0", "--peer", alice.address});
  EXPECT_EQ(Json(bob, {"status"})["status"]["device_key"], new_key);
  Ok(bob, {"need", "add", "I need four"});
  ASSERT_TRUE(WaitFor([&] { return HasNeed(alice, "I need four"); }, 30)) << alice.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }, 30));

  // A second --rekey has nothing to re-key: the daemon says so and does not start.
  ASSERT_EQ(bob.daemon->Stop(), 0);
  Daemon again(bob.daemon->home(), {"--rekey", "--listen", "127.0.0.1:0"});
  EXPECT_FALSE(again.Start());
  EXPECT_NE(again.Log().find("has not forked"), std::string::npos) << again.Log();
}

}  // namespace
}  // namespace accord::testing
