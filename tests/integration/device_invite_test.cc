// A second device of the same person (SPEC §4 "Several devices per person"): `invite
// --device` on one of Alice's devices, `join` on a fresh machine. Real daemons on loopback,
// driven by the real client.
#include <algorithm>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

class DeviceInviteTest : public PactTest {
 protected:
  static nlohmann::json Array(const nlohmann::json& j, const char* a, const char* b) {
    if (!j.contains(a) || !j[a].contains(b)) return nlohmann::json::array();
    return j[a][b];
  }

  nlohmann::json Members(const Person& p) {
    return Array(Json(p, {"status"}), "status", "members");
  }

  // The number of devices `name` has in `p`'s status, or -1 if it is not a member there.
  int DevicesOf(const Person& p, const std::string& name) {
    for (const nlohmann::json& m : Members(p))
      if (m["name"] == name) return static_cast<int>(m["device_keys"].size());
    return -1;
  }

  std::vector<std::string> Texts(const Person& p, const std::string& list) {
    std::vector<std::string> out;
    for (const nlohmann::json& n : Array(Json(p, {list}), "notes", "notes"))
      out.push_back(n["author_name"].get<std::string>() + ": " + n["text"].get<std::string>());
    return out;
  }

  std::string AgreementStatus(const Person& p, const std::string& id) {
    for (const nlohmann::json& a :
         Array(Json(p, {"agreements", "--all"}), "agreements", "agreements"))
      if (a["id"] == id) return a["status"];
    return "";
  }

  static bool Has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
};

TEST_F(DeviceInviteTest, ASecondDeviceOfAliceIsHerDeviceNotAThirdPerson) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairResult ab = Pair(alice, bob);
  ASSERT_EQ(ab.join_exit, 0) << ab.join_err;
  ASSERT_TRUE(WaitFor([&] { return Members(bob).size() == 2 && Members(alice).size() == 2; }));

  // An agreement proposed by Alice and accepted by Bob is active; Alice reflects alone.
  const std::string id =
      Json(alice, {"propose", "phones away after ten"})["written"]["id"].get<std::string>();
  ASSERT_TRUE(WaitFor([&] { return !AgreementStatus(bob, id).empty(); })) << bob.daemon->Log();
  Ok(bob, {"accept", id.substr(0, 8)});
  ASSERT_TRUE(WaitFor([&] { return AgreementStatus(alice, id) == "AGREEMENT_STATUS_ACTIVE"; }));
  Ok(alice, {"reflect", "alice's private thought"});

  // A fresh machine of Alice's joins with a device code: no init.
  Person& laptop = StartFresh("alice-laptop");
  const nlohmann::json invite = Json(alice, {"invite", "--device", "--no-wait"});
  const std::string code = invite["invite"]["code"].get<std::string>();
  CommandResult join = laptop.daemon->Accord(
      {"--json", "join", code, "--peer", alice.address, "--name", "alice's laptop"});
  ASSERT_EQ(join.exit_code, 0) << join.err << alice.daemon->Log() << laptop.daemon->Log();
  const nlohmann::json joined = nlohmann::json::parse(join.out, nullptr, false);
  EXPECT_EQ(joined["join"]["device"], true) << join.out;
  EXPECT_EQ(joined["join"]["partner_name"], "alice") << join.out;

  // Two members everywhere, Alice with two devices.
  for (Person* p : {&alice, &bob, &laptop}) {
    ASSERT_TRUE(WaitFor([&] {
      return Members(*p).size() == 2 && DevicesOf(*p, "alice") == 2 && DevicesOf(*p, "bob") == 1;
    })) << p->name
        << ": " << Json(*p, {"status"}).dump() << p->daemon->Log();
  }
  for (const nlohmann::json& m : Members(laptop))
    EXPECT_EQ(m["is_me"], m["name"] == "alice") << m.dump();
  EXPECT_NE(laptop.daemon->Accord({"status"}).out.find("alice (me) [2 devices]"),
            std::string::npos);

  // The agreement is still active on all three: Alice's acceptance counts on her new device.
  for (Person* p : {&alice, &bob, &laptop}) {
    ASSERT_TRUE(WaitFor([&] { return AgreementStatus(*p, id) == "AGREEMENT_STATUS_ACTIVE"; }))
        << p->name << ": " << Json(*p, {"agreements", "--all"}).dump();
  }

  // Alice's reflection reached her laptop, and never Bob.
  ASSERT_TRUE(WaitFor([&] {
    return Has(Texts(laptop, "reflections"), "alice: alice's private thought");
  })) << Json(laptop, {"reflections"}).dump()
      << laptop.daemon->Log();
  EXPECT_TRUE(Texts(bob, "reflections").empty());
  EXPECT_EQ(bob.daemon->Accord({"--json", "log"}).out.find("alice's private thought"),
            std::string::npos);

  // What the laptop writes is Alice's.
  Ok(laptop, {"need", "add", "I need a quiet morning"});
  ASSERT_TRUE(WaitFor([&] { return Has(Texts(bob, "needs"), "alice: I need a quiet morning"); }))
      << Json(bob, {"needs"}).dump() << bob.daemon->Log();
  // A proposal of Alice's is hers on every device of hers: the laptop may not accept it, and
  // it waits for Bob, not for her.
  const std::string second =
      Json(alice, {"propose", "a walk on sundays"})["written"]["id"].get<std::string>();
  ASSERT_TRUE(WaitFor([&] { return !AgreementStatus(laptop, second).empty(); }));
  CommandResult own = laptop.daemon->Accord({"accept", second.substr(0, 8)});
  EXPECT_EQ(own.exit_code, 5) << own.err;
  EXPECT_NE(own.err.find("you proposed"), std::string::npos) << own.err;
  EXPECT_EQ(Json(laptop, {"status"})["status"]["waiting_for_me"].size(), 0u);
  ASSERT_TRUE(
      WaitFor([&] { return Json(bob, {"status"})["status"]["waiting_for_me"].size() == 1; }));

  // `devices`: both of Alice's on each of hers, this one marked; only Bob's on Bob's.
  for (Person* p : {&alice, &laptop}) {
    const nlohmann::json devices = Array(Json(*p, {"devices"}), "devices", "devices");
    ASSERT_EQ(devices.size(), 2u) << p->name << ": " << devices.dump();
    int mine = 0;
    bool named = false;
    for (const nlohmann::json& d : devices) {
      mine += d["this_device"].get<bool>() ? 1 : 0;
      named = named || d["name"] == "alice's laptop";
      // int64 is a string in protobuf's JSON mapping.
      EXPECT_GT(std::stoll(d["added_ms"].get<std::string>()), 0) << d.dump();
    }
    EXPECT_EQ(mine, 1) << devices.dump();
    EXPECT_TRUE(named) << devices.dump();
  }
  const nlohmann::json bobs = Array(Json(bob, {"devices"}), "devices", "devices");
  ASSERT_EQ(bobs.size(), 1u) << bobs.dump();
  EXPECT_EQ(bobs[0]["this_device"], true);
  EXPECT_EQ(Json(bob, {"devices"})["devices"]["member_name"], "bob");

  ASSERT_TRUE(
      WaitFor([&] { return Digest(alice) == Digest(bob) && Digest(bob) == Digest(laptop); }));

  // After a restart the laptop is still Alice's device and still reads her reflection.
  ASSERT_EQ(laptop.daemon->Stop(), 0);
  ASSERT_TRUE(laptop.daemon->Start()) << laptop.daemon->Log();
  EXPECT_EQ(DevicesOf(laptop, "alice"), 2);
  EXPECT_TRUE(Has(Texts(laptop, "reflections"), "alice: alice's private thought"));
  EXPECT_EQ(Digest(laptop), Digest(alice));
}

