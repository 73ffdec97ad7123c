// `retract`, `appreciations` and `safety-number` between two real daemons on loopback, driven
// by the real client: a withdrawn item leaves the partner's lists and stays in the history
// with its note; a partner's entry cannot be withdrawn; the safety number shown again is the
// one pairing showed.
#include <set>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

class RetractTest : public PactTest {
 protected:
  // Alice and Bob, paired and both seeing two members.
  void PairAliceAndBob() {
    alice_ = &Start("alice");
    bob_ = &Start("bob");
    pair_ = Pair(*alice_, *bob_);
    ASSERT_EQ(pair_.join_exit, 0) << pair_.join_err;
    ASSERT_TRUE(WaitFor([&] { return Json(*bob_, {"status"})["status"]["members"].size() == 2; }));
    ASSERT_TRUE(
        WaitFor([&] { return Json(*alice_, {"status"})["status"]["members"].size() == 2; }));
  }
  // The notes of `list` (needs, boundaries, appreciations) on `p`.
  nlohmann::json Notes(const Person& p, const std::string& list) {
    nlohmann::json j = Json(p, {list});
    return j["notes"].contains("notes") ? j["notes"]["notes"] : nlohmann::json::array();
  }
  static nlohmann::json Find(const nlohmann::json& items, const std::string& id) {
    for (const auto& item : items)
      if (item["id"] == id) return item;
    return nlohmann::json();
  }
  std::string Entries(const Person& p) { return Json(p, {"status"})["status"]["entries"]; }

  Person* alice_ = nullptr;
  Person* bob_ = nullptr;
  PairResult pair_;
};

