#include "daemon/ipc/event_summary.h"

#include "base/duration.h"

namespace accord::daemon {

namespace {

std::string NameOfDevice(const std::vector<state::Member>& members, const log::DeviceKey& device) {
  for (const state::Member& m : members)
    for (const state::Device& d : m.devices)
      if (d.key == device) return m.name;
  return "device " + ToHex(device).substr(0, 8);
}

std::string Short(const log::EntryId& id) { return ToHex(id).substr(0, 8); }

// The partner's note as the end of a summary line; the client sanitises the whole line.
std::string WithNote(const std::string& note) { return note.empty() ? "" : ": " + note; }

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

proto::Event SummarizeEvent(const state::Event& e, const std::vector<state::Member>& members) {
  proto::Event out;
  out.set_time_ms(e.time_ms);
  out.set_id(ToHex(e.id));
  out.set_author_name(NameOfDevice(members, e.author));
  auto set = [&out](proto::EntryKind kind, std::string summary) {
    out.set_kind(kind);
    out.set_summary(std::move(summary));
  };
  std::visit(
      Overloaded{
          [&](const state::NeedAdded& x) { set(proto::ENTRY_KIND_NEED, "needs: " + x.text); },
          [&](const state::BoundaryAdded& x) {
            set(proto::ENTRY_KIND_BOUNDARY, "boundary: " + x.text);
          },
          [&](const state::Proposed& x) {
            if (x.agreement)
              set(proto::ENTRY_KIND_COUNTER, "countered " + Short(*x.agreement) + ": " + x.text);
            else
              set(proto::ENTRY_KIND_PROPOSAL, "proposed " + Short(e.id) + ": " + x.text);
          },
          [&](const state::Accepted& x) {
            set(proto::ENTRY_KIND_ACCEPTANCE, "accepted " + Short(x.agreement));
          },
          [&](const state::Declined& x) {
            set(proto::ENTRY_KIND_DECLINE, "declined " + Short(x.agreement) + WithNote(x.note));
            out.set_note(x.note);
          },
          [&](const state::Retired& x) {
            set(proto::ENTRY_KIND_RETIRE, "retired " + Short(x.agreement) + WithNote(x.note));
            out.set_note(x.note);
          },
          [&](const state::SpaceAsked& x) {
            set(proto::ENTRY_KIND_SPACE_REQUEST,
                "asks for space for " + FormatDuration(std::chrono::seconds(x.duration_ms / 1000)) +
                    (x.message.empty() ? "" : ": " + x.message));
          },
          [&](const state::SpaceAcked& x) {
            set(proto::ENTRY_KIND_SPACE_ACK,
                "acknowledged space " + Short(x.request) + WithNote(x.note));
            out.set_note(x.note);
          },
          [&](const state::SpaceEnded&) { set(proto::ENTRY_KIND_SPACE_BACK, "is back"); },
          [&](const state::CheckedIn& x) {
            set(proto::ENTRY_KIND_CHECK_IN,
                "checked in, feeling " + std::to_string(x.feeling) + "/5");
          },
          [&](const state::Appreciated& x) {
            set(proto::ENTRY_KIND_APPRECIATION, "appreciates: " + x.text);
          },
          [&](const state::Retracted& x) {
            set(proto::ENTRY_KIND_RETRACT,
                "withdrew " + Short(x.target) + (x.note.empty() ? "" : ": " + x.note));
          },
          [&](const state::Reflected&) {
            set(proto::ENTRY_KIND_REFLECTION, "wrote a private reflection");
          },
          [&](const state::PrivateChainStarted&) {
            set(proto::ENTRY_KIND_PRIVATE_CHAIN_START, "started a private chain");
          },
          [&](const state::Forgot& x) {
            set(proto::ENTRY_KIND_FORGET, "erased reflection " + Short(x.entry));
          },
          [&](const state::MemberCreated& x) {
            set(proto::ENTRY_KIND_MEMBER_CREATED, x.name + " created the pact");
          },
          [&](const state::MemberAdded& x) {
            set(proto::ENTRY_KIND_MEMBER_ADDED, x.name + " joined");
          },
          [&](const state::DeviceAdded& x) {
            set(proto::ENTRY_KIND_DEVICE_ADDED, "added device " + x.device_name);
          },
          [&](const state::MemberLeft&) { set(proto::ENTRY_KIND_MEMBER_LEFT, "left the pact"); },
          [&](const state::DeviceRemoved&) {
            set(proto::ENTRY_KIND_DEVICE_REMOVED, "removed a device");
          },
          [&](const state::EpochStarted& x) {
            set(proto::ENTRY_KIND_EPOCH_START, "rotated keys to epoch " + std::to_string(x.epoch));
          },
          [&](const state::PersonKeyStarted& x) {
            set(proto::ENTRY_KIND_PERSON_KEY_START,
                "rotated the private key for " + std::to_string(x.recipients.size()) + " devices");
          },
          [&](const state::DeviceRekeyed& x) {
            set(proto::ENTRY_KIND_DEVICE_REKEYED, "re-keyed device " + Short(x.old_device) +
                                                      " as " + Short(e.author) +
                                                      " after its feed forked");
          },
      },
      e.kind);
  return out;
}

proto::Event SummarizeIntegrity(const Node::IntegrityNotice& notice, int64_t now_ms) {
  proto::Event out;
  out.set_time_ms(now_ms);
  out.set_id(ToHex(notice.id));
  const std::string id = ToHex(notice.id).substr(0, 8);
  const std::string damage(log::DamageName(notice.damage));
  if (notice.kind == Node::IntegrityNotice::Kind::kRepaired) {
    out.set_kind(proto::ENTRY_KIND_REPAIRED);
    out.set_summary("entry " + id + " (" + damage + ") repaired from " + notice.from);
  } else {
    out.set_kind(proto::ENTRY_KIND_DAMAGED);
    out.set_summary("entry " + id + " is damaged (" + damage + "); asking peers for a good copy");
  }
  return out;
}

}  // namespace accord::daemon
