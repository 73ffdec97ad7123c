// Entry Body -> domain event (daemon/state/event_from_proto.h EventFromBody): the content
// checks the fold relies on, for any body bytes a member's device sealed. Input: a byte for the
// header (scope, and whether the author is the member the body names), then the Body bytes.
// Invariant (event_to_proto.h): an event that decodes encodes back (BodyFromKind) to a body
// that decodes to the same event; a proposal's schedule gives ordered occurrences and calendar
// lines without control bytes.
#include "daemon/log/author.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/event_to_proto.h"
#include "daemon/state/schedule.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/log_world.h"

namespace {

using accord::Bytes;
namespace fuzz = accord::fuzz;
namespace log = accord::log;
namespace state = accord::state;

constexpr log::Scope kScopes[] = {log::Scope::kShared, log::Scope::kPrivate, log::Scope::kControl};

uint8_t ControlFor(const accord::proto::Body& body, bool device_two) {
  const log::Scope scope = log::ScopeOf(body);
  uint8_t control = 0;
  for (uint8_t i = 0; i < 3; ++i)
    if (kScopes[i] == scope) control = i;
  return static_cast<uint8_t>(control | (device_two ? 4 : 0));
}

std::vector<Bytes> Seeds() {
  const fuzz::LogWorld& w = fuzz::World();
  std::vector<Bytes> seeds;
  const std::vector<accord::proto::Body> bodies = fuzz::SampleBodies(w);
  for (size_t i = 0; i < bodies.size(); ++i) {
    // DeviceAdded names device 2: authored by it (a joiner device's first entry).
    Bytes seed = {ControlFor(bodies[i], i == 11)};
    accord::AppendBytes(seed, fuzz::Serialize(bodies[i]));
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::World();
  fuzz::WriteSeedsIfAsked("body_event", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::LogWorld& w = fuzz::World();
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t control = in.Byte();
  const accord::ByteView bytes = in.Rest();
  accord::proto::Body body;
  if (!body.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return 0;

  log::EntryHeader header = w.held[2].header;
  header.scope = kScopes[(control & 3) % 3];
  header.author = w.feed.device((control & 4) ? 2 : 0);
  header.seq = (control & 8) ? 1 : 5;  // private chains and re-keyed feeds start at seq 1
  const log::EntryId id = w.held[2].id;
  accord::Result<state::Event> event = state::EventFromBody(header, id, body);
  if (!event.ok()) {
    fuzz::Explain("refused: " + event.error().message);
    fuzz::Check(event.code() == accord::ErrorCode::kBadBody, "EventFromBody: not kBadBody");
    return 0;
  }
  fuzz::Explain("event kind " + std::to_string(event->kind.index()));
  fuzz::Check(event->scope == header.scope && event->author == header.author && event->id == id &&
                  event->seq == header.seq,
              "event does not carry its header");
  if (const auto* proposed = std::get_if<state::Proposed>(&event->kind);
      proposed != nullptr && proposed->schedule) {
    // A partner's schedule reaches views and the calendar export with only these checks.
    int64_t last = INT64_MIN;
    for (const state::Occurrence& o :
         state::NextOccurrences(*proposed->schedule, header.time_ms, 4)) {
      fuzz::Check(o.start_ms < o.end_ms && o.start_ms > last && o.end_ms > header.time_ms,
                  "a partner's schedule gives disordered occurrences");
      last = o.start_ms;
    }
    for (const std::string& line : state::ToICalendarLines(*proposed->schedule))
      for (unsigned char c : line)
        fuzz::Check(c >= 0x20 && c != 0x7f, "a calendar line with a control byte");
  }
  accord::proto::Body again = state::BodyFromKind(event->kind);
  if (event->original_time_ms) again.set_original_time_ms(*event->original_time_ms);
  fuzz::Check(log::ScopeOf(again) == header.scope, "re-encoded body changed scope");
  // Through bytes, as a receiver sees it.
  accord::proto::Body parsed;
  const std::string serialized = again.SerializeAsString();
  fuzz::Check(parsed.ParseFromString(serialized), "re-encoded body does not parse");
  accord::Result<state::Event> back = state::EventFromBody(header, id, parsed);
  fuzz::Check(back.ok(), "re-encoded body is refused");
  fuzz::Check(*back == *event, "re-encoded body decodes to another event");
  return 0;
}
