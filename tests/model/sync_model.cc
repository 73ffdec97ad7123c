#include "tests/model/sync_model.h"

#include <algorithm>
#include <utility>

#include "daemon/log/entry.h"
#include "daemon/sync/wire.h"

namespace accord::model {

namespace {

using sync::testing::MemoryNode;

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

Bytes EnvelopeBytes(const log::Envelope& e) {
  Bytes out = e.header;
  out.insert(out.end(), e.signature.begin(), e.signature.end());
  out.insert(out.end(), e.sealed_body.begin(), e.sealed_body.end());
  return out;
}

}  // namespace

// ---- Device: the session's SyncSource over an immutable snapshot of the store ----------

class SyncWorld::Device : public sync::SyncSource {
 public:
  explicit Device(std::shared_ptr<const MemoryNode> node) : node_(std::move(node)) {}

  const MemoryNode& node() const { return *node_; }

  void Append(const log::Envelope& entry) {
    auto next = std::make_shared<MemoryNode>(*node_);
    next->Append(entry);
    node_ = std::move(next);
    verified = false;
    ++stored_total;
  }

  // The edge's StoreBatch through MemoryNode::Store (IngestBatch: signatures, hashes,
  // chains, decryption), once per distinct (contents, batch); the result is shared after.
  const ModelCache::Stored& Store(const std::vector<log::Envelope>& batch, ModelCache& cache) {
    std::string key;
    for (const auto& [author, ids] : node_->Feeds()) {
      key.append(author.begin(), author.end());
      PutU32(key, static_cast<uint32_t>(ids.size()));
      for (const log::EntryId& id : ids) key.append(id.begin(), id.end());
      key.push_back(node_->IsFrozen(author) ? 'F' : '-');
    }
    PutU32(key, static_cast<uint32_t>(node_->forks().size()));
    PutU32(key, static_cast<uint32_t>(node_->wanted().size()));
    key.push_back('|');
    for (const log::Envelope& e : batch) PutU32(key, cache.Id(EnvelopeBytes(e)));
    const ModelCache::Stored* found = cache.FindStore(key);
    if (found == nullptr) {
      auto next = std::make_shared<MemoryNode>(*node_);
      Result<MemoryNode::StoreReport> report = next->Store(batch);
      ModelCache::Stored stored;
      if (report.ok()) {
        stored.stored = report->stored;
        stored.after = std::move(next);
      } else {
        stored.status = report.error();
      }
      found = &cache.AddStore(key, std::move(stored));
    }
    if (found->after) {
      if (node_ != found->after) verified = false;
      node_ = found->after;
      stored_total += found->stored;
    }
    return *found;
  }

  std::map<log::DeviceKey, log::FeedHead> Heads() const override { return node_->Heads(); }
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                          size_t limit) const override {
    return node_->Read(author, from_seq, limit);
  }
  sync::Share MaySend(const log::Envelope& entry, const log::EntryHeader& header) const override {
    return node_->MaySend(entry, header);
  }
  std::vector<log::DeviceKey> SendOrder() const override { return node_->SendOrder(); }
  std::vector<log::EntryId> WantedBodies(size_t limit) const override {
    return node_->WantedBodies(limit);
  }
  Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& id) const override {
    return node_->IntactCopy(id);
  }

  int written = 0;                // own entries written during the run
  size_t stored_total = 0;        // entries the store reported storing, all steps together
  mutable bool verified = false;  // the bytes of every entry held were checked

 private:
  std::shared_ptr<const MemoryNode> node_;
};

// ---- Connection ------------------------------------------------------------------------

struct SyncWorld::Connection {
  int pair = 0;
  std::array<int, 2> node{};  // device on each side; side 0 initiated
  std::array<std::unique_ptr<sync::SyncSession>, 2> session;
  struct Message {
    Bytes bytes;
    uint32_t id = 0;           // interned
    bool has_entries = false;  // a batch with entries (what kTamper and kDeliverSlow take)
  };
  std::array<std::deque<Message>, 2> queue;            // queue[i]: messages on their way to side i
  std::array<bool, 2> dead{};                          // a message towards side i was lost
  std::array<std::deque<sync::StoreBatch>, 2> stores;  // handed to the edge, not yet stored
  // Per side: ids of the entries of each batch it received, to know what its ack promises.
  std::array<std::map<uint64_t, std::vector<log::EntryId>>, 2> received;
  // Per side: every message it sent and received, in order (interned), for the state key.
  std::array<std::vector<uint32_t>, 2> sent_history, received_history;
  std::array<uint32_t, 2> stores_reported{};
  bool faulted = false;  // a duplicate or a tampered message: a close is expected then
  bool closed = false;
};

