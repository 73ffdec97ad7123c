#include "daemon/export/export.h"

#include <google/protobuf/util/json_util.h>

#include <ctime>
#include <set>

#include "accord/ipc_words.h"
#include "daemon/ipc/views.h"
#include "daemon/state/ical.h"

namespace accord::daemon {

namespace {

constexpr int64_t kYearMs = 366LL * 86400 * 1000;  // milliseconds

std::string Json(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

std::string UtcStamp(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string LocalDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// A partner's text inside a Markdown list item: each further line is indented so that it
// stays within the item instead of starting a block of its own.
std::string MdItemText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

// "  - declined by Bob, 2024-05-01 19:00: not this week" under a version or space request.
std::string MdReply(const char* what, const proto::ReplyView& reply) {
  return std::string("  - ") + what + " by " + reply.name() + ", " + LocalDate(reply.time_ms()) +
         (reply.note().empty() ? "" : ": " + MdItemText(reply.note())) + "\n";
}

// " _(withdrawn DATE: note)_" for a withdrawn item in the Markdown export; "" otherwise.
std::string WithdrawnMark(const std::optional<state::Withdrawal>& w) {
  if (!w) return "";
  return " _(withdrawn " + LocalDate(w->by.time_ms) + (w->note.empty() ? "" : ": " + w->note) +
         ")_";
}

// True if the document may be cut before pos: not inside a UTF-8 sequence, not within CRLF.
bool CutsCleanly(const std::string& s, size_t pos) {
  const auto byte = static_cast<uint8_t>(s[pos]);
  if ((byte & 0xc0) == 0x80) return false;
  return !(s[pos] == '\n' && s[pos - 1] == '\r');
}

}  // namespace

ExportDocument::ExportDocument(ExportFormat format, const state::State& state,
                               const state::MemberId& me, int64_t now_ms)
    : state_(std::make_unique<const state::State>(state)),
      me_(me),
      now_ms_(now_ms),
      views_(std::make_unique<ViewBuilder>(*state_, me_, now_ms_)) {
  switch (format) {
    case ExportFormat::kJson:
      BuildJson();
      break;
    case ExportFormat::kMarkdown:
      BuildMarkdown();
      break;
    case ExportFormat::kICalendar:
      BuildICalendar();
      break;
  }
}

ExportDocument::~ExportDocument() = default;

void ExportDocument::Once(std::function<void(std::string&)> piece) {
  sections_.push_back({1, [piece = std::move(piece)](size_t, std::string& out) { piece(out); }});
}

bool ExportDocument::NextPiece(std::string& out) {
  while (section_ < sections_.size() && item_ >= sections_[section_].count) {
    ++section_;
    item_ = 0;
  }
  if (section_ == sections_.size()) return false;
  sections_[section_].piece(item_++, out);
  return true;
}

std::string ExportDocument::NextChunk(size_t max_bytes) {
  while (pending_.size() < max_bytes && NextPiece(pending_)) {
  }
  size_t cut = std::min(max_bytes, pending_.size());
  if (cut < pending_.size()) {
    size_t clean = cut;
    while (clean > 0 && !CutsCleanly(pending_, clean)) --clean;
    if (clean > 0) cut = clean;  // else the piece holds no clean cut near here: cut anyway
  }
  std::string chunk = pending_.substr(0, cut);
  pending_.erase(0, cut);
  return chunk;
}

void ExportDocument::BuildJson() {
  const state::State& s = *state_;
  const ViewBuilder& v = *views_;
  Once([now = now_ms_](std::string& out) {
    out += "{\n  \"format\": \"accord-export/1\",\n  \"exported_at_ms\": " + std::to_string(now);
  });
  auto array = [this](const char* name, size_t count, std::function<std::string(size_t)> to_json) {
    Once([name](std::string& out) { out += std::string(",\n  \"") + name + "\": ["; });
    sections_.push_back({count, [to_json](size_t i, std::string& out) {
                           out += i == 0 ? "\n    " : ",\n    ";
                           out += to_json(i);
                         }});
    Once([count](std::string& out) { out += count == 0 ? "]" : "\n  ]"; });
  };
  array("members", s.members.size(), [&s, &v](size_t i) { return Json(v.Member(s.members[i])); });
  array("needs", s.needs.size(), [&s, &v](size_t i) {
    return Json(v.Note(s.needs[i].by, s.needs[i].text, s.needs[i].withdrawn));
  });
  array("boundaries", s.boundaries.size(), [&s, &v](size_t i) {
    proto::NoteView n = v.Note(s.boundaries[i].by, s.boundaries[i].text, s.boundaries[i].withdrawn);
    n.set_during_space(s.boundaries[i].during_space);
    return Json(n);
  });
  array("agreements", s.agreements.size(),
        [&s, &v](size_t i) { return Json(v.Agreement(s.agreements[i], true)); });
  array("check_ins", s.check_ins.size(),
        [&s, &v](size_t i) { return Json(v.CheckIn(s.check_ins[i])); });
  array("space_requests", s.space_requests.size(),
        [&s, &v](size_t i) { return Json(v.Space(s.space_requests[i])); });
  array("appreciations", s.appreciations.size(), [&s, &v](size_t i) {
    return Json(
        v.Note(s.appreciations[i].by, s.appreciations[i].text, s.appreciations[i].withdrawn));
  });
  array("reflections", s.reflections.size(),
        [&s, &v](size_t i) { return Json(v.Note(s.reflections[i].by, s.reflections[i].text)); });
  Once([](std::string& out) { out += "\n}\n"; });
}

void ExportDocument::BuildMarkdown() {
  const state::State& s = *state_;
  const ViewBuilder& v = *views_;
  const state::MemberId me = me_;
  Once([now = now_ms_](std::string& out) {
    out += "# accord export\n\nExported " + LocalDate(now) + ".\n\n## Members\n\n";
  });
  sections_.push_back({s.members.size(), [&s, me](size_t i, std::string& out) {
                         const state::Member& m = s.members[i];
                         out += "- " + m.name + (m.id == me ? " (me)" : "") +
                                (m.left ? " (left)" : "") + "\n";
                       }});
  Once([](std::string& out) { out += "\n## Needs\n\n"; });
  sections_.push_back({s.needs.size(), [&s, &v](size_t i, std::string& out) {
                         const state::Need& n = s.needs[i];
                         out += "- " + v.NameOf(n.by.member) + ": " + n.text +
                                WithdrawnMark(n.withdrawn) + "\n";
                       }});
  Once([](std::string& out) { out += "\n## Boundaries\n\n"; });
  sections_.push_back({s.boundaries.size(), [&s, &v](size_t i, std::string& out) {
                         const state::Boundary& b = s.boundaries[i];
                         out += "- " + v.NameOf(b.by.member) + ": " + b.text +
                                (b.during_space ? " _(during space)_" : "") +
                                WithdrawnMark(b.withdrawn) + "\n";
                       }});
  Once([](std::string& out) { out += "\n## Agreements\n"; });
  sections_.push_back({s.agreements.size(), [&s, &v](size_t i, std::string& out) {
                         proto::AgreementView view = v.Agreement(s.agreements[i], true);
                         out += "\n### " + view.id().substr(0, 8) + " (" +
                                std::string(proto::WordFor(view.status())) + ")\n\n";
                         for (const proto::VersionView& ver : view.history()) {
                           out += "- v" + std::to_string(ver.number()) + " by " +
                                  ver.author_name() + ", " + LocalDate(ver.time_ms()) + " [" +
                                  std::string(proto::WordFor(ver.status())) + "]: " + ver.text();
                           if (!ver.schedule().spec().empty()) {
                             out += " — space times " + ver.schedule().spec() + " (" +
                                    ver.schedule().time_zone() + ")";
                           }
                           out += "\n";
                           for (const proto::ReplyView& d : ver.declines())
                             out += MdReply("declined", d);
                         }
                       }});
  Once([](std::string& out) { out += "\n## Check-ins\n\n"; });
  sections_.push_back({s.check_ins.size(), [&s, &v](size_t i, std::string& out) {
                         const state::CheckIn& c = s.check_ins[i];
                         out += "- " + LocalDate(c.by.time_ms) + " " + v.NameOf(c.by.member) +
                                ": feeling " + std::to_string(c.feeling) + "/5" +
                                (c.note.empty() ? "" : " — " + c.note) +
                                WithdrawnMark(c.withdrawn) + "\n";
                       }});
  Once([](std::string& out) { out += "\n## Space requests\n\n"; });
  sections_.push_back({s.space_requests.size(), [&s, &v](size_t i, std::string& out) {
                         const proto::SpaceView r = v.Space(s.space_requests[i]);
                         out += "- " + r.name() + ", " + LocalDate(r.start_ms()) + " until " +
                                LocalDate(r.end_ms()) +
                                (r.message().empty() ? "" : ": " + MdItemText(r.message())) + "\n";
                         for (const proto::ReplyView& ack : r.acks())
                           out += MdReply("acknowledged", ack);
                       }});
  Once([](std::string& out) { out += "\n## Appreciations\n\n"; });
  sections_.push_back({s.appreciations.size(), [&s, &v](size_t i, std::string& out) {
                         const state::Appreciation& a = s.appreciations[i];
                         out += "- " + v.NameOf(a.by.member) + ": " + a.text +
                                WithdrawnMark(a.withdrawn) + "\n";
                       }});
  Once([](std::string& out) { out += "\n## My reflections\n\n"; });
  sections_.push_back({s.reflections.size(), [&s](size_t i, std::string& out) {
                         const state::Reflection& r = s.reflections[i];
                         out += "- " + LocalDate(r.by.time_ms) + ": " + r.text + "\n";
                       }});
}

void ExportDocument::BuildICalendar() {
  const state::State& s = *state_;
  const int64_t now_ms = now_ms_;
  std::set<std::string> zone_set;
  std::vector<const state::Version*> scheduled;
  for (const state::Agreement& a : s.agreements) {
    if (a.status != state::AgreementStatus::kActive || !a.latest_active) continue;
    for (const state::Version& ver : a.versions) {
      if (ver.by.id == *a.latest_active && ver.schedule) {
        scheduled.push_back(&ver);
        zone_set.insert(ver.schedule->time_zone);
      }
    }
  }
  auto lines = [](const std::vector<std::string>& ls, std::string& out) {
    for (const std::string& l : ls) out += state::FoldICalLine(l) + "\r\n";
  };
  Once([lines](std::string& out) {
    lines({"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//accord//accord 0.1//EN",
           "CALSCALE:GREGORIAN"},
          out);
  });
  std::vector<std::string> zones(zone_set.begin(), zone_set.end());
  sections_.push_back(
      {zones.size(), [zones, now_ms, lines](size_t i, std::string& out) {
         lines(state::VTimezoneLines(zones[i], now_ms - kYearMs, now_ms + 2 * kYearMs), out);
       }});
  sections_.push_back({scheduled.size(), [scheduled, now_ms, lines](size_t i, std::string& out) {
                         const state::Version& version = *scheduled[i];
                         std::vector<std::string> event = {
                             "BEGIN:VEVENT", "UID:" + ToHex(version.by.id) + "@accord",
                             "DTSTAMP:" + UtcStamp(now_ms),
                             "SUMMARY:" + state::EscapeICalText("Space time: " + version.text)};
                         for (std::string& l : state::ToICalendarLines(*version.schedule))
                           event.push_back(std::move(l));
                         event.push_back("END:VEVENT");
                         lines(event, out);
                       }});
  Once([lines](std::string& out) { lines({"END:VCALENDAR"}, out); });
}

std::string ExportAll(ExportFormat format, const state::State& state, const state::MemberId& me,
                      int64_t now_ms) {
  ExportDocument doc(format, state, me, now_ms);
  std::string out;
  while (!doc.done()) out += doc.NextChunk(size_t{1} << 20);
  return out;
}

}  // namespace accord::daemon
