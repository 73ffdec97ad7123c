#include "tests/daemon/state/history.h"

#include <cstdlib>
#include <utility>

#include <gtest/gtest.h>

#include "crypto/epoch_seal.h"
#include "crypto/hash.h"
#include "daemon/log/author.h"
#include "daemon/state/event_from_proto.h"

namespace accord::state::testing {

FixedBytes<32> KeyFor(std::string_view name) {
  return crypto::Blake2b256(AsBytes(std::string("test key: ") + std::string(name)));
}

std::string AsString(const FixedBytes<32>& b) { return std::string(b.begin(), b.end()); }

log::EntryId History::NextId() const {
  return crypto::Blake2b256(AsBytes("test entry " + std::to_string(counter_)));
}

log::EntryHeader History::NextHeader(const log::DeviceKey& author, uint64_t lamport,
                                     int64_t time_ms) {
  log::EntryHeader h;
  h.author = author;
  h.seq = seq_[author] + 1;
  h.lamport = lamport;
  h.time_ms = time_ms;
  return h;
}

Event History::Write(const log::DeviceKey& author, const proto::Body& body, int64_t time_ms) {
  return WriteAt(author, max_lamport_ + 1, body, time_ms);
}

Event History::WriteAt(const log::DeviceKey& author, uint64_t lamport, const proto::Body& body,
                       int64_t time_ms) {
  log::EntryHeader header = NextHeader(author, lamport, time_ms);
  header.scope = log::ScopeOf(body);
  auto event = EventFromBody(header, NextId(), body);
  if (!event.ok()) {
    // A factory bug, not a finding about the code under test: stop loudly.
    ADD_FAILURE() << "test body rejected: " << event.error().message;
    std::abort();
  }
  ++counter_;
  seq_[author] = header.seq;
  if (lamport > max_lamport_) max_lamport_ = lamport;
  return std::move(*event);
}

Pact::Pact() {
  Write(alice, MemberCreatedBody(alice, "Alice"));
  Write(alice, MemberAddedBody(bob, "Bob"));
}

Event Pact::Write(const log::DeviceKey& author, const proto::Body& body, int64_t time_ms) {
  Event e = history.Write(author, body, time_ms);
  fold.Apply(e);
  written.push_back(e);
  return e;
}

void Pact::AddMember(const log::DeviceKey& by, const log::DeviceKey& device, std::string name) {
  Write(by, MemberAddedBody(device, std::move(name)));
}

proto::Body MemberCreatedBody(const log::DeviceKey& device, std::string name) {
  proto::Body b;
  auto* m = b.mutable_member_created();
  m->set_member_id(AsString(device));
  m->set_name(std::move(name));
  m->set_device_x25519(AsString(KeyFor("x25519 " + AsString(device))));
  m->set_device_name("laptop");
  return b;
}

proto::Body MemberAddedBody(const log::DeviceKey& device, std::string name) {
  proto::Body b;
  auto* m = b.mutable_member_added();
  m->set_member_id(AsString(device));
  m->set_device_key(AsString(device));
  m->set_name(std::move(name));
  m->set_device_x25519(AsString(KeyFor("x25519 " + AsString(device))));
  m->set_device_name("laptop");
  return b;
}

proto::Body DeviceAddedBody(const log::DeviceKey& device) {
  proto::Body b;
  auto* d = b.mutable_device_added();
  d->set_device_key(AsString(device));
  d->set_device_x25519(AsString(KeyFor("x25519 " + AsString(device))));
  d->set_device_name("phone");
  return b;
}

proto::Body MemberLeftBody(const MemberId& member) {
  proto::Body b;
  b.mutable_member_left()->set_member_id(AsString(member));
  return b;
}

proto::Body DeviceRemovedBody(const log::DeviceKey& device) {
  proto::Body b;
  b.mutable_device_removed()->set_device_key(AsString(device));
  return b;
}

proto::Body EpochStartBody(uint64_t epoch, const std::vector<log::DeviceKey>& recipients) {
  proto::Body b;
  b.mutable_epoch_start()->set_epoch(epoch);
  for (const log::DeviceKey& d : recipients) {
    auto* r = b.mutable_epoch_start()->add_recipients();
    r->set_device_key(AsString(d));
    r->set_sealed_key(std::string(crypto::kSealedEpochKeyBytes, static_cast<char>(d[0])));
  }
  return b;
}

proto::Body NeedBody(std::string text) {
  proto::Body b;
  b.mutable_need()->set_text(std::move(text));
  return b;
}

proto::Body BoundaryBody(std::string text, bool during_space) {
  proto::Body b;
  b.mutable_boundary()->set_text(std::move(text));
  b.mutable_boundary()->set_during_space(during_space);
  return b;
}

proto::Body ProposalBody(std::string text, int64_t review_every_s) {
  proto::Body b;
  b.mutable_proposal()->set_text(std::move(text));
  b.mutable_proposal()->set_review_every_s(review_every_s);
  return b;
}

proto::Body CounterBody(const log::EntryId& agreement, const log::EntryId& parent, std::string text,
                        int64_t review_every_s) {
  proto::Body b = ProposalBody(std::move(text), review_every_s);
  b.mutable_proposal()->set_agreement_id(AsString(agreement));
  b.mutable_proposal()->set_parent_version(AsString(parent));
  return b;
}

proto::Body ScheduledProposalBody(std::string text) {
  proto::Body b = ProposalBody(std::move(text));
  auto* s = b.mutable_proposal()->mutable_schedule();
  s->set_spec("tue 19:00-21:00");
  s->set_time_zone("Europe/Berlin");
  s->set_weekdays(1u << 1);
  s->set_start_minute(19 * 60);
  s->set_end_minute(21 * 60);
  s->set_every_weeks(1);
  s->set_anchor_day(19723);
  return b;
}

proto::Body AcceptBody(const log::EntryId& agreement, const log::EntryId& version) {
  proto::Body b;
  b.mutable_acceptance()->set_agreement_id(AsString(agreement));
  b.mutable_acceptance()->set_version(AsString(version));
  return b;
}

proto::Body DeclineBody(const log::EntryId& agreement, const log::EntryId& version,
                        std::string note) {
  proto::Body b;
  b.mutable_decline()->set_agreement_id(AsString(agreement));
  b.mutable_decline()->set_version(AsString(version));
  b.mutable_decline()->set_note(std::move(note));
  return b;
}

proto::Body RetireBody(const log::EntryId& agreement, std::string note) {
  proto::Body b;
  b.mutable_retire()->set_agreement_id(AsString(agreement));
  b.mutable_retire()->set_note(std::move(note));
  return b;
}

proto::Body CheckInBody(uint32_t feeling, std::optional<log::EntryId> agreement, std::string note) {
  proto::Body b;
  b.mutable_check_in()->set_feeling(feeling);
  b.mutable_check_in()->set_note(std::move(note));
  if (agreement) b.mutable_check_in()->set_agreement_id(AsString(*agreement));
  return b;
}

proto::Body SpaceRequestBody(int64_t duration_s, std::string message) {
  proto::Body b;
  b.mutable_space_request()->set_duration_s(duration_s);
  b.mutable_space_request()->set_message(std::move(message));
  return b;
}

proto::Body SpaceAckBody(const log::EntryId& request, std::string note) {
  proto::Body b;
  b.mutable_space_ack()->set_request_id(AsString(request));
  b.mutable_space_ack()->set_note(std::move(note));
  return b;
}

proto::Body SpaceBackBody(const log::EntryId& request) {
  proto::Body b;
  b.mutable_space_back()->set_request_id(AsString(request));
  return b;
}

proto::Body AppreciationBody(std::string text) {
  proto::Body b;
  b.mutable_appreciation()->set_text(std::move(text));
  return b;
}

proto::Body RetractBody(const log::EntryId& target, std::string note) {
  proto::Body b;
  b.mutable_retract()->set_target_id(AsString(target));
  b.mutable_retract()->set_note(std::move(note));
  return b;
}

proto::Body ReflectionBody(std::string text) {
  proto::Body b;
  b.mutable_reflection()->set_text(std::move(text));
  return b;
}

}  // namespace accord::state::testing