// ---- SyncWorld -------------------------------------------------------------------------

SyncWorld::SyncWorld(const ModelEntries& entries, const SyncBound& bound, ModelCache& cache)
    : entries_(entries), bound_(bound), cache_(cache) {
  const std::vector<log::DeviceKey> keys = entries_.devices();
  for (int d = 0; d < kModelDevices; ++d) {
    auto node = std::make_shared<MemoryNode>(entries_.feed().pact(), entries_.feed().keys(), keys);
    for (int i = 0; i < bound_.held_entries; ++i) {
      const log::Envelope& e = entries_.chain(d)[i];
      node->Append(e);
      acked_.insert({d, log::ComputeEntryId(e.header)});
    }
    devices_[d] = std::make_unique<Device>(std::move(node));
    devices_[d]->stored_total = static_cast<size_t>(bound_.held_entries);
  }
}

SyncWorld::SyncWorld(const ModelEntries& entries, const SyncBound& bound, ModelCache& cache, Blank)
    : entries_(entries), bound_(bound), cache_(cache) {}

SyncWorld::~SyncWorld() = default;

std::unique_ptr<SyncWorld> SyncWorld::Clone() const {
  std::unique_ptr<SyncWorld> copy(new SyncWorld(entries_, bound_, cache_, Blank{}));
  for (int d = 0; d < kModelDevices; ++d)
    copy->devices_[d] = std::make_unique<Device>(*devices_[d]);
  for (int p = 0; p < kModelPairs; ++p) {
    const Connection* c = connections_[p].get();
    if (c == nullptr) continue;
    auto fresh = std::make_unique<Connection>();
    fresh->pair = c->pair;
    fresh->node = c->node;
    for (int side = 0; side < 2; ++side) {
      fresh->session[side] =
          std::make_unique<sync::SyncSession>(*c->session[side], *copy->devices_[c->node[side]]);
    }
    fresh->queue = c->queue;
    fresh->dead = c->dead;
    fresh->stores = c->stores;
    fresh->received = c->received;
    fresh->sent_history = c->sent_history;
    fresh->received_history = c->received_history;
    fresh->stores_reported = c->stores_reported;
    fresh->faulted = c->faulted;
    fresh->closed = c->closed;
    copy->connections_[p] = std::move(fresh);
  }
  copy->acked_ = acked_;
  copy->errors_ = errors_;
  copy->faults_used_ = faults_used_;
  copy->delays_used_ = delays_used_;
  copy->last_component_ = last_component_;
  copy->preemptions_ = preemptions_;
  copy->verbose_ = verbose_;
  return copy;
}

std::string SyncWorld::DeviceName(int device) const {
  return std::string(1, static_cast<char>('A' + device));
}

void SyncWorld::Note(std::string line) {
  if (verbose_) log_.push_back(std::move(line));
}

int SyncWorld::Component(const Event& event) {
  if (event.kind == EventKind::kWrite || event.kind == EventKind::kRestart) {
    return kModelPairs + event.a;
  }
  return event.a;
}

std::vector<Event> SyncWorld::Enabled() const {
  std::vector<Event> all = Unbounded();
  if (bound_.max_preemptions < 0 || preemptions_ < bound_.max_preemptions) return all;
  const bool last_can_go_on = std::any_of(all.begin(), all.end(), [&](const Event& e) {
    return e.IsProgress() && Component(e) == last_component_;
  });
  if (!last_can_go_on) return all;
  std::erase_if(all, [&](const Event& e) { return Component(e) != last_component_; });
  return all;
}

