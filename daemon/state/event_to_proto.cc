#include "daemon/state/event_to_proto.h"

#include <string>

namespace accord::state {
namespace {

constexpr int64_t kMsPerSecond = 1000;  // milliseconds

std::string Field(const FixedBytes<32>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string OptionalField(const std::optional<FixedBytes<32>>& bytes) {
  return bytes ? Field(*bytes) : std::string();
}

void SetSchedule(const Schedule& s, proto::Schedule* out) {
  out->set_spec(s.spec);
  out->set_time_zone(s.time_zone);
  out->set_weekdays(s.weekdays);
  out->set_start_minute(s.start_minute);
  out->set_end_minute(s.end_minute);
  out->set_every_weeks(s.every_weeks);
  out->set_anchor_day(s.anchor_day);
}

// One overload per kind: std::visit does not compile while a kind of EventKind is unmapped.
struct ToBody {
  proto::Body& body;

  void operator()(const NeedAdded& k) { body.mutable_need()->set_text(k.text); }
  void operator()(const BoundaryAdded& k) {
    body.mutable_boundary()->set_text(k.text);
    body.mutable_boundary()->set_during_space(k.during_space);
  }
  void operator()(const Proposed& k) {
    proto::Proposal* p = body.mutable_proposal();
    p->set_agreement_id(OptionalField(k.agreement));
    p->set_parent_version(OptionalField(k.parent));
    p->set_text(k.text);
    if (k.schedule) SetSchedule(*k.schedule, p->mutable_schedule());
    p->set_review_every_s(k.review_every_ms / kMsPerSecond);
  }
  void operator()(const Accepted& k) {
    body.mutable_acceptance()->set_agreement_id(Field(k.agreement));
    body.mutable_acceptance()->set_version(Field(k.version));
  }
  void operator()(const Declined& k) {
    body.mutable_decline()->set_agreement_id(Field(k.agreement));
    body.mutable_decline()->set_version(Field(k.version));
    body.mutable_decline()->set_note(k.note);
  }
  void operator()(const Retired& k) {
    body.mutable_retire()->set_agreement_id(Field(k.agreement));
    body.mutable_retire()->set_note(k.note);
  }
  void operator()(const SpaceAsked& k) {
    body.mutable_space_request()->set_duration_s(k.duration_ms / kMsPerSecond);
    body.mutable_space_request()->set_message(k.message);
  }
  void operator()(const SpaceAcked& k) {
    body.mutable_space_ack()->set_request_id(Field(k.request));
    body.mutable_space_ack()->set_note(k.note);
  }
  void operator()(const SpaceEnded& k) {
    body.mutable_space_back()->set_request_id(Field(k.request));
  }
  void operator()(const CheckedIn& k) {
    proto::CheckIn* c = body.mutable_check_in();
    c->set_feeling(k.feeling);
    c->set_note(k.note);
    c->set_agreement_id(OptionalField(k.agreement));
  }
  void operator()(const Appreciated& k) { body.mutable_appreciation()->set_text(k.text); }
  void operator()(const Retracted& k) {
    body.mutable_retract()->set_target_id(Field(k.target));
    body.mutable_retract()->set_note(k.note);
  }
  void operator()(const Reflected& k) {
    body.mutable_reflection()->set_text(k.text);
    body.mutable_reflection()->set_moved_from(OptionalField(k.moved_from));
  }
  // The node makes the binding (log::PrivateChainStartBody: it needs the device's key).
  void operator()(const PrivateChainStarted& k) {
    body.mutable_private_chain_start()->set_device_key(Field(k.device));
    body.mutable_private_chain_start()->set_binding(
        std::string(k.binding.begin(), k.binding.end()));
  }
  // The node makes the binding (log::DeviceRekeyedBody: it needs the old device's key).
  void operator()(const DeviceRekeyed& k) {
    body.mutable_device_rekeyed()->set_old_device_key(Field(k.old_device));
    body.mutable_device_rekeyed()->set_binding(std::string(k.binding.begin(), k.binding.end()));
  }
  void operator()(const Forgot& k) { body.mutable_forget()->set_entry_id(Field(k.entry)); }
  void operator()(const MemberCreated& k) {
    proto::MemberCreated* m = body.mutable_member_created();
    m->set_member_id(Field(k.member));
    m->set_name(k.name);
    m->set_device_x25519(Field(k.device_x25519));
    m->set_device_name(k.device_name);
  }
  void operator()(const MemberAdded& k) {
    proto::MemberAdded* m = body.mutable_member_added();
    m->set_member_id(Field(k.member));
    m->set_name(k.name);
    m->set_device_key(Field(k.device));
    m->set_device_x25519(Field(k.device_x25519));
    m->set_device_name(k.device_name);
    if (k.history_from_epoch != 0) m->set_history_from_epoch(k.history_from_epoch);
  }
  void operator()(const DeviceAdded& k) {
    proto::DeviceAdded* d = body.mutable_device_added();
    d->set_device_key(Field(k.device));
    d->set_device_x25519(Field(k.device_x25519));
    d->set_device_name(k.device_name);
  }
  void operator()(const MemberLeft& k) {
    body.mutable_member_left()->set_member_id(Field(k.member));
  }
  void operator()(const DeviceRemoved& k) {
    body.mutable_device_removed()->set_device_key(Field(k.device));
  }
  void operator()(const EpochStarted& k) {
    proto::EpochStart* e = body.mutable_epoch_start();
    e->set_epoch(k.epoch);
    AddRecipients(k.recipients, *e->mutable_recipients());
  }
  void operator()(const PersonKeyStarted& k) {
    proto::PersonKeyStart* p = body.mutable_person_key_start();
    p->set_generation(k.generation);
    AddRecipients(k.recipients, *p->mutable_recipients());
  }
  static void AddRecipients(const std::vector<EpochStarted::Recipient>& recipients,
                            google::protobuf::RepeatedPtrField<proto::EpochStart::Recipient>& out) {
    for (const EpochStarted::Recipient& r : recipients) {
      proto::EpochStart::Recipient* box = out.Add();
      box->set_device_key(Field(r.device));
      box->set_sealed_key(std::string(r.sealed_key.begin(), r.sealed_key.end()));
    }
  }
};

}  // namespace

proto::Body BodyFromKind(const EventKind& kind) {
  proto::Body body;
  std::visit(ToBody{body}, kind);
  return body;
}

}  // namespace accord::state
