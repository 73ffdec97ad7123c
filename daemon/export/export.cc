#include "daemon/export/export.h"

#include <google/protobuf/util/json_util.h>

#include <ctime>
#include <set>
#include <sstream>

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

template <typename Items, typename Fn>
void JsonArray(std::ostringstream& out, const char* name, const Items& items, Fn to_view) {
  out << ",\n  \"" << name << "\": [";
  bool first = true;
  for (const auto& item : items) {
    out << (first ? "\n    " : ",\n    ") << Json(to_view(item));
    first = false;
  }
  out << (first ? "]" : "\n  ]");
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

}  // namespace

std::string ExportJson(const state::State& s, const state::MemberId& me, int64_t now_ms) {
  ViewBuilder v(s, me, now_ms);
  std::ostringstream out;
  out << "{\n  \"format\": \"accord-export/1\",\n  \"exported_at_ms\": " << now_ms;
  JsonArray(out, "members", s.members, [&](const state::Member& m) { return v.Member(m); });
  JsonArray(out, "needs", s.needs, [&](const state::Need& n) { return v.Note(n.by, n.text); });
  JsonArray(out, "boundaries", s.boundaries, [&](const state::Boundary& b) {
    proto::NoteView n = v.Note(b.by, b.text);
    n.set_during_space(b.during_space);
    return n;
  });
  JsonArray(out, "agreements", s.agreements,
            [&](const state::Agreement& a) { return v.Agreement(a, true); });
  JsonArray(out, "check_ins", s.check_ins, [&](const state::CheckIn& c) { return v.CheckIn(c); });
  JsonArray(out, "space_requests", s.space_requests,
            [&](const state::SpaceRequest& r) { return v.Space(r); });
  JsonArray(out, "appreciations", s.appreciations,
            [&](const state::Appreciation& a) { return v.Note(a.by, a.text); });
  JsonArray(out, "reflections", s.reflections,
            [&](const state::Reflection& r) { return v.Note(r.by, r.text); });
  out << "\n}\n";
  return out.str();
}

std::string ExportMarkdown(const state::State& s, const state::MemberId& me, int64_t now_ms) {
  ViewBuilder v(s, me, now_ms);
  std::ostringstream out;
  out << "# accord export\n\nExported " << LocalDate(now_ms) << ".\n\n## Members\n\n";
  for (const state::Member& m : s.members) {
    out << "- " << m.name << (m.id == me ? " (me)" : "") << (m.left ? " (left)" : "") << "\n";
  }
  out << "\n## Needs\n\n";
  for (const state::Need& n : s.needs)
    out << "- " << v.NameOf(n.by.member) << ": " << n.text << "\n";
  out << "\n## Boundaries\n\n";
  for (const state::Boundary& b : s.boundaries) {
    out << "- " << v.NameOf(b.by.member) << ": " << b.text
        << (b.during_space ? " _(during space)_" : "") << "\n";
  }
  out << "\n## Agreements\n";
  for (const state::Agreement& a : s.agreements) {
    proto::AgreementView view = v.Agreement(a, true);
    out << "\n### " << view.id().substr(0, 8) << " (" << view.status() << ")\n\n";
    for (const proto::VersionView& ver : view.history()) {
      out << "- v" << ver.number() << " by " << ver.author_name() << ", "
          << LocalDate(ver.time_ms()) << " [" << ver.status() << "]: " << ver.text();
      if (!ver.schedule().spec().empty()) out << " — space times " << ver.schedule().spec();
      out << "\n";
    }
  }
  out << "\n## Check-ins\n\n";
  for (const state::CheckIn& c : s.check_ins) {
    out << "- " << LocalDate(c.by.time_ms) << " " << v.NameOf(c.by.member) << ": feeling "
        << c.feeling << "/5" << (c.note.empty() ? "" : " — " + c.note) << "\n";
  }
  out << "\n## Appreciations\n\n";
  for (const state::Appreciation& a : s.appreciations) {
    out << "- " << v.NameOf(a.by.member) << ": " << a.text << "\n";
  }
  out << "\n## My reflections\n\n";
  for (const state::Reflection& r : s.reflections) {
    out << "- " << LocalDate(r.by.time_ms) << ": " << r.text << "\n";
  }
  return out.str();
}

std::string ExportICalendar(const state::State& s, const state::MemberId& me, int64_t now_ms) {
  std::vector<std::string> lines = {"BEGIN:VCALENDAR", "VERSION:2.0",
                                    "PRODID:-//accord//accord 0.1//EN", "CALSCALE:GREGORIAN"};
  std::set<std::string> zones;
  std::vector<std::pair<const state::Agreement*, const state::Version*>> scheduled;
  for (const state::Agreement& a : s.agreements) {
    if (a.status != state::AgreementStatus::kActive || !a.latest_active) continue;
    for (const state::Version& ver : a.versions) {
      if (ver.by.id == *a.latest_active && ver.schedule) {
        scheduled.emplace_back(&a, &ver);
        zones.insert(ver.schedule->time_zone);
      }
    }
  }
  for (const std::string& zone : zones) {
    for (std::string& l : state::VTimezoneLines(zone, now_ms - kYearMs, now_ms + 2 * kYearMs))
      lines.push_back(std::move(l));
  }
  for (const auto& [agreement, version] : scheduled) {
    lines.push_back("BEGIN:VEVENT");
    lines.push_back("UID:" + ToHex(version->by.id) + "@accord");
    lines.push_back("DTSTAMP:" + UtcStamp(now_ms));
    lines.push_back("SUMMARY:" + state::EscapeICalText("Space time: " + version->text));
    for (std::string& l : state::ToICalendarLines(*version->schedule))
      lines.push_back(std::move(l));
    lines.push_back("END:VEVENT");
  }
  lines.push_back("END:VCALENDAR");
  std::string out;
  for (const std::string& l : lines) out += state::FoldICalLine(l) + "\r\n";
  return out;
}

}  // namespace accord::daemon