std::vector<Event> SyncWorld::Unbounded() const {
  std::vector<Event> out;
  for (int p = 0; p < kModelPairs; ++p) {
    const Connection* c = connections_[p].get();
    const auto a = static_cast<uint8_t>(p);
    if (c == nullptr) {
      out.push_back({EventKind::kConnect, a, 0});
      out.push_back({EventKind::kConnect, a, 1});
      continue;
    }
    for (uint8_t side = 0; side < 2; ++side) {
      if (!c->queue[side].empty() && !c->dead[side]) {
        out.push_back({EventKind::kDeliver, a, side});
        if (c->queue[side].front().has_entries && c->stores[side].empty() &&
            delays_used_ < bound_.max_delays) {
          out.push_back({EventKind::kDeliverSlow, a, side});
        }
      }
      if (!c->stores[side].empty()) out.push_back({EventKind::kCommit, a, side});
    }
    if (c->dead[0] || c->dead[1]) out.push_back({EventKind::kNotice, a, 0});
  }
  for (int d = 0; d < kModelDevices; ++d) {
    if (devices_[d]->written < bound_.written_entries) {
      out.push_back({EventKind::kWrite, static_cast<uint8_t>(d), 0});
    }
  }
  if (faults_used_ >= bound_.max_faults) return out;
  for (int p = 0; p < kModelPairs; ++p) {
    const Connection* c = connections_[p].get();
    if (c == nullptr) continue;
    const auto a = static_cast<uint8_t>(p);
    out.push_back({EventKind::kDrop, a, 0});
    for (uint8_t side = 0; side < 2; ++side) {
      if (c->queue[side].empty() || c->dead[side]) continue;
      out.push_back({EventKind::kLose, a, side});
      out.push_back({EventKind::kDuplicate, a, side});
      if (c->queue[side].front().has_entries) out.push_back({EventKind::kTamper, a, side});
    }
  }
  for (int d = 0; d < kModelDevices; ++d) {
    const bool connected = std::any_of(connections_.begin(), connections_.end(), [&](auto& c) {
      return c && (c->node[0] == d || c->node[1] == d);
    });
    if (connected) out.push_back({EventKind::kRestart, static_cast<uint8_t>(d), 0});
  }
  return out;
}

void SyncWorld::Apply(const Event& event) {
  log_.clear();
  if (event.IsFault()) ++faults_used_;
  if (event.kind == EventKind::kDeliverSlow) ++delays_used_;
  if (bound_.max_preemptions >= 0 && last_component_ >= 0 && Component(event) != last_component_) {
    const std::vector<Event> all = Unbounded();
    if (std::any_of(all.begin(), all.end(), [&](const Event& e) {
          return e.IsProgress() && Component(e) == last_component_;
        })) {
      ++preemptions_;
    }
  }
  last_component_ = Component(event);
  Note(Describe(event));
  Connection* c = event.kind == EventKind::kWrite || event.kind == EventKind::kRestart
                      ? nullptr
                      : connections_[event.a].get();
  switch (event.kind) {
    case EventKind::kConnect: {
      auto fresh = std::make_unique<Connection>();
      fresh->pair = event.a;
      fresh->node = {kPairs[event.a][event.b], kPairs[event.a][1 - event.b]};
      fresh->session[0] = std::make_unique<sync::SyncSession>(sync::SyncSession::Role::kInitiator,
                                                              *devices_[fresh->node[0]]);
      fresh->session[1] = std::make_unique<sync::SyncSession>(sync::SyncSession::Role::kResponder,
                                                              *devices_[fresh->node[1]]);
      c = fresh.get();
      connections_[event.a] = std::move(fresh);
      Execute(*c, 0, c->session[0]->Start());
      Execute(*c, 1, c->session[1]->Start());
      break;
    }
    case EventKind::kDeliver:
    case EventKind::kDeliverSlow: {
      const int to = event.b;
      Bytes message = std::move(c->queue[to].front().bytes);
      c->received_history[to].push_back(c->queue[to].front().id);
      c->queue[to].pop_front();
      Result<sync::PeerMsg> decoded = sync::DecodePeerMessage(message);
      if (decoded.ok()) {
        if (const auto* batch = std::get_if<sync::BatchMsg>(&*decoded)) {
          std::vector<log::EntryId>& ids = c->received[to][batch->batch_id];
          ids.clear();
          for (const log::Envelope& e : batch->entries) {
            ids.push_back(log::ComputeEntryId(e.header));
          }
        }
      }
      slow_ = event.kind == EventKind::kDeliverSlow;
      Execute(*c, to, c->session[to]->OnMessage(message));
      slow_ = false;
      break;
    }
    case EventKind::kCommit:
      Commit(*c, event.b);
      break;
    case EventKind::kWrite: {
      Device& d = *devices_[event.a];
      const log::Envelope& e = entries_.chain(event.a)[bound_.held_entries + d.written];
      ++d.written;
      d.Append(e);
      acked_.insert({event.a, log::ComputeEntryId(e.header)});  // durable once appended
      LocalChange(event.a);
      break;
    }
    case EventKind::kNotice:
    case EventKind::kDrop:
      connections_[event.a].reset();
      break;
    case EventKind::kRestart:
      for (auto& conn : connections_) {
        if (conn && (conn->node[0] == event.a || conn->node[1] == event.a)) conn.reset();
      }
      break;
    case EventKind::kLose:
      c->queue[event.b].pop_front();
      c->dead[event.b] = true;
      break;
    case EventKind::kDuplicate: {
      Connection::Message copy = c->queue[event.b].front();
      c->queue[event.b].push_back(std::move(copy));
      c->faulted = true;
      break;
    }
    case EventKind::kTamper: {
      Connection::Message& head = c->queue[event.b].front();
      Result<sync::PeerMsg> decoded = sync::DecodePeerMessage(head.bytes);
      auto& batch = std::get<sync::BatchMsg>(*decoded);
      batch.entries.front().signature[0] ^= 0x01;
      head.bytes = sync::EncodeBatch(batch.batch_id, batch.entries, batch.total_behind);
      head.id = cache_.Id(head.bytes);
      c->faulted = true;
      break;
    }
  }
  RemoveClosed();
}

