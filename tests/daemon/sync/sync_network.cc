#include "tests/daemon/sync/sync_network.h"

#include <algorithm>
#include <utility>

#include "daemon/sync/wire.h"

namespace accord::sync::testing {

SyncNetwork::SyncNetwork(const log::PactId& pact, const log::KeyRing& keys,
                         const std::vector<log::DeviceKey>& devices,
                         const std::vector<std::vector<log::Envelope>>& chains,
                         std::mt19937_64& rng)
    : pact_(pact), keys_(keys), chains_(chains), rng_(rng) {
  for (size_t i = 0; i < chains.size(); ++i) {
    nodes_.push_back(std::make_unique<MemoryNode>(pact_, keys_, devices));
  }
}

void SyncNetwork::Preload(int node, int author, size_t count) {
  for (size_t i = 0; i < count; ++i) nodes_[node]->Append(chains_[author][i]);
}

bool SyncNetwork::Connected(int a, int b) const {
  return std::any_of(connections_.begin(), connections_.end(), [&](const auto& c) {
    return (c->node[0] == a && c->node[1] == b) || (c->node[0] == b && c->node[1] == a);
  });
}

void SyncNetwork::Connect(int initiator, int responder) {
  ++stats_.connects;
  auto c = std::make_unique<Connection>();
  c->node = {initiator, responder};
  c->session[0] = std::make_unique<SyncSession>(SyncSession::Role::kInitiator, *nodes_[initiator]);
  c->session[1] = std::make_unique<SyncSession>(SyncSession::Role::kResponder, *nodes_[responder]);
  Connection& ref = *c;
  connections_.push_back(std::move(c));
  Execute(ref, 0, ref.session[0]->Start());
  Execute(ref, 1, ref.session[1]->Start());
}

// Messages in flight and batches not yet stored are lost, as with a broken TCP connection.
void SyncNetwork::Drop(size_t index) {
  ++stats_.drops;
  connections_.erase(connections_.begin() + static_cast<std::ptrdiff_t>(index));
}

void SyncNetwork::Restart(int node) {
  ++stats_.restarts;
  std::erase_if(connections_,
                [&](const auto& c) { return c->node[0] == node || c->node[1] == node; });
}

void SyncNetwork::Write(int node) {
  const log::DeviceKey self = log::DecodeHeader(chains_[node][0].header)->author;
  const uint64_t head = nodes_[node]->Head(self).seq;
  if (head >= chains_[node].size()) return;
  ++stats_.writes;
  nodes_[node]->Append(chains_[node][head]);
  for (auto& c : connections_) {
    for (int side = 0; side < 2; ++side) {
      if (c->node[side] == node) Execute(*c, side, c->session[side]->OnLocalChange());
    }
  }
}

bool SyncNetwork::DeliverOne(Connection& c, int to) {
  std::optional<Bytes> message = c.transport.Receive(to);
  if (!message) return false;
  ObserveDelivered(c, to, *message);
  Execute(c, to, c.session[to]->OnMessage(*message));
  return true;
}

bool SyncNetwork::CommitOne(Connection& c, int side) {
  if (c.stores[side].empty()) return false;
  StoreBatch batch = std::move(c.stores[side].front());
  c.stores[side].pop_front();
  Commit(c, side, batch);
  return true;
}

void SyncNetwork::Execute(Connection& c, int side, std::vector<Action> actions) {
  for (Action& action : actions) {
    if (c.closed) return;
    if (auto* send = std::get_if<SendMessage>(&action)) {
      ObserveSent(c, side, send->plaintext);
      c.transport.Send(side, std::move(send->plaintext));
    } else if (auto* store = std::get_if<StoreBatch>(&action)) {
      if (store_immediately_) {
        Commit(c, side, *store);
      } else {
        c.stores[side].push_back(std::move(*store));
      }
    } else if (std::holds_alternative<RecordFork>(action)) {
      stats_.closes.push_back("a fork proof between honest nodes");
    } else if (auto* close = std::get_if<CloseSession>(&action)) {
      stats_.closes.push_back(close->reason);
      c.closed = true;
    }
  }
}

// The edge of daemon/net: store, report, then push to every session of this node.
void SyncNetwork::Commit(Connection& c, int side, const StoreBatch& batch) {
  const int node = c.node[side];
  Result<MemoryNode::StoreReport> report = nodes_[node]->Store(batch.entries);
  if (report.ok()) stats_.duplicates += report->duplicates;
  Execute(c, side,
          c.session[side]->OnBatchStored(batch.batch_id,
                                         report.ok() ? Status::Ok() : Status(report.error())));
  if (!report.ok() || report->stored == 0) return;
  for (auto& d : connections_) {
    for (int t = 0; t < 2; ++t) {
      if (d->node[t] == node && !d->closed) Execute(*d, t, d->session[t]->OnLocalChange());
    }
  }
}

void SyncNetwork::ObserveSent(Connection& c, int side, const Bytes& message) {
  ++stats_.messages;
  stats_.largest_message = std::max(stats_.largest_message, message.size());
  Result<PeerMsg> decoded = DecodePeerMessage(message);
  if (!decoded.ok()) {
    stats_.closes.push_back("sent an invalid message: " + decoded.error().message);
    return;
  }
  const auto* batch = std::get_if<BatchMsg>(&*decoded);
  if (batch == nullptr) return;
  Known& known = known_[{c.node[side], c.node[1 - side]}];
  std::map<log::DeviceKey, uint64_t>& record = c.batches[side][batch->batch_id];
  for (const log::EntryHeader& h : batch->headers) {
    if (h.seq <= known[h.author]) ++stats_.resent_known;
    record[h.author] = std::max(record[h.author], h.seq);
  }
}

void SyncNetwork::ObserveDelivered(Connection& c, int to, const Bytes& message) {
  Result<PeerMsg> decoded = DecodePeerMessage(message);
  if (!decoded.ok()) return;
  // `to` learns what the other side holds.
  Known& known = known_[{c.node[to], c.node[1 - to]}];
  auto learn = [&](const log::DeviceKey& author, uint64_t seq) {
    known[author] = std::max(known[author], seq);
  };
  if (const auto* hello = std::get_if<HelloMsg>(&*decoded)) {
    for (const auto& [author, head] : hello->heads) learn(author, head.seq);
  } else if (const auto* ack = std::get_if<AckMsg>(&*decoded)) {
    auto it = c.batches[to].find(ack->batch_id);
    if (it != c.batches[to].end()) {
      for (const auto& [author, seq] : it->second) learn(author, seq);
    }
  } else if (const auto* batch = std::get_if<BatchMsg>(&*decoded)) {
    for (const log::EntryHeader& h : batch->headers) learn(h.author, h.seq);
  }
}

void SyncNetwork::RemoveClosed() {
  std::erase_if(connections_, [](const auto& c) { return c->closed; });
}

void SyncNetwork::Step() {
  const int n = size();
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> any_node(0, n - 1);
  const int roll = percent(rng_);
  // Work to do: pending deliveries and stores, each (connection, side).
  std::vector<std::pair<Connection*, int>> deliveries, commits;
  for (auto& c : connections_) {
    for (int side = 0; side < 2; ++side) {
      if (c->transport.HasPending(side)) deliveries.emplace_back(c.get(), side);
      if (!c->stores[side].empty()) commits.emplace_back(c.get(), side);
    }
  }
  auto pick = [&](const auto& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng_)];
  };
  if (roll < 15 && !commits.empty()) {
    auto [c, side] = pick(commits);
    CommitOne(*c, side);
  } else if (roll < 27) {
    Write(any_node(rng_));
  } else if (roll < 39) {
    const int a = any_node(rng_);
    const int b = (a + 1 + std::uniform_int_distribution<int>(0, n - 2)(rng_)) % n;
    if (!Connected(a, b)) Connect(a, b);
  } else if (roll < 45 && !connections_.empty()) {
    Drop(std::uniform_int_distribution<size_t>(0, connections_.size() - 1)(rng_));
  } else if (roll < 47) {
    Restart(any_node(rng_));
  } else if (!deliveries.empty()) {
    auto [c, to] = pick(deliveries);
    DeliverOne(*c, to);
  }
  RemoveClosed();
}

