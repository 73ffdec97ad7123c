#include "daemon/state/event_from_proto.h"

#include <string>
#include <utility>

#include "base/duration.h"
#include "crypto/epoch_seal.h"
#include "daemon/log/author.h"

namespace accord::state {
namespace {

constexpr int64_t kMaxDurationS = kMaxDuration.count();  // seconds, one year
constexpr uint32_t kAllWeekdays = 0x7f;                  // bit 0 Monday .. bit 6 Sunday
constexpr uint32_t kMinutesPerDay = 1440;                // minutes
constexpr uint32_t kMaxEveryWeeks = 52;                  // weeks

Error Bad(std::string what) { return MakeError(ErrorCode::kBadBody, std::move(what)); }

Result<FixedBytes<32>> Required32(const std::string& field, const char* what) {
  if (field.size() != 32) return Bad(std::string(what) + " must be 32 bytes");
  FixedBytes<32> out;
  for (size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(field[i]);
  return out;
}

Result<std::optional<FixedBytes<32>>> Optional32(const std::string& field, const char* what) {
  if (field.empty()) return std::optional<FixedBytes<32>>();
  auto id = Required32(field, what);
  if (!id.ok()) return id.error();
  return std::optional<FixedBytes<32>>(*id);
}

Status CheckText(const std::string& text, size_t cap, bool required, const char* what) {
  if (required && text.empty()) return Bad(std::string(what) + " is empty");
  if (text.size() > cap) return Bad(std::string(what) + " is too long");
  return Status::Ok();
}

// A duration in seconds as the proto carries it, to milliseconds; zero only if allowed.
Result<int64_t> DurationMs(int64_t seconds, bool zero_allowed, const char* what) {
  if (seconds == 0 && zero_allowed) return int64_t{0};
  if (seconds <= 0 || seconds > kMaxDurationS) {
    return Bad(std::string(what) + " must be between 1 second and one year");
  }
  return seconds * 1000;
}

bool IsTimeZoneChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '_' || c == '+' || c == '-';
}

// Range checks only: whether the zone exists depends on the local tz database, and a body's
// validity must not differ between devices.
Result<Schedule> ScheduleFrom(const proto::Schedule& s) {
  ACCORD_RETURN_IF_ERROR(CheckText(s.spec(), kMaxScheduleSpecBytes, true, "schedule spec"));
  ACCORD_RETURN_IF_ERROR(CheckText(s.time_zone(), kMaxTimeZoneBytes, true, "time zone"));
  for (char c : s.time_zone()) {
    if (!IsTimeZoneChar(c)) return Bad("time zone has a character no IANA name has");
  }
  if (s.weekdays() == 0 || s.weekdays() > kAllWeekdays) return Bad("schedule weekdays");
  if (s.start_minute() >= kMinutesPerDay) return Bad("schedule start minute");
  if (s.end_minute() > kMinutesPerDay) return Bad("schedule end minute");
  if (s.every_weeks() == 0 || s.every_weeks() > kMaxEveryWeeks) return Bad("schedule weeks");
  if (s.anchor_day() > kMaxAnchorDayMagnitude || s.anchor_day() < -kMaxAnchorDayMagnitude) {
    return Bad("schedule anchor day");
  }
  Schedule out;
  out.spec = s.spec();
  out.time_zone = s.time_zone();
  out.weekdays = s.weekdays();
  out.start_minute = s.start_minute();
  out.end_minute = s.end_minute();
  out.every_weeks = s.every_weeks();
  out.anchor_day = s.anchor_day();
  return out;
}

Result<EventKind> ProposalFrom(const proto::Proposal& p) {
  Proposed out;
  auto agreement = Optional32(p.agreement_id(), "agreement id");
  if (!agreement.ok()) return agreement.error();
  auto parent = Optional32(p.parent_version(), "parent version");
  if (!parent.ok()) return parent.error();
  if (agreement->has_value() != parent->has_value()) {
    return Bad("a counter names both its agreement and the version it counters");
  }
  out.agreement = *agreement;
  out.parent = *parent;
  ACCORD_RETURN_IF_ERROR(CheckText(p.text(), kMaxTextBytes, true, "agreement text"));
  out.text = p.text();
  if (p.has_schedule()) {
    auto schedule = ScheduleFrom(p.schedule());
    if (!schedule.ok()) return schedule.error();
    out.schedule = std::move(*schedule);
  }
  auto review = DurationMs(p.review_every_s(), /*zero_allowed=*/true, "review cadence");
  if (!review.ok()) return review.error();
  out.review_every_ms = *review;
  return EventKind(std::move(out));
}

// The boxes of an EpochStart or a PersonKeyStart: 1..kMaxRecipients, each of the sealed size.
Result<std::vector<EpochStarted::Recipient>> RecipientsFrom(
    const google::protobuf::RepeatedPtrField<proto::EpochStart::Recipient>& recipients) {
  if (recipients.empty() || static_cast<size_t>(recipients.size()) > kMaxRecipients) {
    return Bad("key recipients");
  }
  std::vector<EpochStarted::Recipient> out;
  for (const auto& r : recipients) {
    auto device = Required32(r.device_key(), "recipient device key");
    if (!device.ok()) return device.error();
    if (r.sealed_key().size() != crypto::kSealedEpochKeyBytes) return Bad("sealed key size");
    out.push_back({*device, Bytes(r.sealed_key().begin(), r.sealed_key().end())});
  }
  return out;
}

Result<EventKind> EpochFrom(const proto::EpochStart& e) {
  if (e.epoch() == 0) return Bad("epoch 0 is never started by an entry");
  Result<std::vector<EpochStarted::Recipient>> recipients = RecipientsFrom(e.recipients());
  if (!recipients.ok()) return recipients.error();
  return EventKind(EpochStarted{e.epoch(), std::move(*recipients)});
}

Result<EventKind> PersonKeyFrom(const proto::PersonKeyStart& p) {
  if (p.generation() == 0) return Bad("person key generation 0 is never started by an entry");
  Result<std::vector<EpochStarted::Recipient>> recipients = RecipientsFrom(p.recipients());
  if (!recipients.ok()) return recipients.error();
  return EventKind(PersonKeyStarted{p.generation(), std::move(*recipients)});
}

// Expands to: decode a required 32-byte field into `var`, or return its error.
#define ACCORD_ID_OR_RETURN(var, field, what) \
  auto var##_r = Required32(field, what);     \
  if (!var##_r.ok()) return var##_r.error();  \
  const FixedBytes<32> var = *var##_r

Result<EventKind> KindFrom(const log::EntryHeader& header, const proto::Body& body) {
  using B = proto::Body;
  switch (body.kind_case()) {
    case B::kNeed:
      ACCORD_RETURN_IF_ERROR(CheckText(body.need().text(), kMaxTextBytes, true, "need"));
      return EventKind(NeedAdded{body.need().text()});
    case B::kBoundary:
      ACCORD_RETURN_IF_ERROR(CheckText(body.boundary().text(), kMaxTextBytes, true, "boundary"));
      return EventKind(BoundaryAdded{body.boundary().text(), body.boundary().during_space()});
    case B::kProposal:
      return ProposalFrom(body.proposal());
    case B::kAcceptance: {
      ACCORD_ID_OR_RETURN(agreement, body.acceptance().agreement_id(), "agreement id");
      ACCORD_ID_OR_RETURN(version, body.acceptance().version(), "version");
      return EventKind(Accepted{agreement, version});
    }
    case B::kDecline: {
      const auto& d = body.decline();
      ACCORD_ID_OR_RETURN(agreement, d.agreement_id(), "agreement id");
      ACCORD_ID_OR_RETURN(version, d.version(), "version");
      ACCORD_RETURN_IF_ERROR(CheckText(d.note(), kMaxTextBytes, false, "note"));
      return EventKind(Declined{agreement, version, d.note()});
    }
    case B::kRetire: {
      ACCORD_ID_OR_RETURN(agreement, body.retire().agreement_id(), "agreement id");
      ACCORD_RETURN_IF_ERROR(CheckText(body.retire().note(), kMaxTextBytes, false, "note"));
      return EventKind(Retired{agreement, body.retire().note()});
    }
    case B::kSpaceRequest: {
      const auto& r = body.space_request();
      auto duration = DurationMs(r.duration_s(), /*zero_allowed=*/false, "space duration");
      if (!duration.ok()) return duration.error();
      ACCORD_RETURN_IF_ERROR(CheckText(r.message(), kMaxTextBytes, false, "message"));
      return EventKind(SpaceAsked{*duration, r.message()});
    }
    case B::kSpaceAck: {
      ACCORD_ID_OR_RETURN(request, body.space_ack().request_id(), "request id");
      ACCORD_RETURN_IF_ERROR(CheckText(body.space_ack().note(), kMaxTextBytes, false, "note"));
      return EventKind(SpaceAcked{request, body.space_ack().note()});
    }
    case B::kSpaceBack: {
      ACCORD_ID_OR_RETURN(request, body.space_back().request_id(), "request id");
      return EventKind(SpaceEnded{request});
    }
    case B::kCheckIn: {
      const auto& c = body.check_in();
      if (c.feeling() < 1 || c.feeling() > 5) return Bad("feeling must be 1..5");
      ACCORD_RETURN_IF_ERROR(CheckText(c.note(), kMaxTextBytes, false, "note"));
      auto agreement = Optional32(c.agreement_id(), "agreement id");
      if (!agreement.ok()) return agreement.error();
      return EventKind(CheckedIn{c.feeling(), c.note(), *agreement});
    }
    case B::kAppreciation:
      ACCORD_RETURN_IF_ERROR(
          CheckText(body.appreciation().text(), kMaxTextBytes, true, "appreciation"));
      return EventKind(Appreciated{body.appreciation().text()});
    case B::kRetract: {
      ACCORD_ID_OR_RETURN(target, body.retract().target_id(), "retracted entry id");
      ACCORD_RETURN_IF_ERROR(CheckText(body.retract().note(), kMaxTextBytes, false, "note"));
      return EventKind(Retracted{target, body.retract().note()});
    }
    case B::kReflection: {
      ACCORD_RETURN_IF_ERROR(
          CheckText(body.reflection().text(), kMaxTextBytes, true, "reflection"));
      auto moved_from = Optional32(body.reflection().moved_from(), "moved-from id");
      if (!moved_from.ok()) return moved_from.error();
      return EventKind(Reflected{body.reflection().text(), *moved_from});
    }
    case B::kPrivateChainStart: {
      const auto& c = body.private_chain_start();
      ACCORD_ID_OR_RETURN(device, c.device_key(), "device key");
      if (c.binding().size() != 64) return Bad("private chain binding size");
      if (header.seq != 1) return Bad("a private chain starts at seq 1");
      return EventKind(PrivateChainStarted{device, Bytes(c.binding().begin(), c.binding().end())});
    }
    case B::kForget: {
      ACCORD_ID_OR_RETURN(entry, body.forget().entry_id(), "entry id");
      return EventKind(Forgot{entry});
    }
    case B::kMemberCreated: {
      const auto& m = body.member_created();
      ACCORD_ID_OR_RETURN(member, m.member_id(), "member id");
      if (member != header.author) return Bad("a member is created by its own first device");
      ACCORD_ID_OR_RETURN(x25519, m.device_x25519(), "device X25519 key");
      ACCORD_RETURN_IF_ERROR(CheckText(m.name(), kMaxNameBytes, true, "member name"));
      ACCORD_RETURN_IF_ERROR(CheckText(m.device_name(), kMaxNameBytes, false, "device name"));
      return EventKind(MemberCreated{member, m.name(), x25519, m.device_name()});
    }
    case B::kMemberAdded: {
      const auto& m = body.member_added();
      ACCORD_ID_OR_RETURN(member, m.member_id(), "member id");
      ACCORD_ID_OR_RETURN(device, m.device_key(), "device key");
      if (member != device) return Bad("a member id is the key of its first device");
      ACCORD_ID_OR_RETURN(x25519, m.device_x25519(), "device X25519 key");
      ACCORD_RETURN_IF_ERROR(CheckText(m.name(), kMaxNameBytes, true, "member name"));
      ACCORD_RETURN_IF_ERROR(CheckText(m.device_name(), kMaxNameBytes, false, "device name"));
      return EventKind(
          MemberAdded{member, m.name(), device, x25519, m.device_name(), m.history_from_epoch()});
    }
    case B::kDeviceAdded: {
      const auto& d = body.device_added();
      ACCORD_ID_OR_RETURN(device, d.device_key(), "device key");
      ACCORD_ID_OR_RETURN(x25519, d.device_x25519(), "device X25519 key");
      ACCORD_RETURN_IF_ERROR(CheckText(d.device_name(), kMaxNameBytes, false, "device name"));
      return EventKind(DeviceAdded{device, x25519, d.device_name()});
    }
    case B::kMemberLeft: {
      ACCORD_ID_OR_RETURN(member, body.member_left().member_id(), "member id");
      return EventKind(MemberLeft{member});
    }
    case B::kDeviceRemoved: {
      ACCORD_ID_OR_RETURN(device, body.device_removed().device_key(), "device key");
      return EventKind(DeviceRemoved{device});
    }
    case B::kEpochStart:
      return EpochFrom(body.epoch_start());
    case B::kPersonKeyStart:
      return PersonKeyFrom(body.person_key_start());
    case B::kDeviceRekeyed: {
      // The binding's signature is checked where keys are real: on receipt (log::ValidateEntry)
      // and before the node folds (log::CheckBindings).
      const auto& r = body.device_rekeyed();
      ACCORD_ID_OR_RETURN(old_device, r.old_device_key(), "old device key");
      if (r.binding().size() != 64) return Bad("device re-key binding size");
      if (header.seq != 1) return Bad("a device re-key is its new key's first entry");
      if (old_device == header.author) return Bad("a device re-key names another key");
      return EventKind(DeviceRekeyed{old_device, Bytes(r.binding().begin(), r.binding().end())});
    }
    case B::KIND_NOT_SET:
      break;
  }
  return Bad("entry body has no known kind");
}

#undef ACCORD_ID_OR_RETURN

}  // namespace

Result<Event> EventFromBody(const log::EntryHeader& header, const log::EntryId& id,
                            const proto::Body& body) {
  if (body.kind_case() == proto::Body::KIND_NOT_SET) return Bad("entry body has no kind");
  if (log::ScopeOf(body) != header.scope) return Bad("entry kind does not match its scope");
  auto kind = KindFrom(header, body);
  if (!kind.ok()) return kind.error();
  if (body.has_original_time_ms()) {
    if (header.scope == log::Scope::kControl) {
      return Bad("a control entry is never carried from a solo log, so has no original time");
    }
    if (body.original_time_ms() < 0 || body.original_time_ms() > header.time_ms) {
      return Bad("an original time must lie between 1970 and the entry's own time");
    }
  }
  Event event;
  event.id = id;
  event.author = header.author;
  event.seq = header.seq;
  event.lamport = header.lamport;
  event.time_ms = header.time_ms;
  if (body.has_original_time_ms()) {
    event.original_time_ms = body.original_time_ms();
    event.time_ms = body.original_time_ms();
  }
  event.scope = header.scope;
  event.kind = std::move(*kind);
  return event;
}

}  // namespace accord::state