TEST_F(RetractTest, AWithdrawnNeedLeavesThePartnersListAndStaysInTheHistoryWithItsNote) {
  PairAliceAndBob();
  const std::string need =
      Json(*alice_, {"need", "add", "I need Sunday mornings to myself"})["written"]["id"];
  Ok(*alice_, {"need", "add", "I need a walk after work"});
  ASSERT_TRUE(WaitFor([&] { return Notes(*bob_, "needs").size() == 2; })) << bob_->daemon->Log();

  const std::string retract = Json(
      *alice_, {"retract", need.substr(0, 8), "--note", "we found another way"})["written"]["id"];
  ASSERT_TRUE(WaitFor([&] { return Find(Notes(*bob_, "needs"), need).contains("withdrawn"); }))
      << bob_->daemon->Log();

  // Bob's list no longer shows it, and says one was withdrawn.
  const std::string text = Ok(*bob_, {"needs"});
  EXPECT_EQ(text.find("Sunday mornings"), std::string::npos) << text;
  EXPECT_NE(text.find("I need a walk after work"), std::string::npos) << text;
  EXPECT_NE(text.find("1 withdrawn"), std::string::npos) << text;
  // --json keeps it, withdrawn, with the note.
  const nlohmann::json withdrawn = Find(Notes(*bob_, "needs"), need)["withdrawn"];
  EXPECT_EQ(withdrawn["id"], retract);
  EXPECT_EQ(withdrawn["note"], "we found another way");
  EXPECT_NE(withdrawn["time_ms"], "0");
  // So do both exports.
  CommandResult exported = bob_->daemon->Accord({"export", "--format", "json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const nlohmann::json doc = nlohmann::json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << exported.out;
  EXPECT_EQ(Find(doc["needs"], need)["withdrawn"]["note"], "we found another way") << doc.dump();
  EXPECT_FALSE(Find(doc["needs"], Notes(*bob_, "needs")[0]["id"]).contains("withdrawn"));  // newest
  const std::string md = Ok(*bob_, {"export", "--format", "md"});
  EXPECT_NE(md.find("I need Sunday mornings to myself _(withdrawn "), std::string::npos) << md;
  EXPECT_NE(md.find(": we found another way)_"), std::string::npos) << md;
  // The log shows the retract entry on both sides.
  bool logged = false;
  const nlohmann::json log = Json(*bob_, {"log"});
  for (const auto& e : log["log"]["entries"])
    if (e["id"] == retract) logged = e["kind"] == "ENTRY_KIND_RETRACT";
  EXPECT_TRUE(logged);
  EXPECT_NE(Ok(*alice_, {"log"}).find("retract"), std::string::npos);
  ASSERT_TRUE(WaitFor([&] { return Digest(*alice_) == Digest(*bob_); }));
}

TEST_F(RetractTest, APartnersEntryCannotBeWithdrawnAndNothingIsStored) {
  PairAliceAndBob();
  const std::string need =
      Json(*alice_, {"need", "add", "I need Sunday mornings to myself"})["written"]["id"];
  ASSERT_TRUE(WaitFor([&] { return Notes(*bob_, "needs").size() == 1; }));
  const std::string before = Entries(*bob_);

  CommandResult r = bob_->daemon->Accord({"retract", need.substr(0, 8), "--note", "mine now"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err.rfind("accord: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("was written by alice; only its author can withdraw it"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Entries(*bob_), before);
  EXPECT_FALSE(Find(Notes(*bob_, "needs"), need).contains("withdrawn"));
  EXPECT_NE(Ok(*bob_, {"needs"}).find("Sunday mornings"), std::string::npos);
}

TEST_F(RetractTest, AWithdrawnSpaceRequestEndsOnBothSides) {
  PairAliceAndBob();
  const std::string ask = Json(*alice_, {"ask", "2h", "a long walk"})["written"]["id"];
  ASSERT_TRUE(WaitFor([&] { return Json(*bob_, {"status"})["status"]["in_space"].size() == 1; }));
  Ok(*alice_, {"retract", ask.substr(0, 8), "--note", "back sooner than I thought"});
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json s = Json(*bob_, {"status"})["status"];
    return !s.contains("in_space") || s["in_space"].empty();
  })) << bob_->daemon->Log();
  EXPECT_NE(Ok(*bob_, {"space"}).find("nobody is in space now"), std::string::npos);
  const nlohmann::json recent = Json(*bob_, {"space"})["space"]["recent"];
  ASSERT_EQ(recent.size(), 1u) << recent.dump();
  EXPECT_EQ(recent[0]["withdrawn"]["note"], "back sooner than I thought");
  // Ended now, it cannot be withdrawn again.
  EXPECT_EQ(alice_->daemon->Accord({"retract", ask.substr(0, 8)}).exit_code, 5);
}

TEST_F(RetractTest, AppreciationsAreListedOnBothSides) {
  PairAliceAndBob();
  Ok(*alice_, {"appreciate", "Thank you for the quiet evening"});
  ASSERT_TRUE(WaitFor([&] { return Notes(*bob_, "appreciations").size() == 1; }));
  EXPECT_EQ(Notes(*bob_, "appreciations")[0]["author_name"], "alice");
  const std::string text = Ok(*bob_, {"appreciations"});
  EXPECT_NE(text.find("alice: Thank you for the quiet evening"), std::string::npos) << text;
  EXPECT_NE(Ok(*alice_, {"appreciations"}).find("Thank you"), std::string::npos);
}

TEST_F(RetractTest, BadIdsAreUsageErrorsAndAnUnknownOneIsNotFound) {
  Person& alice = Start("alice");
  const std::string need = Json(alice, {"need", "add", "I need quiet"})["written"]["id"];
  EXPECT_EQ(alice.daemon->Accord({"retract"}).exit_code, 2);  // no ID at all
  for (const std::string& bad : {std::string(), std::string("abc"), std::string("zzzzzz")}) {
    CommandResult r = alice.daemon->Accord({"retract", bad});
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.err;
    EXPECT_EQ(r.err.rfind("accord: error: ", 0), 0u) << r.err;
  }
  // A prefix of no entry here: every id this device holds differs in its first digit.
  std::set<char> firsts;
  const nlohmann::json log = Json(alice, {"log"});
  for (const auto& e : log["log"]["entries"]) firsts.insert(e["id"].get<std::string>()[0]);
  std::string unknown = "0000";
  for (char c : std::string("0123456789abcdef"))
    if (firsts.count(c) == 0) unknown = std::string(4, c);
  ASSERT_EQ(firsts.count(unknown[0]), 0u);
  CommandResult r = alice.daemon->Accord({"retract", unknown});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no entry with id '" + unknown + "'"), std::string::npos) << r.err;
  EXPECT_FALSE(Find(Notes(alice, "needs"), need).contains("withdrawn"));
}

TEST_F(RetractTest, TheSafetyNumberIsRefusedBeforePairingAndThenIsThePairingOne) {
  Person& alice = Start("alice");
  CommandResult alone = alice.daemon->Accord({"safety-number"});
  EXPECT_EQ(alone.exit_code, 5) << alone.err;
  EXPECT_EQ(alone.err.rfind("accord: error: no partner yet", 0), 0u) << alone.err;
  EXPECT_NE(alone.err.find("accord invite"), std::string::npos) << alone.err;

  bob_ = &Start("bob");
  alice_ = &alice;
  PairResult pair = Pair(alice, *bob_);
  ASSERT_EQ(pair.join_exit, 0) << pair.join_err;
  const std::string shown = pair.join["join"]["safety_number"];
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"status"})["status"]["members"].size() == 2; }));
  ASSERT_TRUE(WaitFor([&] { return Json(*bob_, {"status"})["status"]["members"].size() == 2; }));
  const nlohmann::json on_alice = Json(alice, {"safety-number"})["safety_number"]["partners"];
  ASSERT_EQ(on_alice.size(), 1u);
  EXPECT_EQ(on_alice[0]["name"], "bob");
  EXPECT_EQ(on_alice[0]["safety_number"], shown);
  const nlohmann::json on_bob = Json(*bob_, {"safety-number"})["safety_number"]["partners"];
  ASSERT_EQ(on_bob.size(), 1u);
  EXPECT_EQ(on_bob[0]["name"], "alice");
  EXPECT_EQ(on_bob[0]["safety_number"], shown);
  const std::string text = Ok(*bob_, {"safety-number"});
  EXPECT_NE(text.find("safety number with alice"), std::string::npos) << text;
  EXPECT_NE(text.find(shown), std::string::npos) << text;
}

}  // namespace
}  // namespace accord::testing
