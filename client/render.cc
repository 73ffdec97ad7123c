#include "client/render.h"

#include "accord/ipc_words.h"
#include "base/duration.h"
#include "base/text.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <ctime>
#include <string_view>

namespace accord::client {

namespace {

// Every string that came from the daemon goes through S before it reaches the terminal: a
// partner (or an old device) may have written anything. Continuation lines are indented.
std::string S(std::string_view s) { return TerminalSafe(s, "    "); }

std::string Short(std::string_view id) { return S(id.substr(0, 8)); }

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
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + S(s);
  return out;
}

void Version(const proto::VersionView& v, std::ostream& out, const char* indent) {
  out << indent << "v" << v.number() << " " << Short(v.id()) << " [" << proto::WordFor(v.status())
      << "] by " << S(v.author_name()) << ", " << LocalTime(v.time_ms()) << "\n"
      << indent << "  " << S(v.text()) << "\n";
  if (!v.schedule().spec().empty()) {
    out << indent << "  space times: " << S(v.schedule().spec()) << " ("
        << S(v.schedule().time_zone()) << ")\n";
  }
  if (v.review_every_s() > 0) {
    out << indent << "  review every " << FormatDuration(std::chrono::seconds(v.review_every_s()))
        << "\n";
  }
  if (v.accepted_by_size() > 0) out << indent << "  accepted by: " << Join(v.accepted_by()) << "\n";
  if (v.declines_size() > 0) {
    for (const auto& d : v.declines()) {
      out << indent << "  declined by " << S(d.name()) << ", " << LocalTime(d.time_ms())
          << (d.note().empty() ? "" : ": " + S(d.note())) << "\n";
    }
  } else if (v.declined_by_size() > 0) {  // a daemon from before declines were listed
    out << indent << "  declined by: " << Join(v.declined_by()) << "\n";
  }
}

// " (withdrawn: note)" after an item its author withdrew, in lists that show the history.
std::string WithdrawnMark(const proto::CheckInView& c) {
  if (!c.has_withdrawn()) return "";
  return "  (withdrawn" + (c.withdrawn().note().empty() ? "" : ": " + S(c.withdrawn().note())) +
         ")";
}

// The line after an active list that left withdrawn items out; "" if none was.
std::string WithdrawnLeftOut(int withdrawn) {
  if (withdrawn == 0) return "";
  return "(" + std::to_string(withdrawn) +
         " withdrawn, kept in the history: accord --json or accord export shows " +
         (withdrawn == 1 ? "it" : "them") + ")\n";
}

// A page that left older items out says how many and how to see them.
std::string OlderLeftOut(const proto::PageInfo& page, int shown) {
  if (page.older().empty() || page.total() <= static_cast<uint64_t>(shown)) return "";
  return "(" + std::to_string(page.total() - static_cast<uint64_t>(shown)) +
         " older not shown: --limit N or --all)\n";
}

void Agreement(const proto::AgreementView& a, std::ostream& out, bool full) {
  const proto::VersionView& head = a.has_active()         ? a.active()
                                   : a.pending_size() > 0 ? a.pending(0)
                                                          : proto::VersionView::default_instance();
  out << Short(a.id()) << "  [" << proto::WordFor(a.status()) << "]  " << S(head.text()) << "\n";
  if (!full) {
    for (const auto& p : a.pending())
      if (a.has_active())
        out << "          pending change " << Short(p.id()) << ": " << S(p.text()) << "\n";
    return;
  }
  if (a.status() == proto::AGREEMENT_STATUS_RETIRED) {
    out << "  retired by " << S(a.retired_by())
        << (a.retire_note().empty() ? "" : ": " + S(a.retire_note())) << "\n";
  }
  out << "  history:\n";
  for (const auto& v : a.history()) Version(v, out, "    ");
  if (a.check_ins_size() > 0) out << "  check-ins:\n";
  for (const auto& c : a.check_ins()) {
    out << "    " << LocalTime(c.time_ms()) << " " << S(c.author_name()) << " feeling "
        << c.feeling() << (c.note().empty() ? "" : ": " + S(c.note())) << WithdrawnMark(c) << "\n";
  }
}

void Space(const proto::SpaceView& s, std::ostream& out) {
  out << Short(s.id()) << "  " << S(s.name())
      << (s.active() ? " is in space until " : " was in space until ") << Clock(s.end_ms())
      << (s.message().empty() ? "" : ": " + S(s.message()));
  if (s.acked_by_size() > 0) out << " (acknowledged by " << Join(s.acked_by()) << ")";
  if (s.has_withdrawn()) {
    out << " (withdrawn" << (s.withdrawn().note().empty() ? "" : ": " + S(s.withdrawn().note()))
        << ")";
  }
  out << "\n";
  for (const auto& ack : s.acks()) {
    if (!ack.note().empty()) out << "          " << S(ack.name()) << ": " << S(ack.note()) << "\n";
  }
}

void Peer(const proto::PeerView& p, int64_t now_ms, std::ostream& out) {
  out << "peer " << S(p.name()) << " (device " << Short(p.device_key()) << ")  "
      << proto::WordFor(p.state());
  if (!p.address().empty()) out << "  " << S(p.address());
  if (p.state() == proto::PEER_STATE_CONNECTED) {
    if (p.receiving_total() > p.received()) {
      out << "  syncing " << p.received() << "/" << p.receiving_total();
    }
    out << "  " << p.entries_behind() << " entries behind";
  } else if (p.last_seen_ms() > 0) {
    out << "  last seen " << LocalTime(p.last_seen_ms());
  }
  out << "\n";
}

// What asks something of me, in words, before anything technical (SPEC §6): proposals to
// answer, partners' space requests to acknowledge, reviews that are due.
void WaitingForMe(const proto::StatusResponse& s, std::ostream& out) {
  if (!s.writes_refused().empty()) out << "WRITES REFUSED: " << S(s.writes_refused()) << "\n";
  const size_t count = s.waiting_for_me_size() + s.to_acknowledge_size() + s.due_size();
  if (count == 0) {
    out << "Nothing is waiting for you.\n";
  } else {
    out << "Waiting for you:\n";
  }
  for (const auto& a : s.waiting_for_me()) {
    const proto::VersionView& v =
        a.pending_size() > 0 ? a.pending(0) : proto::VersionView::default_instance();
    out << "  " << S(v.author_name()) << (a.has_active() ? " proposes a change: " : " proposes: ")
        << S(v.text()) << "\n    accord accept|counter|decline " << Short(a.id()) << "\n";
  }
  for (const auto& sp : s.to_acknowledge()) {
    out << "  " << S(sp.name()) << " asks for space until " << Clock(sp.end_ms())
        << (sp.message().empty() ? "" : ": " + S(sp.message())) << "\n    accord ack "
        << Short(sp.id()) << "\n";
  }
  for (const auto& d : s.due()) {
    out << "  a review is due: " << S(d.text()) << " (since " << LocalTime(d.due_since_ms())
        << ")\n    accord show " << Short(d.agreement_id()) << ", then accord checkin --agreement "
        << Short(d.agreement_id()) << "\n";
  }
  if (s.in_space_size() > 0) out << "In space now:\n";
  for (const auto& sp : s.in_space()) {
    out << "  ";
    Space(sp, out);
  }
}

void Status(const proto::StatusResponse& s, int64_t now_ms, std::ostream& out) {
  WaitingForMe(s, out);
  out << "\npact:";
  for (const auto& m : s.members()) {
    out << " " << S(m.name()) << (m.is_me() ? " (me)" : "") << (m.left() ? " (left)" : "");
    if (m.device_keys_size() > 1) out << " [" << m.device_keys_size() << " devices]";
  }
  out << "\n";
  if (s.listen_addresses_size() > 0) {
    out << "listening on";
    for (const std::string& address : s.listen_addresses()) out << " " << S(address);
    out << "\n";
  } else if (!s.listen_address().empty()) {
    out << "listening on " << S(s.listen_address()) << "\n";
  }
  for (const auto& p : s.peers()) Peer(p, now_ms, out);
  out << "entries: " << s.entries() << "\n";
  for (const auto& f : s.forks())
    out << "FORK: device " << Short(f.author()) << " wrote two entries at seq " << f.seq()
        << "; its feed is frozen\n";
  for (const auto& d : s.damaged())
    out << "DAMAGED: entry " << Short(d.id()) << " (device " << Short(d.author()) << " #" << d.seq()
        << ", " << proto::WordFor(d.damage()) << "); waiting for a good copy from a peer\n";
  if (s.repaired() > 0) out << "repaired: " << s.repaired() << " entries from peers' copies\n";
  out << "state digest: " << S(s.state_digest()) << "\n";
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

void RenderExportChunk(std::string_view content, std::ostream& out) {
  std::string text;
  text.reserve(content.size());
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') continue;
    text.push_back(content[i]);
  }
  out << TerminalSafe(text);
}

void RenderText(const proto::Response& r, int64_t now_ms, std::ostream& out) {
  using R = proto::Response;
  switch (r.result_case()) {
    case R::kJoinConsent:  // answered by the client's prompt; shown as it is if rendered
      out << TerminalSafe(r.join_consent().message()) << "\n";
      break;
    case R::kInit:
      out << "created your identity; device key " << Short(r.init().device_key()) << "\n";
      break;
    case R::kStatus:
      Status(r.status(), now_ms, out);
      break;
    case R::kDoctor:
      for (const auto& c : r.doctor().checks()) {
        std::string word(proto::WordFor(c.result()));
        word.resize(std::max<size_t>(word.size(), 8), ' ');
        out << word << S(c.name()) << ": " << S(c.detail()) << "\n";
        if (!c.fix().empty()) out << "        fix: " << S(c.fix()) << "\n";
      }
      break;
    case R::kPeers:
      if (r.peers().peers_size() == 0)
        out << "no peers yet; pair with accord invite / accord join\n";
      for (const auto& p : r.peers().peers()) Peer(p, now_ms, out);
      break;
    case R::kInvite: {
      const auto& u = r.invite();
      if (u.state() == proto::INVITE_STATE_OPEN) {
        out << "pairing code: " << S(u.code()) << "\n" << S(u.message()) << "\n";
      } else if (u.state() == proto::INVITE_STATE_PAIRED) {
        out << "paired with " << S(u.partner_name())
            << "\nsafety number (compare at the kitchen table):\n  " << S(u.safety_number())
            << "\n";
      } else if (u.state() != proto::INVITE_STATE_CONSENT) {
        out << S(u.message()) << "\n";
      }
      break;
    }
    case R::kJoin:
      if (r.join().device()) {
        out << "this is now another device of " << S(r.join().partner_name());
      } else {
        out << "joined " << S(r.join().partner_name()) << "'s pact";
      }
      out << "\nsafety number (compare at the kitchen table):\n  " << S(r.join().safety_number())
          << "\n";
      if (r.join().carried_entries() > 0) {
        out << r.join().carried_entries()
            << (r.join().carried_entries() == 1 ? " earlier entry of yours is"
                                                : " earlier entries of yours are")
            << " now in the pact\n";
      }
      if (r.join().carried_reflections() > 0) {
        out << r.join().carried_reflections()
            << (r.join().carried_reflections() == 1 ? " reflection stays" : " reflections stay")
            << " on your devices only\n";
      }
      break;
    case R::kDevices:
      out << "devices of " << S(r.devices().member_name()) << ":\n";
      for (const auto& d : r.devices().devices()) {
        out << "  " << Short(d.device_key()) << "  "
            << (d.name().empty() ? std::string("(unnamed)") : S(d.name()))
            << (d.this_device() ? "  (this device)" : "") << (d.removed() ? "  (removed)" : "");
        if (d.added_ms() > 0) out << "  added " << LocalTime(d.added_ms());
        if (!d.this_device()) {
          if (d.state() == proto::PEER_STATE_CONNECTED) {
            out << "  connected";
          } else if (d.last_seen_ms() > 0) {
            out << "  last seen " << LocalTime(d.last_seen_ms());
          } else {
            out << "  never seen";
          }
        }
        out << "\n";
      }
      break;
    case R::kWritten:
      out << Short(r.written().id()) << "\n";
      if (!r.written().hint().empty()) out << "hint: " << S(r.written().hint()) << "\n";
      break;
    case R::kNotes: {
      // Withdrawn items have left the active list; --json and export keep showing them.
      int withdrawn = 0;
      for (const auto& n : r.notes().notes()) {
        if (n.has_withdrawn()) {
          ++withdrawn;
          continue;
        }
        out << Short(n.id()) << "  " << LocalTime(n.time_ms()) << "  " << S(n.author_name()) << ": "
            << S(n.text()) << (n.during_space() ? "  (during space)" : "") << "\n";
      }
      if (r.notes().notes_size() == 0) out << "(none yet)\n";
      out << WithdrawnLeftOut(withdrawn) << OlderLeftOut(r.notes().page(), r.notes().notes_size());
      break;
    }
    case R::kAgreements: {
      const uint64_t retired = r.agreements().retired_not_shown();
      if (r.agreements().agreements_size() == 0) {
        out << (retired > 0 ? "(no current agreements)\n" : "(no agreements)\n");
      }
      for (const auto& a : r.agreements().agreements()) Agreement(a, out, false);
      if (retired > 0) out << "(" << retired << " retired not shown: --all)\n";
      break;
    }
    case R::kShow:
      Agreement(r.show().agreement(), out, true);
      break;
    case R::kSpace:
      if (r.space().in_space_size() == 0) out << "nobody is in space now\n";
      for (const auto& s : r.space().in_space()) Space(s, out);
      if (r.space().recent_size() > 0) out << "recently:\n";
      for (const auto& s : r.space().recent()) Space(s, out);
      for (const auto& u : r.space().upcoming()) {
        out << "scheduled: " << LocalTime(u.start_ms()) << "-" << Clock(u.end_ms()) << "  "
            << S(u.text()) << "\n";
      }
      break;
    case R::kCheckIns: {
      int withdrawn = 0;
      for (const auto& c : r.check_ins().check_ins()) {
        if (c.has_withdrawn()) {
          ++withdrawn;
          continue;
        }
        out << Short(c.id()) << "  " << LocalTime(c.time_ms()) << "  " << S(c.author_name())
            << " feeling " << c.feeling() << (c.note().empty() ? "" : ": " + S(c.note()))
            << (c.agreement_id().empty() ? "" : "  (about " + Short(c.agreement_id()) + ")")
            << "\n";
      }
      if (r.check_ins().check_ins_size() == 0) out << "(no check-ins)\n";
      out << WithdrawnLeftOut(withdrawn)
          << OlderLeftOut(r.check_ins().page(), r.check_ins().check_ins_size());
      break;
    }
    case R::kSafetyNumber:
      for (const auto& p : r.safety_number().partners()) {
        out << "safety number with " << S(p.name()) << " (compare at the kitchen table):\n  "
            << S(p.safety_number()) << "\n";
      }
      break;
    case R::kDue:
      if (r.due().due_size() == 0) out << "nothing is due\n";
      for (const auto& d : r.due().due()) {
        out << "review " << Short(d.agreement_id()) << " " << S(d.text()) << " (due for "
            << (now_ms - d.due_since_ms()) / 86400000 << " days)\n";
      }
      break;
    case R::kLog:
      for (const auto& e : r.log().entries()) {
        out << Short(e.id()) << "  " << S(e.author_name()) << " #" << e.seq() << "  "
            << LocalTime(e.time_ms()) << "  " << proto::WordFor(e.kind()) << "  "
            << proto::WordFor(e.signature())
            << (e.carried_ms() != 0 ? "  (carried into the pact " + LocalTime(e.carried_ms()) + ")"
                                    : "")
            << (e.damage() == proto::DAMAGE_UNSPECIFIED
                    ? ""
                    : "  DAMAGED: " + std::string(proto::WordFor(e.damage())))
            << (e.sealed_below_rotation() ? "  SEALED BELOW ITS AUTHOR'S ROTATION" : "") << "\n";
      }
      if (r.log().verified() + r.log().failed() > 0) {
        out << r.log().verified() << " entries verified whole, " << r.log().failed()
            << " damaged\n";
      }
      if (r.log().sealed_below_rotation() > 0) {
        out << r.log().sealed_below_rotation()
            << " entries are sealed to an older key than one their author had already rotated "
               "to: a device that rotation excluded may read them (the author's accord needs "
               "an update)\n";
      }
      break;
    case R::kExport:
      RenderExportChunk(r.export_().content(), out);
      break;
    case R::kEvent:
      if (r.event().has_peer() || r.event().has_progress()) {
        out << Clock(r.event().time_ms()) << "  " << S(r.event().summary()) << "\n";
        break;
      }
      out << Clock(r.event().time_ms()) << "  " << S(r.event().author_name()) << "  "
          << S(r.event().summary()) << "\n";
      break;
    case R::RESULT_NOT_SET:
      break;
  }
}

}  // namespace accord::client
