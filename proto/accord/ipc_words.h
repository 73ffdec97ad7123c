// The words text output prints for the fixed values of ipc.proto's view fields: the client's
// rendering and the daemon's Markdown export share them. Any thread; pure functions.
// `--json` prints the enum value names instead; nothing here parses words back into values.
#ifndef ACCORD_PROTO_ACCORD_IPC_WORDS_H_
#define ACCORD_PROTO_ACCORD_IPC_WORDS_H_

#include <string_view>

#include "accord/ipc.pb.h"

namespace accord::proto {

// Each returns "unknown" for a value it does not name (UNSPECIFIED, or a newer daemon's);
// WordFor(Damage) returns "" for DAMAGE_UNSPECIFIED, which means nothing is wrong.
std::string_view WordFor(VersionStatus status);
std::string_view WordFor(AgreementStatus status);
std::string_view WordFor(Scope scope);
std::string_view WordFor(EntryKind kind);
std::string_view WordFor(Signature signature);
std::string_view WordFor(Damage damage);
std::string_view WordFor(InviteState state);
std::string_view WordFor(PeerState state);
std::string_view WordFor(CheckResult result);

}  // namespace accord::proto

#endif  // ACCORD_PROTO_ACCORD_IPC_WORDS_H_
