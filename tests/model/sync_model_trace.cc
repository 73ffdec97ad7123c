// SyncWorld's trace text: the events, messages and stores of a counterexample, in words
// (the search itself is sync_model.cc).
#include <string>

#include "daemon/sync/wire.h"
#include "tests/model/sync_model.h"

namespace accord::model {

std::string SyncWorld::DescribeMessage(const Bytes& message) const {
  Result<sync::PeerMsg> decoded = sync::DecodePeerMessage(message);
  if (!decoded.ok()) return "(undecodable: " + decoded.error().message + ")";
  if (const auto* hello = std::get_if<sync::HelloMsg>(&*decoded)) {
    std::string out = "Hello{";
    bool first = true;
    for (const auto& [author, head] : hello->heads) {
      if (!first) out += " ";
      first = false;
      const int d = entries_.DeviceOf(author);
      out += (d < 0 ? std::string("?") : DeviceName(d)) + ":" + std::to_string(head.seq);
    }
    return out + "}";
  }
  if (const auto* batch = std::get_if<sync::BatchMsg>(&*decoded)) {
    std::string out = "Batch#" + std::to_string(batch->batch_id) + "[";
    for (size_t i = 0; i < batch->entries.size(); ++i) {
      if (i > 0) out += " ";
      out += entries_.Name(log::ComputeEntryId(batch->entries[i].header));
    }
    return out + "] behind=" + std::to_string(batch->total_behind);
  }
  if (const auto* ack = std::get_if<sync::AckMsg>(&*decoded)) {
    return "Ack#" + std::to_string(ack->batch_id);
  }
  if (std::holds_alternative<sync::ForkMsg>(*decoded)) return "ForkProof";
  if (std::holds_alternative<sync::CloseMsg>(*decoded)) return "SyncClose";
  if (std::holds_alternative<sync::KeepaliveMsg>(*decoded)) return "Keepalive";
  if (std::holds_alternative<sync::BodyRequestMsg>(*decoded)) return "BodyRequest";
  return "BodyReply";
}

std::string SyncWorld::Describe(const Event& e) const {
  const Connection* c = e.kind == EventKind::kWrite || e.kind == EventKind::kRestart
                            ? nullptr
                            : connections_[e.a].get();
  auto pair_name = [&] { return DeviceName(kPairs[e.a][0]) + "-" + DeviceName(kPairs[e.a][1]); };
  auto side_name = [&](int side) { return c ? DeviceName(c->node[side]) : std::string("?"); };
  auto head = [&](int side) {
    return c && !c->queue[side].empty() ? DescribeMessage(c->queue[side].front().bytes)
                                        : std::string("nothing");
  };
  switch (e.kind) {
    case EventKind::kConnect:
      return "connect " + DeviceName(kPairs[e.a][e.b]) + " -> " + DeviceName(kPairs[e.a][1 - e.b]) +
             " (new sessions)";
    case EventKind::kDeliverSlow:
      return "deliver to " + side_name(e.b) + " from " + side_name(1 - e.b) +
             ", its store left pending: " + head(e.b);
    case EventKind::kDeliver:
      return "deliver to " + side_name(e.b) + " from " + side_name(1 - e.b) + ": " + head(e.b);
    case EventKind::kCommit:
      return side_name(e.b) + "'s edge commits its oldest pending batch from " + side_name(1 - e.b);
    case EventKind::kWrite:
      return DeviceName(e.a) + " writes " + DeviceName(e.a) +
             std::to_string(bound_.held_entries + devices_[e.a]->written + 1);
    case EventKind::kNotice:
      return "the channel " + pair_name() + " notices the lost message and closes";
    case EventKind::kDrop:
      return "FAULT: the connection " + pair_name() + " drops";
    case EventKind::kRestart:
      return "FAULT: " + DeviceName(e.a) + " restarts (sessions and pending stores gone)";
    case EventKind::kLose:
      return "FAULT: lost on its way to " + side_name(e.b) + ": " + head(e.b);
    case EventKind::kDuplicate:
      return "FAULT: duplicated towards " + side_name(e.b) + ": " + head(e.b);
    case EventKind::kTamper:
      return "FAULT: a signature byte flipped in " + head(e.b) + " towards " + side_name(e.b);
  }
  return "?";
}

std::string SyncWorld::DescribeStores() const {
  std::string out;
  for (int d = 0; d < kModelDevices; ++d) {
    out += DeviceName(d) + " holds {";
    bool first = true;
    for (const auto& [author, ids] : devices_[d]->node().Feeds()) {
      for (const log::EntryId& id : ids) {
        if (!first) out += " ";
        first = false;
        out += entries_.Name(id);
      }
    }
    out += "}";
    if (d + 1 < kModelDevices) out += ", ";
  }
  return out;
}

}  // namespace accord::model
