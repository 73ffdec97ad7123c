// Turning daemon responses into what the user reads: text by default, or the protobuf JSON
// mapping with --json (stable field names). Client only.
#ifndef ACCORD_CLIENT_RENDER_H_
#define ACCORD_CLIENT_RENDER_H_

#include <ostream>
#include <string>
#include <string_view>

#include "accord/ipc.pb.h"

namespace accord::client {

// One JSON document (or one line, for streamed events) for a response.
std::string ToJson(const proto::Response& response, bool one_line);

// Human-readable text for a successful response. `now_ms` makes "in 2h" phrases. Every string
// from the daemon is escaped (base/text.h TerminalSafe): no control character, C1 or bidi
// control reaches the terminal, whatever a partner wrote.
void RenderText(const proto::Response& response, int64_t now_ms, std::ostream& out);

// One piece of an export for a terminal: CRLF line ends shown as newlines, everything else as
// TerminalSafe. (Exports to a file or a pipe are written exactly, not through this.)
void RenderExportChunk(std::string_view content, std::ostream& out);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_RENDER_H_
