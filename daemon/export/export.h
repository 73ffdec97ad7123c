// `accord export`: everything this member can read, as JSON, Markdown, or an iCalendar file
// of the scheduled space times (RFC 5545), made piece by piece so that a large export is
// never held whole (sent in chunks, docs/architecture.md). Daemon thread; pure.
#ifndef ACCORD_DAEMON_EXPORT_EXPORT_H_
#define ACCORD_DAEMON_EXPORT_EXPORT_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/state/state.h"

namespace accord::daemon {

class ViewBuilder;

enum class ExportFormat { kJson, kMarkdown, kICalendar };

// One export document. It works on its own copy of the state, so it stays one consistent
// snapshot while entries keep arriving between chunks. For ICS: one VEVENT with an RRULE per
// active agreement with a schedule, a VTIMEZONE per zone used; `now_ms` stamps DTSTAMP and
// bounds the time-zone rules included.
class ExportDocument {
 public:
  ExportDocument(ExportFormat format, const state::State& state, const state::MemberId& me,
                 int64_t now_ms);
  ~ExportDocument();
  ExportDocument(const ExportDocument&) = delete;
  ExportDocument& operator=(const ExportDocument&) = delete;

  // The next part of the document: at most `max_bytes` (REQUIRES: max_bytes >= 4), never
  // ending inside a UTF-8 sequence or between CR and LF; empty once done().
  std::string NextChunk(size_t max_bytes);
  bool done() const { return pending_.empty() && section_ == sections_.size(); }

 private:
  // A run of `count` pieces; piece i appends itself to the string.
  struct Section {
    size_t count;
    std::function<void(size_t, std::string&)> piece;
  };
  void Once(std::function<void(std::string&)> piece);
  bool NextPiece(std::string& out);
  void BuildJson();
  void BuildMarkdown();
  void BuildICalendar();

  std::unique_ptr<const state::State> state_;
  state::MemberId me_;
  int64_t now_ms_;
  std::unique_ptr<ViewBuilder> views_;
  std::vector<Section> sections_;
  size_t section_ = 0;  // next section
  size_t item_ = 0;     // next piece in it
  std::string pending_;
};

// The whole document as one string (small exports, tests).
std::string ExportAll(ExportFormat format, const state::State& state, const state::MemberId& me,
                      int64_t now_ms);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_EXPORT_EXPORT_H_