void SyncWorld::Execute(Connection& c, int side, std::vector<sync::Action> actions) {
  const std::string who = DeviceName(c.node[side]);
  const std::string peer = DeviceName(c.node[1 - side]);
  for (sync::Action& action : actions) {
    if (c.closed) return;
    if (auto* send = std::get_if<sync::SendMessage>(&action)) {
      Connection::Message message{std::move(send->plaintext), 0, false};
      message.id = cache_.Id(message.bytes);
      c.sent_history[side].push_back(message.id);
      Note("  " + who + " -> " + peer + ": " + DescribeMessage(message.bytes));
      Result<sync::PeerMsg> decoded = sync::DecodePeerMessage(message.bytes);
      if (!decoded.ok()) {
        errors_.push_back(who + " sent an undecodable message: " + decoded.error().message);
      } else if (const auto* ack = std::get_if<sync::AckMsg>(&*decoded)) {
        // An ack promises the batch is stored and survives a restart.
        for (const log::EntryId& id : c.received[side][ack->batch_id]) {
          if (!Holds(c.node[side], id)) {
            errors_.push_back(who + " acked batch #" + std::to_string(ack->batch_id) + " to " +
                              peer + " without holding " + entries_.Name(id));
          }
          acked_.insert({c.node[side], id});
        }
      } else if (const auto* batch = std::get_if<sync::BatchMsg>(&*decoded)) {
        message.has_entries = !batch->entries.empty();
      }
      c.queue[1 - side].push_back(std::move(message));
    } else if (auto* store = std::get_if<sync::StoreBatch>(&action)) {
      // The edge stores at once unless this delivery was chosen slow or an earlier batch of
      // this session is still pending (stores go in order).
      const bool later = slow_ || !c.stores[side].empty();
      Note("  " + who + " hands batch #" + std::to_string(store->batch_id) + " to its store" +
           (later ? " (pending)" : ""));
      c.stores[side].push_back(std::move(*store));
      if (!later) Commit(c, side);
    } else if (auto* close = std::get_if<sync::CloseSession>(&action)) {
      Note("  " + who + " closes the session: " + close->reason);
      if (!c.faulted) {
        errors_.push_back(who + " closed a fault-free session with " + peer + ": " + close->reason);
      }
      c.closed = true;
    } else if (std::holds_alternative<sync::RecordFork>(action)) {
      errors_.push_back(who + " was handed a fork proof between honest devices");
    } else if (std::holds_alternative<sync::RepairEntries>(action)) {
      errors_.push_back(who + " was handed repair copies nobody asked for");
    }
  }
}

