// Node: forgetting a reflection (SPEC §3). The Forget entry travels in the private chain to
// the member's other devices; every device of the member that folds it erases the named
// body from its store, also when the reflection reaches it only after the Forget, and again
// after a crash between the two (a refold finds the Forget and erases what is still there).
#include "daemon/logging.h"
#include "daemon/node/node.h"

namespace accord::daemon {

Result<log::EntryId> Node::Forget(const log::EntryId& id) {
  bool mine = false;
  for (const state::Reflection& r : State().reflections) mine = mine || r.by.id == id;
  if (!mine) return MakeError(ErrorCode::kNotFound, "no reflection of yours has this id");
  return WriteKind(state::Forgot{id});
}

void Node::OnFolded(const state::Event& event) {
  if (const auto* f = std::get_if<state::Forgot>(&event.kind)) {
    // Only this member's own feeds carry a Forget that counts: its private chains (no other
    // member's chain can be placed here) or this device's own feed.
    if (event.author != device_key_ && chain_device_.count(event.author) == 0) return;
    forgotten_.insert(f->entry);
    EraseForgotten(f->entry);
  } else if (std::holds_alternative<state::Reflected>(event.kind) &&
             forgotten_.count(event.id) != 0) {
    EraseForgotten(event.id);  // the Forget came first, from another of the member's devices
  }
}

void Node::EraseForgotten(const log::EntryId& id) {
  if (erased_.count(id) != 0) return;
  if (refolding_) {
    erase_after_refold_.push_back(id);  // Refold erases it once its walk is done
    return;
  }
  Result<log::Envelope> stored = store_->GetEnvelope(id);
  if (!stored.ok()) return;  // not here (yet): erased when it arrives
  Result<log::EntryHeader> header = log::DecodeHeader(stored->header);
  if (!header.ok() || header->scope != log::Scope::kPrivate) return;
  // This member's: in a chain held here, or (log format 1) in a feed of one of its devices.
  if (header->author != device_key_ && chain_device_.count(header->author) == 0) {
    std::optional<state::MemberId> owner = MemberOf(header->author);
    std::optional<state::MemberId> mine = MemberOf(device_key_);
    if (!owner || !mine || *owner != *mine) return;
  }
  if (Status s = store_->EraseBody(id); !s.ok()) {
    LogError("cannot erase the body of entry " + ToHex(id).substr(0, 8) + ": " + s.error().message);
    return;
  }
  erased_.insert(id);
  damaged_.erase(id);
  state_.reset();
}

}  // namespace accord::daemon
