// Turning daemon responses into what the user reads: text by default, or the protobuf JSON
// mapping with --json (stable field names). Client only.
#ifndef ACCORD_CLIENT_RENDER_H_
#define ACCORD_CLIENT_RENDER_H_

#include <ostream>
#include <string>

#include "accord/ipc.pb.h"

namespace accord::client {

// One JSON document (or one line, for streamed events) for a response.
std::string ToJson(const proto::Response& response, bool one_line);

// Human-readable text for a successful response. `now_ms` makes "in 2h" phrases.
void RenderText(const proto::Response& response, int64_t now_ms, std::ostream& out);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_RENDER_H_