void SyncWorld::Commit(Connection& c, int side) {
  sync::StoreBatch batch = std::move(c.stores[side].front());
  c.stores[side].pop_front();
  ++c.stores_reported[side];
  const int device = c.node[side];
  Status status;
  size_t stored = 0;
  if (bound_.edge_bug == SyncBound::EdgeBug::kAckWithoutStoring) {
    Note("  " + DeviceName(device) + "'s edge reports batch #" + std::to_string(batch.batch_id) +
         " stored without storing it (the injected edge bug)");
  } else {
    const ModelCache::Stored& result = devices_[device]->Store(batch.entries, cache_);
    status = result.status;
    stored = result.stored;
    Note("  " + DeviceName(device) + " stores batch #" + std::to_string(batch.batch_id) + ": " +
         (status.ok() ? std::to_string(stored) + " new" : "refused: " + status.error().message));
  }
  Execute(c, side, c.session[side]->OnBatchStored(batch.batch_id, status));
  if (stored > 0 && bound_.edge_bug != SyncBound::EdgeBug::kForgetLocalChange) {
    LocalChange(device);
  }
}

void SyncWorld::LocalChange(int device) {
  for (auto& conn : connections_) {
    if (!conn || conn->closed) continue;
    for (int side = 0; side < 2; ++side) {
      if (conn->node[side] == device) Execute(*conn, side, conn->session[side]->OnLocalChange());
    }
  }
}

void SyncWorld::RemoveClosed() {
  for (auto& conn : connections_) {
    if (conn && conn->closed) conn.reset();
  }
}

bool SyncWorld::Holds(int device, const log::EntryId& id) const {
  std::optional<std::pair<int, int>> found = entries_.Find(id);
  if (!found) return false;
  const std::optional<log::EntryId> held = devices_[device]->node().IdAt(
      entries_.feed().device(found->first), static_cast<uint64_t>(found->second) + 1);
  return held && *held == id;
}

std::vector<std::string> SyncWorld::Violations() const {
  std::vector<std::string> out = errors_;
  for (int d = 0; d < kModelDevices; ++d) {
    const Device& device = *devices_[d];
    const MemoryNode& node = device.node();
    const std::string name = DeviceName(d);
    // Nothing invalid, nothing twice: each feed is a prefix of its author's real chain.
    size_t in_chains = 0;
    for (int author = 0; author < kModelDevices; ++author) {
      const log::DeviceKey& key = entries_.feed().device(author);
      const uint64_t head = node.Head(key).seq;
      in_chains += head;
      const std::vector<log::Envelope>& chain = entries_.chain(author);
      for (uint64_t seq = 1; seq <= head; ++seq) {
        const std::optional<log::EntryId> id = node.IdAt(key, seq);
        if (seq > chain.size() || !id || *id != entries_.id(author, static_cast<int>(seq - 1))) {
          out.push_back(name + " stores " + (id ? entries_.Name(*id) : "?") + " at seq " +
                        std::to_string(seq) + " of " + DeviceName(author) + "'s feed");
        } else if (!device.verified && node.Get(*id) != chain[seq - 1]) {
          out.push_back(name + " stores altered bytes for " + entries_.Name(*id));
        }
      }
    }
    device.verified = true;
    if (node.entry_count() != in_chains) out.push_back(name + " stores a foreign feed");
    if (device.stored_total != node.entry_count()) {
      out.push_back(name + "'s store reported " + std::to_string(device.stored_total) +
                    " entries stored but holds " + std::to_string(node.entry_count()));
    }
    if (!node.forks().empty()) out.push_back(name + " recorded a fork");
  }
  for (const auto& [device, id] : acked_) {
    if (!Holds(device, id)) {
      out.push_back(DeviceName(device) + " lost " + entries_.Name(id) +
                    ", which it had acknowledged");
    }
  }
  // A connection with nothing in flight must have nothing owed either way.
  for (const auto& c : connections_) {
    if (!c || c->dead[0] || c->dead[1]) continue;
    if (!c->queue[0].empty() || !c->queue[1].empty()) continue;
    if (!c->stores[0].empty() || !c->stores[1].empty()) continue;
    const std::string a = DeviceName(c->node[0]), b = DeviceName(c->node[1]);
    for (int author = 0; author < kModelDevices; ++author) {
      const log::DeviceKey& key = entries_.feed().device(author);
      if (devices_[c->node[0]]->node().Head(key).seq !=
          devices_[c->node[1]]->node().Head(key).seq) {
        out.push_back("the session " + a + "-" + b + " is idle while one side lacks entries of " +
                      DeviceName(author) + "'s feed the other holds");
      }
    }
    for (int side = 0; side < 2; ++side) {
      const sync::SyncSession& s = *c->session[side];
      if (!s.initial_sync_done() || s.entries_behind() != 0) {
        out.push_back("the session " + a + "-" + b + " is idle but " + DeviceName(c->node[side]) +
                      "'s side is not done (behind " + std::to_string(s.entries_behind()) + ")");
      }
    }
  }
  return out;
}

