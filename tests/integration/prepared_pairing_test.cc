// Both partners prepare first (SPEC §4): two real daemons on loopback each write needs,
// boundaries, proposals (one countered, one retired), a check-in, an appreciation and
// reflections alone, then pair, in either direction. Afterwards both devices list both
// partners' shared entries with their original times, and each only its own reflections.
#include <map>
#include <set>
#include <thread>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

constexpr size_t kSharedWrittenAlone = 8;       // entries Prepare writes that a partner sees
constexpr size_t kReflectionsWrittenAlone = 2;  // and reflections

class PreparedPairingTest : public PactTest {
 protected:
  // What a device shows, as comparable lines: who wrote what, when (time_ms as shown), and
  // for agreements which version counters which and what was retired. Statuses that pairing
  // changes on purpose (a proposal written alone is pending until the partner accepts) are
  // left out.
  struct View {
    std::multiset<std::string> shared;
    std::multiset<std::string> reflections;
    friend bool operator==(const View&, const View&) = default;
  };

  // Everything a person writes alone; texts carry the name so both sides differ.
  void Prepare(const Person& p) {
    const std::string& n = p.name;
    Ok(p, {"need", "add", n + ": I need an evening to myself"});
    Ok(p, {"boundary", "add", n + ": no phones after ten", "--during-space"});
    const std::string walks = Wrote(p, {"propose", n + ": walks on sunday"});
    Wrote(p, {"counter", walks.substr(0, 8), n + ": long walks on sunday"});
    const std::string screens = Wrote(p, {"propose", n + ": screens off at dinner"});
    Ok(p, {"retire", screens.substr(0, 8), "--note", n + ": not yet"});
    Ok(p, {"checkin", "--agreement", walks.substr(0, 8), "--feeling", "4", "--note",
           n + ": walks help"});
    Ok(p, {"appreciate", n + ": thank you for listening"});
    Ok(p, {"reflect", n + ": I was tired, not angry"});
    Ok(p, {"reflect", n + ": a second private thought"});
  }
  std::string Wrote(const Person& p, const std::vector<std::string>& args) {
    return Json(p, args)["written"]["id"].get<std::string>();
  }

  static std::string Line(std::initializer_list<std::string> parts) {
    std::string out;
    for (const std::string& s : parts) out += (out.empty() ? "" : "|") + s;
    return out;
  }
  static std::string Str(const nlohmann::json& j, const char* field) {
    if (!j.contains(field)) return "";
    return j[field].is_string() ? j[field].get<std::string>() : j[field].dump();
  }

  View Snapshot(const Person& p) {
    View v;
    auto add_notes = [&](const std::string& list, const nlohmann::json& notes) {
      for (const auto& note : notes) {
        v.shared.insert(Line({list, Str(note, "author_name"), Str(note, "time_ms"),
                              Str(note, "text"), Str(note, "during_space")}));
      }
    };
    for (const char* list : {"needs", "boundaries"})
      add_notes(list, Json(p, {list})["notes"]["notes"]);
    // Appreciations have no list command yet; the export lists them.
    const nlohmann::json exported =
        nlohmann::json::parse(Ok(p, {"export", "--format", "json"}), nullptr, false);
    EXPECT_FALSE(exported.is_discarded());
    if (!exported.is_discarded()) add_notes("appreciations", exported["appreciations"]);
    std::map<std::string, std::string> root_text;  // agreement id -> text of version 1
    // (Each JSON document is held in a local: a range-for over a part of a temporary would
    // outlive it.)
    const nlohmann::json agreements = Json(p, {"agreements", "--all"});
    for (const auto& a : agreements["agreements"]["agreements"]) {
      const std::string id = Str(a, "id");
      const nlohmann::json agreement = Json(p, {"show", id})["show"]["agreement"];
      std::map<std::string, std::string> text_of;  // version id -> text
      for (const auto& ver : agreement["history"]) text_of[Str(ver, "id")] = Str(ver, "text");
      root_text[id] = text_of[id];
      for (const auto& ver : agreement["history"]) {
        const std::string counters = Str(ver, "counters");
        v.shared.insert(
            Line({"version", text_of[id], Str(ver, "author_name"), Str(ver, "time_ms"),
                  Str(ver, "text"), counters.empty() ? "-" : "counters " + text_of[counters]}));
      }
      if (Str(agreement, "status") == "AGREEMENT_STATUS_RETIRED")
        v.shared.insert(Line({"retired", text_of[id], Str(agreement, "retire_note")}));
    }
    const nlohmann::json check_ins = Json(p, {"checkins"});
    for (const auto& c : check_ins["check_ins"]["check_ins"]) {
      const std::string about = Str(c, "agreement_id");
      v.shared.insert(Line({"check-in", Str(c, "author_name"), Str(c, "time_ms"), Str(c, "note"),
                            about.empty() ? "-" : "about " + root_text[about]}));
    }
    const nlohmann::json reflections = Json(p, {"reflections"});
    for (const auto& note : reflections["notes"]["notes"]) {
      v.reflections.insert(
          Line({Str(note, "author_name"), Str(note, "time_ms"), Str(note, "text")}));
    }
    return v;
  }

