// Node: restore from a backup (SPEC §4, docs/identity.md). A device restored from an older
// copy of its home must not author while a peer holds more of its own feed (the same seq
// twice is a fork, and a fork freezes the feed everywhere); once it forked, no write may
// report success, since none of it would ever be delivered.
#include <string>

#include "daemon/logging.h"
#include "daemon/node/node.h"

namespace accord::daemon {

namespace {

std::string Short(ByteView key) { return ToHex(key).substr(0, 8); }

}  // namespace

void Node::NotePeerHeads(const log::DeviceKey& peer,
                         const std::map<log::DeviceKey, log::FeedHead>& heads) {
  auto it = heads.find(device_key_);
  if (it == heads.end() || it->second.seq <= store_->Head(device_key_).seq) return;
  if (it->second.seq <= own_seq_at_peer_) return;
  own_seq_at_peer_ = it->second.seq;
  own_seq_peer_ = peer;
  LogWarning("device " + Short(peer) + " holds this device's own feed up to seq " +
             std::to_string(it->second.seq) + " but this store only up to seq " +
             std::to_string(store_->Head(device_key_).seq) +
             " (restored from an older copy?); writes wait until it has caught up");
}

std::optional<Error> Node::WriteBlocked() const {
  if (!identity_) return std::nullopt;
  const auto& frozen = store_->FrozenAuthors();
  if (auto it = frozen.find(device_key_); it != frozen.end()) {
    return MakeError(
        ErrorCode::kRefused,
        "this device's own feed forked at seq " + std::to_string(it->second) +
            ": it wrote an entry at a seq its partners already hold a different one for (its "
            "home was restored from an older copy, or copied to a second machine), so its "
            "feed is frozen and nothing it writes can be delivered. Recover by starting this "
            "device over as a new one: stop accordd, run `accordd --start-over` (the old "
            "store is moved aside, nothing is deleted), then `accord init` and pair again "
            "with `accord join`");
  }
  const uint64_t ours = store_->Head(device_key_).seq;
  if (own_seq_at_peer_ > ours) {
    return MakeError(ErrorCode::kRefused,
                     "this device was restored from an older copy: device " + Short(own_seq_peer_) +
                         " holds its own entries up to seq " + std::to_string(own_seq_at_peer_) +
                         " and this store only up to seq " + std::to_string(ours) +
                         "; it is catching up from that device, try again in a moment");
  }
  return std::nullopt;
}

}  // namespace accord::daemon