bool SyncWorld::Quiet() const {
  const std::vector<Event> enabled = Enabled();
  return std::none_of(enabled.begin(), enabled.end(),
                      [](const Event& e) { return e.IsProgress(); });
}

std::vector<std::string> SyncWorld::QuietViolations() const {
  std::vector<std::string> out;
  const size_t total = static_cast<size_t>(bound_.held_entries + bound_.written_entries);
  for (int d = 0; d < kModelDevices; ++d) {
    for (int author = 0; author < kModelDevices; ++author) {
      const uint64_t held = devices_[d]->node().Head(entries_.feed().device(author)).seq;
      if (held != total) {
        out.push_back("the run ended with " + DeviceName(d) + " holding " + std::to_string(held) +
                      " of " + std::to_string(total) + " entries of " + DeviceName(author) +
                      "'s feed");
      }
    }
  }
  return out;
}

std::string SyncWorld::Key() const {
  std::string key;
  // Stores by their heads: Violations() already holds every feed to a prefix of its chain.
  PutU32(key, static_cast<uint32_t>(faults_used_));
  PutU32(key, static_cast<uint32_t>(delays_used_));
  if (bound_.max_preemptions >= 0) {
    PutU32(key, static_cast<uint32_t>(preemptions_));
    PutU32(key, static_cast<uint32_t>(last_component_ + 1));
  }
  for (int d = 0; d < kModelDevices; ++d) {
    PutU32(key, static_cast<uint32_t>(devices_[d]->written));
    for (int author = 0; author < kModelDevices; ++author) {
      PutU32(key,
             static_cast<uint32_t>(devices_[d]->node().Head(entries_.feed().device(author)).seq));
    }
  }
  for (const auto& [device, id] : acked_) {
    const std::optional<std::pair<int, int>> found = entries_.Find(id);
    PutU32(key, static_cast<uint32_t>(device));
    PutU32(key, found ? static_cast<uint32_t>(found->first * 256 + found->second) : ~0u);
  }
  for (const auto& c : connections_) {
    key.push_back('#');
    if (!c) continue;
    PutU32(key, static_cast<uint32_t>(c->node[0]));
    key.push_back(c->faulted ? 'f' : '-');
    for (int side = 0; side < 2; ++side) {
      key.push_back(c->dead[side] ? 'x' : '-');
      key.push_back('q');
      for (const Connection::Message& m : c->queue[side]) PutU32(key, m.id);
      key.push_back('s');
      for (const sync::StoreBatch& b : c->stores[side])
        PutU32(key, static_cast<uint32_t>(b.batch_id));
      key.push_back('o');
      for (uint32_t m : c->sent_history[side]) PutU32(key, m);
      key.push_back('i');
      for (uint32_t m : c->received_history[side]) PutU32(key, m);
      PutU32(key, c->stores_reported[side]);
      const sync::SyncSession& s = *c->session[side];
      key.push_back(s.initial_sync_done() ? 'D' : '-');
      PutU32(key, static_cast<uint32_t>(s.entries_behind()));
      PutU32(key, static_cast<uint32_t>(s.entries_received()));
    }
  }
  return key;
}

// DescribeMessage, Describe, DescribeStores: sync_model_trace.cc.

}  // namespace accord::model
