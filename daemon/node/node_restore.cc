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
  for (const log::DeviceKey& own : {device_key_, chain_key_}) {
    auto it = heads.find(own);
    const uint64_t ours = store_->Head(own).seq;
    if (it == heads.end() || it->second.seq <= ours) continue;
    AheadAtPeer& ahead = own_ahead_at_peer_[own];
    if (it->second.seq <= ahead.seq) continue;
    ahead = AheadAtPeer{it->second.seq, peer};
    LogWarning("device " + Short(peer) + " holds this device's own " +
               (own == device_key_ ? "feed" : "private chain") + " up to seq " +
               std::to_string(it->second.seq) + " but this store only up to seq " +
               std::to_string(ours) +
               " (restored from an older copy?); writes wait until it has caught up");
  }
}

std::optional<Error> Node::WriteBlocked() const {
  if (!identity_) return std::nullopt;
  const auto& frozen = store_->FrozenAuthors();
  for (const log::DeviceKey& own : {device_key_, chain_key_}) {
    auto it = frozen.find(own);
    if (it == frozen.end()) continue;
    return MakeError(
        ErrorCode::kRefused,
        "this device's own " + std::string(own == device_key_ ? "feed" : "private chain") +
            " forked at seq " + std::to_string(it->second) +
            ": it wrote an entry at a seq its own devices or partners already hold a different "
            "one for (its home was restored from an older copy, or copied to a second "
            "machine), so that feed is frozen and nothing it writes there can be delivered. "
            "Recover by re-keying it: stop accordd and start it once with `accordd --rekey` "
            "(a new key for this device, vouched for by the old one, which stays frozen; "
            "nothing is lost and nothing needs pairing again)");
  }
  for (const auto& [own, ahead] : own_ahead_at_peer_) {
    const uint64_t ours = store_->Head(own).seq;
    if (ahead.seq <= ours) continue;
    return MakeError(ErrorCode::kRefused,
                     "this device was restored from an older copy: device " + Short(ahead.peer) +
                         " holds its own entries up to seq " + std::to_string(ahead.seq) +
                         " and this store only up to seq " + std::to_string(ours) +
                         "; it is catching up from that device, try again in a moment");
  }
  return std::nullopt;
}

}  // namespace accord::daemon
