#include "daemon/export/export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace accord::daemon {
namespace {

constexpr int64_t kNow = 1'700'000'000'000LL;  // unix ms

state::State StateWithNeeds(size_t count, const std::string& text) {
  state::State s;
  state::Member alice;
  alice.id[0] = 1;
  alice.name = "Zoë";
  s.members.push_back(alice);
  for (size_t i = 0; i < count; ++i) {
    state::Need n;
    n.by.id[0] = static_cast<uint8_t>(i);
    n.by.id[1] = static_cast<uint8_t>(i >> 8);
    n.by.member = alice.id;
    n.by.time_ms = kNow;
    n.text = text + " " + std::to_string(i);
    s.needs.push_back(n);
  }
  return s;
}

TEST(Export, SmallChunksJoinIntoTheWholeDocumentAndNeverSplitACharacter) {
  const state::State s = StateWithNeeds(40, "I need é, € and \xf0\x9f\x8c\xb3");
  for (ExportFormat format : {ExportFormat::kJson, ExportFormat::kMarkdown}) {
    const std::string whole = ExportAll(format, s, s.members[0].id, kNow);
    ExportDocument doc(format, s, s.members[0].id, kNow);
    std::string joined;
    size_t chunks = 0;
    while (!doc.done()) {
      const std::string chunk = doc.NextChunk(7);
      ASSERT_FALSE(chunk.empty());
      ASSERT_LE(chunk.size(), 7u);
      // A chunk starts on a character boundary: never with a UTF-8 continuation byte.
      ASSERT_NE(static_cast<uint8_t>(chunk[0]) & 0xc0, 0x80) << chunks;
      joined += chunk;
      ++chunks;
    }
    EXPECT_EQ(joined, whole);
    EXPECT_GT(chunks, whole.size() / 7);
  }
  nlohmann::json j =
      nlohmann::json::parse(ExportAll(ExportFormat::kJson, s, s.members[0].id, kNow));
  EXPECT_EQ(j["needs"].size(), 40u);
  EXPECT_EQ(j["needs"][39]["text"], "I need é, € and \xf0\x9f\x8c\xb3 39");
}

TEST(Export, AnICalendarChunkNeverEndsBetweenCrAndLf) {
  const state::State s = StateWithNeeds(0, "");
  ExportDocument doc(ExportFormat::kICalendar, s, s.members[0].id, kNow);
  std::string joined;
  while (!doc.done()) {
    const std::string chunk = doc.NextChunk(5);
    ASSERT_FALSE(chunk.empty());
    EXPECT_NE(chunk.front(), '\n') << joined;
    joined += chunk;
  }
  EXPECT_EQ(joined.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_EQ(joined.substr(joined.size() - 15), "END:VCALENDAR\r\n");
}

TEST(Export, WithdrawnItemsAreKeptAndShownWithdrawnWithTheirNote) {
  state::State s = StateWithNeeds(2, "I need");
  state::Withdrawal w;
  w.by.id[0] = 0xee;
  w.by.member = s.members[0].id;
  w.by.time_ms = kNow + 60'000;
  w.note = "we found another way";
  s.needs[1].withdrawn = w;
  state::CheckIn c;
  c.by.id[0] = 0xcc;
  c.by.member = s.members[0].id;
  c.feeling = 2;
  c.withdrawn = w;
  s.check_ins.push_back(c);
  nlohmann::json j =
      nlohmann::json::parse(ExportAll(ExportFormat::kJson, s, s.members[0].id, kNow));
  ASSERT_EQ(j["needs"].size(), 2u);
  EXPECT_FALSE(j["needs"][0].contains("withdrawn"));
  EXPECT_EQ(j["needs"][1]["withdrawn"]["note"], "we found another way");
  EXPECT_EQ(j["needs"][1]["withdrawn"]["time_ms"], std::to_string(kNow + 60'000));
  EXPECT_EQ(j["needs"][1]["withdrawn"]["id"].get<std::string>().substr(0, 2), "ee");
  EXPECT_EQ(j["check_ins"][0]["withdrawn"]["note"], "we found another way");
  const std::string md = ExportAll(ExportFormat::kMarkdown, s, s.members[0].id, kNow);
  EXPECT_NE(md.find("- Zoë: I need 0\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- Zoë: I need 1 _(withdrawn "), std::string::npos) << md;
  EXPECT_NE(md.find(": we found another way)_\n"), std::string::npos) << md;
}

TEST(Export, TheDocumentIsASnapshotOfTheStateItWasMadeFrom) {
  state::State s = StateWithNeeds(3, "I need");
  ExportDocument doc(ExportFormat::kJson, s, s.members[0].id, kNow);
  const std::string expected = ExportAll(ExportFormat::kJson, s, s.members[0].id, kNow);
  s.needs.clear();  // entries arriving (or the state being refolded) between chunks
  std::string joined;
  while (!doc.done()) joined += doc.NextChunk(16);
  EXPECT_EQ(joined, expected);
}

TEST(Export, ALargeDocumentComesInChunksOfAtMostTheLimit) {
  const state::State s = StateWithNeeds(600, std::string(4000, 'x'));
  ExportDocument doc(ExportFormat::kMarkdown, s, s.members[0].id, kNow);
  size_t total = 0, chunks = 0;
  while (!doc.done()) {
    const std::string chunk = doc.NextChunk(size_t{1} << 20);
    ASSERT_LE(chunk.size(), size_t{1} << 20);
    total += chunk.size();
    ++chunks;
  }
  EXPECT_GT(total, 600u * 4000u);
  EXPECT_EQ(chunks, (total + (size_t{1} << 20) - 1) >> 20);
}

// Alice proposed; Bob declined it with a note. Alice asked for space; Bob acknowledged it
// with a note.
state::State StateWithNotes() {
  state::State s = StateWithNeeds(0, "");
  state::Member bob;
  bob.id[0] = 2;
  bob.name = "Bob";
  s.members.push_back(bob);
  const state::MemberId alice = s.members[0].id;

  state::Agreement a;
  a.id[0] = 10;
  state::Version v;
  v.by.id = a.id;
  v.by.member = alice;
  v.by.time_ms = kNow;
  v.text = "Tuesday evenings are mine";
  state::Schedule schedule;
  schedule.spec = "tue 19:00-21:00";
  schedule.time_zone = "America/New_York";
  schedule.weekdays = 1u << 1;
  schedule.start_minute = 19 * 60;
  schedule.end_minute = 21 * 60;
  v.schedule = schedule;
  v.stances.push_back({alice, state::StanceKind::kAccepted, v.by, ""});
  state::Authored declined;
  declined.id[0] = 11;
  declined.member = bob.id;
  declined.time_ms = kNow + 60'000;
  v.stances.push_back(
      {bob.id, state::StanceKind::kDeclined, declined, "not in\nMay; ask me in June"});
  a.versions.push_back(v);
  a.pending.push_back(v.by.id);
  s.agreements.push_back(a);

  state::SpaceRequest r;
  r.by.id[0] = 12;
  r.by.member = alice;
  r.start_ms = kNow;
  r.duration_ms = 3'600'000;
  r.end_ms = kNow + 3'600'000;
  r.message = "a long walk";
  state::SpaceAck ack;
  ack.by.id[0] = 13;
  ack.by.member = bob.id;
  ack.by.time_ms = kNow + 120'000;
  ack.note = "enjoy, see you at six";
  r.acks.push_back(ack);
  s.space_requests.push_back(r);
  return s;
}

TEST(Export, JsonHoldsDeclineAndAcknowledgementNotes) {
  const state::State s = StateWithNotes();
  nlohmann::json j =
      nlohmann::json::parse(ExportAll(ExportFormat::kJson, s, s.members[0].id, kNow));
  const nlohmann::json& declines = j["agreements"][0]["history"][0]["declines"];
  ASSERT_EQ(declines.size(), 1u) << j.dump(2);
  EXPECT_EQ(declines[0]["name"], "Bob");
  EXPECT_EQ(declines[0]["note"], "not in\nMay; ask me in June");
  EXPECT_EQ(declines[0]["time_ms"], std::to_string(kNow + 60'000));  // int64: a JSON string
  const nlohmann::json& acks = j["space_requests"][0]["acks"];
  ASSERT_EQ(acks.size(), 1u) << j.dump(2);
  EXPECT_EQ(acks[0]["name"], "Bob");
  EXPECT_EQ(acks[0]["note"], "enjoy, see you at six");
  EXPECT_EQ(j["agreements"][0]["history"][0]["schedule"]["time_zone"], "America/New_York");
}

TEST(Export, MarkdownListsDeclinesAndAcknowledgementsUnderWhatTheyAnswer) {
  const state::State s = StateWithNotes();
  const std::string md = ExportAll(ExportFormat::kMarkdown, s, s.members[0].id, kNow);
  const size_t version = md.find("- v1 by Zoë, ");
  ASSERT_NE(version, std::string::npos) << md;
  EXPECT_NE(md.find("space times tue 19:00-21:00 (America/New_York)\n", version), std::string::npos)
      << md;
  const size_t decline = md.find("\n  - declined by Bob, ", version);
  ASSERT_NE(decline, std::string::npos) << md;
  // The note's second line stays inside the list item.
  EXPECT_NE(md.find(": not in\n    May; ask me in June\n", decline), std::string::npos) << md;

  const size_t space = md.find("## Space requests\n\n- Zoë, ");
  ASSERT_NE(space, std::string::npos) << md;
  const size_t ack = md.find("\n  - acknowledged by Bob, ", space);
  ASSERT_NE(ack, std::string::npos) << md;
  EXPECT_NE(md.find(": enjoy, see you at six\n", ack), std::string::npos) << md;
  EXPECT_LT(ack, md.find("## Appreciations")) << md;
}

}  // namespace
}  // namespace accord::daemon
