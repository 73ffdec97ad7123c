// Node: moving format-1 reflections (docs/log-format.md "Moving format-1 reflections"). A
// store written before private chains holds this device's reflections in its shared feed.
// At start each one is written again into the private chain (same text, its original time,
// naming the old entry in `moved_from`, which hides the old one at once), then forgotten
// (its old body erased). Crash-safe in any order of interruption: a moved one is never moved
// twice (the fold knows what was moved), and a Forget is written again if it is missing.
#include "daemon/logging.h"
#include "daemon/node/node.h"

namespace accord::daemon {

namespace {

constexpr std::string_view kMetaMoved = "format1_reflections_moved";
constexpr size_t kReadChunk = 256;  // entries of the own feed read at a time

}  // namespace

Status Node::MoveFormatOneReflections() {
  Result<std::optional<Bytes>> done = store_->GetMeta(kMetaMoved);
  if (!done.ok()) return done.error();
  if (*done) return Status::Ok();
  if (WriteBlocked()) return Status::Ok();  // tried again at the next start

  std::set<log::EntryId> moved;
  for (const auto& [id, event] : MovedReflections()) moved.insert(id);
  const uint64_t head = store_->Head(device_key_).seq;
  size_t count = 0;
  for (uint64_t seq = 1; seq <= head; seq += kReadChunk) {
    Result<std::vector<log::Envelope>> chunk = store_->ReadRange(device_key_, seq, kReadChunk);
    if (!chunk.ok()) return chunk.error();
    for (const log::Envelope& e : *chunk) {
      Result<log::EntryHeader> header = log::DecodeHeader(e.header);
      if (!header.ok() || header->scope != log::Scope::kPrivate) continue;
      const log::EntryId id = log::ComputeEntryId(e.header);
      if (erased_.count(id) != 0 || log::IsWithheld(*header, e)) continue;
      Result<proto::Body> body = OpenStoredBody(*header, e, keys_);
      if (!body.ok() || body->kind_case() != proto::Body::kReflection) continue;
      if (moved.count(id) == 0) {
        proto::Body copy;
        copy.mutable_reflection()->set_text(body->reflection().text());
        copy.mutable_reflection()->set_moved_from(std::string(id.begin(), id.end()));
        copy.set_original_time_ms(body->has_original_time_ms() ? body->original_time_ms()
                                                               : header->time_ms);
        Result<log::EntryId> written = WritePrivate(copy);
        if (!written.ok()) return written.error();
      }
      Result<log::EntryId> forgot = WriteKind(state::Forgot{id});
      if (!forgot.ok()) return forgot.error();
      ++count;
    }
  }
  if (count > 0) {
    LogInfo(std::to_string(count) +
            " reflections moved into this device's private chain (log format 2)");
  }
  return store_->SetMeta(kMetaMoved, AsBytes(std::string_view("1")));
}

std::map<log::EntryId, log::EntryId> Node::MovedReflections() {
  std::map<log::EntryId, log::EntryId> out;  // old id -> the copy's id
  for (const state::Reflection& r : State().reflections) {
    if (r.moved_from) out.emplace(*r.moved_from, r.by.id);
  }
  return out;
}

}  // namespace accord::daemon