bool SyncNetwork::Settle(size_t max_steps) {
  std::vector<std::pair<int, int>> pairs;
  for (int a = 0; a < size(); ++a) {
    for (int b = a + 1; b < size(); ++b) pairs.emplace_back(a, b);
  }
  std::shuffle(pairs.begin(), pairs.end(), rng_);
  for (auto [a, b] : pairs) {
    if (Connected(a, b)) continue;
    if (std::bernoulli_distribution(0.5)(rng_)) std::swap(a, b);
    Connect(a, b);
  }
  for (size_t step = 0; step < max_steps; ++step) {
    std::vector<std::pair<Connection*, int>> work;
    for (auto& c : connections_) {
      for (int side = 0; side < 2; ++side) {
        if (c->transport.HasPending(side)) work.emplace_back(c.get(), side);
        if (!c->stores[side].empty()) work.emplace_back(c.get(), side + 2);
      }
    }
    if (work.empty()) return true;
    auto [c, what] = work[std::uniform_int_distribution<size_t>(0, work.size() - 1)(rng_)];
    if (what < 2) {
      DeliverOne(*c, what);
    } else {
      CommitOne(*c, what - 2);
    }
    RemoveClosed();
  }
  return false;
}

std::vector<const SyncSession*> SyncNetwork::Sessions() const {
  std::vector<const SyncSession*> out;
  for (const auto& c : connections_) {
    out.push_back(c->session[0].get());
    out.push_back(c->session[1].get());
  }
  return out;
}

}  // namespace accord::sync::testing
