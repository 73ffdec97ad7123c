#include "daemon/ipc/log_stream.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "daemon/ipc/views.h"
#include "daemon/log/signatures.h"

namespace accord::daemon {

std::shared_ptr<LogStream> LogStream::Start(Node& node, bool verify, uint32_t limit,
                                            std::shared_ptr<IpcSession> session,
                                            Verifier verifier) {
  std::shared_ptr<LogStream> stream(
      new LogStream(node, verify, limit, std::move(session), std::move(verifier)));
  stream->Step();
  return stream;
}

LogStream::LogStream(Node& node, bool verify, uint32_t limit, std::shared_ptr<IpcSession> session,
                     Verifier verifier)
    : node_(node),
      verify_(verify),
      session_(std::move(session)),
      verifier_(std::move(verifier)),
      after_(limit > 0 ? std::numeric_limits<int64_t>::max() : 0),
      backward_(limit > 0),
      left_(limit) {
  for (const state::Member& m : node_.Live().members)
    for (const state::Device& d : m.devices) names_[d.key] = m.name;
}

void LogStream::Step() {
  if (!session_->is_open()) return;  // the client went away: stop reading
  Result<LogSlice> slice = Read();
  if (!slice.ok()) return session_->SendError(slice.code(), slice.error().message);
  after_ = slice->last_arrival;
  if (!verify_) return Show(*slice, nullptr);
  auto envelopes = std::make_shared<std::vector<log::Envelope>>();
  envelopes->reserve(slice->entries.size());
  for (const store::StoredEntry& e : slice->entries) envelopes->push_back(e.envelope);
  if (!verifier_) {
    const std::vector<log::SignatureVerdict> verdicts =
        log::VerifySignatures(*envelopes, log::SignatureThreads());
    return Show(*slice, &verdicts);
  }
  auto pending = std::make_shared<LogSlice>(std::move(*slice));
  verifier_(std::move(envelopes),
            [self = shared_from_this(), pending](std::vector<log::SignatureVerdict> verdicts) {
              if (self->session_->is_open()) self->Show(*pending, &verdicts);
            });
}

Result<LogSlice> LogStream::Read() {
  if (!backward_) return node_.ReadLog(after_, kLogSliceEntries);
  const size_t want = static_cast<size_t>(std::min<uint64_t>(left_, kLogSliceEntries));
  Result<LogSlice> slice = node_.ReadLogBackward(after_, want);
  if (!slice.ok()) return slice;
  left_ -= slice->entries.size();
  slice->done = slice->done || left_ == 0;
  return slice;
}

void LogStream::Show(const LogSlice& slice, const std::vector<log::SignatureVerdict>* verdicts) {
  for (const LogRow& row : node_.LogRows(slice.entries, verdicts)) Add(row);
  if (slice.done) return Finish();
  // Yield: requests that arrived meanwhile run before the next slice.
  asio::post(session_->executor(), [self = shared_from_this()] { self->Step(); });
}

void LogStream::Add(const LogRow& row) {
  auto* e = out_.mutable_log()->add_entries();
  e->set_id(ToHex(row.id));
  e->set_author(ToHex(row.header.author));
  auto name = names_.find(node_.DeviceOfAuthor(row.header.author));  // a chain: its device
  e->set_author_name(name != names_.end() ? name->second
                                          : "device " + ToHex(row.header.author).substr(0, 8));
  e->set_seq(row.header.seq);
  e->set_lamport(row.header.lamport);
  // A carried entry shows when it was first written, and says when it was carried.
  e->set_time_ms(row.original_time_ms.value_or(row.header.time_ms));
  if (row.original_time_ms) e->set_carried_ms(row.header.time_ms);
  e->set_scope(ScopeView(row.header.scope));
  e->set_kind(row.erased ? proto::ENTRY_KIND_ERASED : row.kind);
  e->set_signature(!row.verified      ? proto::SIGNATURE_STORED
                   : row.signature_ok ? proto::SIGNATURE_VERIFIED
                                      : proto::SIGNATURE_BAD);
  e->set_damage(row.undecryptable ? proto::DAMAGE_UNDECRYPTABLE : DamageView(row.damage));
  e->set_sealed_below_rotation(row.sealed_below_rotation);
  if (row.sealed_below_rotation) ++sealed_below_rotation_;
  if (e->damage() != proto::DAMAGE_UNSPECIFIED) {
    ++failed_;
  } else if (row.verified) {
    ++verified_;
  }
  if (out_.log().entries_size() == static_cast<int>(kLogChunkEntries)) {
    out_.mutable_log()->set_more(true);
    session_->Send(out_);
    out_.Clear();
  }
}

void LogStream::Finish() {
  proto::LogResponse* log = out_.mutable_log();
  log->set_more(false);
  log->set_verified(verified_);
  log->set_failed(failed_);
  log->set_sealed_below_rotation(sealed_below_rotation_);
  session_->Send(out_);
  finished_ = true;
}

}  // namespace accord::daemon
