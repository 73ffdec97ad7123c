// Decoding a parsed entry Body into an Event, with every content check the fold relies on.
// Pure; any thread. Header checks (signature, chain, pact) belong to daemon/log, not here.
#ifndef ACCORD_DAEMON_STATE_EVENT_FROM_PROTO_H_
#define ACCORD_DAEMON_STATE_EVENT_FROM_PROTO_H_

#include <cstddef>

#include "accord/entry.pb.h"
#include "base/result.h"
#include "daemon/log/header.h"
#include "daemon/state/events.h"

namespace accord::state {

constexpr size_t kMaxTextBytes = 8192;         // bytes: needs, notes, messages, agreement text
constexpr size_t kMaxNameBytes = 128;          // bytes: member and device names
constexpr size_t kMaxScheduleSpecBytes = 256;  // bytes: the schedule as typed
constexpr size_t kMaxTimeZoneBytes = 64;       // bytes: IANA zone names are far shorter
constexpr size_t kMaxRecipients = 256;         // per EpochStart; far above any household
constexpr int64_t kMaxAnchorDayMagnitude = 1000000;  // days from 1970, about 2700 years

// kBadBody when the kind is not set, the kind's scope differs from header.scope, an id or
// key is not 32 bytes (empty only where the field is optional), a feeling is outside 1..5, a
// duration is <= 0 or above one year, a schedule field is out of range, a required text is
// empty, a text is past its cap, or a control entry names someone it may not
// (MemberCreated.member_id != author, MemberAdded.member_id != device_key), an EpochStart
// has epoch 0, no recipient or more than kMaxRecipients, or a sealed key that is not exactly
// crypto::kSealedEpochKeyBytes, or an original_time_ms is negative, later than the header's
// time, or set on a control entry. The event's time_ms is the original time when the body
// has one, else the header's.
// Deliberately independent of local data (no time zone lookup), so every device decides alike.
Result<Event> EventFromBody(const log::EntryHeader& header, const log::EntryId& id,
                            const proto::Body& body);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_EVENT_FROM_PROTO_H_
