#include "client/render.h"

#include "base/duration.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <ctime>
#include <string_view>

namespace accord::client {

namespace {

std::string Short(std::string_view id) { return std::string(id.substr(0, 8)); }

std::string LocalTime(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string Clock(int64_t ms) { return LocalTime(ms).substr(11); }

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void Version(const proto::VersionView& v, std::ostream& out, const char* indent) {
  out << indent << "v" << v.number() << " " << Short(v.id()) << " [" << v.status() << "] by "
      << v.author_name() << ", " << LocalTime(v.time_ms()) << "\n"
      << indent << "  " << v.text() << "\n";
  if (!v.schedule().spec().empty()) {
    out << indent << "  space times: " << v.schedule().spec() << " (" << v.schedule().time_zone()
        << ")\n";
  }
  if (v.review_every_s() > 0) {
    out << indent << "  review every " << FormatDuration(std::chrono::seconds(v.review_every_s()))
        << "\n";
  }
  if (v.accepted_by_size() > 0) out << indent << "  accepted by: " << Join(v.accepted_by()) << "\n";
  if (v.declined_by_size() > 0) out << indent << "  declined by: " << Join(v.declined_by()) << "\n";
}

void Agreement(const proto::AgreementView& a, std::ostream& out, bool full) {
  const proto::VersionView& head = a.has_active() ? a.active() : a.pending(0);
  out << Short(a.id()) << "  [" << a.status() << "]  " << head.text() << "\n";
  if (!full) {
    for (const auto& p : a.pending())
      if (a.has_active())
        out << "          pending change " << Short(p.id()) << ": " << p.text() << "\n";
    return;
  }
  if (a.status() == "retired") {
    out << "  retired by " << a.retired_by()
        << (a.retire_note().empty() ? "" : ": " + a.retire_note()) << "\n";
  }
  out << "  history:\n";
  for (const auto& v : a.history()) Version(v, out, "    ");
  if (a.check_ins_size() > 0) out << "  check-ins:\n";
  for (const auto& c : a.check_ins()) {
    out << "    " << LocalTime(c.time_ms()) << " " << c.author_name() << " feeling " << c.feeling()
        << (c.note().empty() ? "" : ": " + c.note()) << "\n";
  }
}

void Space(const proto::SpaceView& s, std::ostream& out) {
  out << Short(s.id()) << "  " << s.name()
      << (s.active() ? " is in space until " : " was in space until ") << Clock(s.end_ms())
      << (s.message().empty() ? "" : ": " + s.message());
  if (s.acked_by_size() > 0) out << " (acknowledged by " << Join(s.acked_by()) << ")";
  out << "\n";
}

void Peer(const proto::PeerView& p, int64_t now_ms, std::ostream& out) {
  out << "peer " << p.name() << " (device " << Short(p.device_key()) << ")  " << p.state();
  if (!p.address().empty()) out << "  " << p.address();
  if (p.state() == "connected") {
    if (p.receiving_total() > p.received()) {
      out << "  syncing " << p.received() << "/" << p.receiving_total();
    }
    out << "  " << p.entries_behind() << " entries behind";
  } else if (p.last_seen_ms() > 0) {
    out << "  last seen " << LocalTime(p.last_seen_ms());
  }
  out << "\n";
}

void Status(const proto::StatusResponse& s, int64_t now_ms, std::ostream& out) {
  out << "pact:";
  for (const auto& m : s.members()) {
    out << " " << m.name() << (m.is_me() ? " (me)" : "") << (m.left() ? " (left)" : "");
  }
  out << "\n";
  if (!s.listen_address().empty()) out << "listening on " << s.listen_address() << "\n";
  for (const auto& p : s.peers()) Peer(p, now_ms, out);
  out << "entries: " << s.entries() << "\n";
  for (const auto& a : s.waiting_for_me())
    out << "waiting for you: " << Short(a.id()) << " "
        << (a.pending_size() ? a.pending(0).text() : "") << "\n";
  for (const auto& sp : s.in_space()) Space(sp, out);
  for (const auto& d : s.due())
    out << "due: review " << Short(d.agreement_id()) << " " << d.text() << "\n";
  for (const auto& f : s.forks())
    out << "FORK: device " << Short(f.author()) << " wrote two entries at seq " << f.seq()
        << "; its feed is frozen\n";
  if (!s.writes_refused().empty()) out << "WRITES REFUSED: " << s.writes_refused() << "\n";
  out << "state digest: " << s.state_digest() << "\n";
}

}  // namespace

std::string ToJson(const proto::Response& response, bool one_line) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = !one_line;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(response, &out, options);
  return out;
}

void RenderText(const proto::Response& r, int64_t now_ms, std::ostream& out) {
  using R = proto::Response;
  switch (r.result_case()) {
    case R::kInit:
      out << "created your identity; device key " << Short(r.init().device_key()) << "\n";
      break;
    case R::kStatus:
      Status(r.status(), now_ms, out);
      break;
    case R::kPeers:
      if (r.peers().peers_size() == 0)
        out << "no peers yet; pair with accord invite / accord join\n";
      for (const auto& p : r.peers().peers()) Peer(p, now_ms, out);
      break;
    case R::kInvite: {
      const auto& u = r.invite();
      if (u.state() == "open") {
        out << "pairing code: " << u.code() << "\n" << u.message() << "\n";
      } else if (u.state() == "paired") {
        out << "paired with " << u.partner_name()
            << "\nsafety number (compare at the kitchen table):\n  " << u.safety_number() << "\n";
      } else if (u.state() != "consent") {
        out << u.message() << "\n";
      }
      break;
    }
    case R::kJoin:
      out << "joined " << r.join().partner_name()
          << "'s pact\nsafety number (compare at the kitchen table):\n  "
          << r.join().safety_number() << "\n";
      break;
    case R::kWritten:
      out << Short(r.written().id()) << "\n";
      if (!r.written().hint().empty()) out << "hint: " << r.written().hint() << "\n";
      break;
    case R::kNotes:
      if (r.notes().notes_size() == 0) out << "(none yet)\n";
      for (const auto& n : r.notes().notes()) {
        out << Short(n.id()) << "  " << LocalTime(n.time_ms()) << "  " << n.author_name() << ": "
            << n.text() << (n.during_space() ? "  (during space)" : "") << "\n";
      }
      break;
    case R::kAgreements:
      if (r.agreements().agreements_size() == 0) out << "(no agreements)\n";
      for (const auto& a : r.agreements().agreements()) Agreement(a, out, false);
      break;
    case R::kShow:
      Agreement(r.show().agreement(), out, true);
      break;
    case R::kSpace:
      if (r.space().in_space_size() == 0) out << "nobody is in space now\n";
      for (const auto& s : r.space().in_space()) Space(s, out);
      for (const auto& u : r.space().upcoming()) {
        out << "scheduled: " << LocalTime(u.start_ms()) << "-" << Clock(u.end_ms()) << "  "
            << u.text() << "\n";
      }
      break;
    case R::kCheckIns:
      if (r.check_ins().check_ins_size() == 0) out << "(no check-ins)\n";
      for (const auto& c : r.check_ins().check_ins()) {
        out << Short(c.id()) << "  " << LocalTime(c.time_ms()) << "  " << c.author_name()
            << " feeling " << c.feeling() << (c.note().empty() ? "" : ": " + c.note())
            << (c.agreement_id().empty() ? "" : "  (about " + Short(c.agreement_id()) + ")")
            << "\n";
      }
      break;
    case R::kDue:
      if (r.due().due_size() == 0) out << "nothing is due\n";
      for (const auto& d : r.due().due()) {
        out << "review " << Short(d.agreement_id()) << " " << d.text() << " (due for "
            << (now_ms - d.due_since_ms()) / 86400000 << " days)\n";
      }
      break;
    case R::kLog:
      for (const auto& e : r.log().entries()) {
        out << Short(e.id()) << "  " << e.author_name() << " #" << e.seq() << "  "
            << LocalTime(e.time_ms()) << "  " << e.kind() << "  " << e.signature() << "\n";
      }
      if (r.log().verified() + r.log().failed() > 0) {
        out << r.log().verified() << " signatures verified, " << r.log().failed() << " failed\n";
      }
      break;
    case R::kExport:
      out << r.export_().content();
      break;
    case R::kEvent:
      out << Clock(r.event().time_ms()) << "  " << r.event().author_name() << "  "
          << r.event().summary() << "\n";
      break;
    case R::RESULT_NOT_SET:
      break;
  }
}

}  // namespace accord::client
