// Encoding an event's kind as the entry Body its author seals: the other half of
// event_from_proto.h, and the one place outside tests that builds a proto::Body. Pure; any
// thread. Checks belong to the decoder (every device decides alike), not here.
#ifndef ACCORD_DAEMON_STATE_EVENT_TO_PROTO_H_
#define ACCORD_DAEMON_STATE_EVENT_TO_PROTO_H_

#include "accord/entry.pb.h"
#include "daemon/state/events.h"

namespace accord::state {

// Durations go to whole seconds (review_every_ms / 1000, duration_ms / 1000), ids and keys to
// 32-byte fields, an absent optional id to an empty field. For an event that decodes,
// EventFromBody(header, id, BodyFromKind(event.kind)) gives `event` back.
proto::Body BodyFromKind(const EventKind& kind);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_EVENT_TO_PROTO_H_