TEST_F(DeviceInviteTest, AFreshMachineWithoutANameCannotJoinAsANewPerson) {
  Person& alice = Start("alice");
  Person& fresh = StartFresh("fresh");
  // A mistyped code makes no identity.
  CommandResult typo = fresh.daemon->Accord({"join", "7-notaword-meadow-ember"});
  EXPECT_NE(typo.exit_code, 0);
  EXPECT_NE(fresh.daemon->Accord({"status"}).err.find("no identity yet"), std::string::npos);
  const std::string code = Json(alice, {"invite", "--no-wait"})["invite"]["code"];
  CommandResult join = fresh.daemon->Accord({"join", code, "--peer", alice.address});
  EXPECT_NE(join.exit_code, 0);
  EXPECT_NE(join.err.find("--name"), std::string::npos) << join.err;
  EXPECT_EQ(Members(alice).size(), 1u);
}

TEST_F(DeviceInviteTest, AFreshMachineWithoutANameJoinsAsADeviceNamedAfterItsHost) {
  Person& alice = Start("alice");
  Person& laptop = StartFresh("laptop");
  const std::string code = Json(alice, {"invite", "--device", "--no-wait"})["invite"]["code"];
  CommandResult join = laptop.daemon->Accord({"join", code, "--peer", alice.address});
  ASSERT_EQ(join.exit_code, 0) << join.err;
  EXPECT_NE(join.out.find("another device of alice"), std::string::npos) << join.out;
  ASSERT_TRUE(WaitFor([&] { return DevicesOf(laptop, "alice") == 2; })) << laptop.daemon->Log();
  EXPECT_EQ(Members(laptop).size(), 1u);
  EXPECT_EQ(Members(alice).size(), 1u);
}

}  // namespace
}  // namespace accord::testing