  // Entries of `log` that were carried from a solo log (they say when).
  size_t CarriedInLog(const Person& p) {
    size_t carried = 0;
    const nlohmann::json log = Json(p, {"log"});
    for (const auto& e : log["log"]["entries"]) {
      const std::string carried_ms = Str(e, "carried_ms");
      if (carried_ms.empty() || carried_ms == "0") continue;
      EXPECT_LT(std::stoll(Str(e, "time_ms")), std::stoll(carried_ms)) << e.dump();
      ++carried;
    }
    return carried;
  }

  // Both prepare, `inviter` invites `joiner`; then each device shows both partners' shared
  // entries as they were written, and only its own reflections.
  void PairTwoPreparedLogs(Person& inviter, Person& joiner) {
    Prepare(inviter);
    Prepare(joiner);
    const View inviter_alone = Snapshot(inviter);
    const View joiner_alone = Snapshot(joiner);
    ASSERT_EQ(joiner_alone.reflections.size(), kReflectionsWrittenAlone);
    // Any copy written at pairing time would show a later time than the one seen alone.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));

    PairResult paired = Pair(inviter, joiner);
    ASSERT_EQ(paired.join_exit, 0) << paired.join_err;
    EXPECT_EQ(paired.join["join"]["carried_entries"], std::to_string(kSharedWrittenAlone));
    EXPECT_EQ(paired.join["join"]["carried_reflections"], std::to_string(kReflectionsWrittenAlone));

    std::multiset<std::string> both = inviter_alone.shared;
    both.insert(joiner_alone.shared.begin(), joiner_alone.shared.end());
    ASSERT_TRUE(WaitFor([&] {
      return Snapshot(inviter).shared == both && Snapshot(joiner).shared == both;
    })) << "inviter: "
        << inviter.daemon->Log() << "\njoiner: " << joiner.daemon->Log();
    EXPECT_EQ(Snapshot(inviter).reflections, inviter_alone.reflections);
    EXPECT_EQ(Snapshot(joiner).reflections, joiner_alone.reflections);
    ASSERT_TRUE(WaitFor([&] { return Digest(inviter) == Digest(joiner); }));

    // No reflection crosses to the partner: not in the partner's export either.
    const std::string exported = Ok(inviter, {"export", "--format", "json"});
    EXPECT_EQ(exported.find(joiner.name + ": I was tired"), std::string::npos);
    EXPECT_NE(exported.find(joiner.name + ": I need an evening to myself"), std::string::npos);
    const std::string joiner_export = Ok(joiner, {"export", "--format", "json"});
    EXPECT_EQ(joiner_export.find(inviter.name + ": I was tired"), std::string::npos);

    // The joiner's `log` shows its copies with their original times and when they were
    // carried; the inviter's, only the shared ones (it cannot open the others).
    EXPECT_EQ(CarriedInLog(joiner), kSharedWrittenAlone + kReflectionsWrittenAlone);
    EXPECT_EQ(CarriedInLog(inviter), kSharedWrittenAlone);

    // Afterwards the pact works as any: the inviter accepts the joiner's countered proposal.
    std::string walks;
    const nlohmann::json pending = Json(inviter, {"agreements", "--pending"});
    for (const auto& a : pending["agreements"]["agreements"]) {
      for (const auto& ver : a["pending"])
        if (Str(ver, "text") == joiner.name + ": long walks on sunday") walks = Str(a, "id");
    }
    ASSERT_FALSE(walks.empty());
    Ok(inviter, {"accept", walks.substr(0, 8)});
    ASSERT_TRUE(WaitFor([&] {
      return Str(Json(joiner, {"show", walks.substr(0, 8)})["show"]["agreement"], "status") ==
             "AGREEMENT_STATUS_ACTIVE";
    }));
  }
};

TEST_F(PreparedPairingTest, AInvitesBAfterBothPreparedAlone) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairTwoPreparedLogs(alice, bob);
}

TEST_F(PreparedPairingTest, BInvitesAAfterBothPreparedAlone) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairTwoPreparedLogs(bob, alice);
}

TEST_F(PreparedPairingTest, JoinSaysHowManyEarlierEntriesAreNowInThePact) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Ok(bob, {"need", "add", "bob: quiet mornings"});
  Ok(bob, {"boundary", "add", "bob: no calls at work"});
  Ok(bob, {"appreciate", "bob: thanks for the soup"});
  Ok(bob, {"reflect", "bob: private"});
  const std::string code = Json(alice, {"invite", "--no-wait"})["invite"]["code"];
  CommandResult joined = bob.daemon->Accord({"join", code, "--peer", alice.address});
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_NE(joined.out.find("3 earlier entries of yours are now in the pact"), std::string::npos)
      << joined.out;
  EXPECT_NE(joined.out.find("1 reflection stays on your devices only"), std::string::npos)
      << joined.out;
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"needs"})["notes"]["notes"].size() == 1; }))
      << alice.daemon->Log();
  EXPECT_EQ(Json(alice, {"reflections"})["notes"]["notes"].size(), 0u);
}

}  // namespace
}  // namespace accord::testing
