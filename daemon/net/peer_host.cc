// PeerManager as the sync sessions' host (SyncHost: signature checks on the verify pool,
// storing, repairs, fork proofs, peer heads) and as the node's change listener (what a
// change of the log means for the sessions: push, repair requests, fork proofs passed on).
// Dialing, accepting and the sessions' lifecycle are in peer_manager.cc.
#include "daemon/logging.h"
#include "daemon/net/node_source.h"
#include "daemon/net/peer_manager.h"

namespace accord::daemon {

void PeerManager::VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                                     VerdictsDone done) {
  auto verify = [entries = std::move(entries)] {
    return log::VerifySignatures(*entries, log::SignatureThreads());
  };
  VerifyOnPool(std::move(verify), std::move(done));
}

void PeerManager::VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                                     std::shared_ptr<const std::vector<log::EntryHeader>> headers,
                                     VerdictsDone done) {
  auto verify = [entries = std::move(entries), headers = std::move(headers)] {
    return log::VerifySignatures(*entries, *headers, log::SignatureThreads());
  };
  VerifyOnPool(std::move(verify), std::move(done));
}

void PeerManager::VerifyOnPool(std::function<std::vector<log::SignatureVerdict>()> verify,
                               VerdictsDone done) {
  // Only `verify` (which owns nothing but immutable entries) crosses to the verification
  // thread; `done` (which may own a connection) goes there and back inside one handler and is
  // run and destroyed here.
  auto finish = std::make_shared<VerdictsDone>(std::move(done));
  asio::post(verify_pool_, [verify = std::move(verify), finish, io = io_.get_executor(),
                            alive = alive_]() mutable {
    std::vector<log::SignatureVerdict> verdicts = verify();
    asio::post(io, [finish = std::move(finish), verdicts = std::move(verdicts), alive]() mutable {
      if (*alive) (*finish)(std::move(verdicts));
    });
  });
}

void PeerManager::OnChange(const Node::ChangeNotice& notice) {
  switch (notice.kind) {
    case Node::ChangeNotice::Kind::kEntriesStored:
      OnLocalChange();
      return;
    case Node::ChangeNotice::Kind::kIntegrity:
      if (notice.integrity.kind == Node::IntegrityNotice::Kind::kDamaged) {
        OnRepairWanted();
      } else {
        OnRepairedEntries();
      }
      return;
    case Node::ChangeNotice::Kind::kForkProof:
      OnFork(notice.fork_existing, notice.fork_conflicting);
      return;
  }
}

void PeerManager::OnLocalChange() {
  if (push_scheduled_) return;
  push_scheduled_ = true;
  // Coalesced: a received batch of hundreds of entries pushes once.
  asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    push_scheduled_ = false;
    for (auto& [device, c] : established_) c->Push();
    WakeDialLoop();  // the entries may name a new device of the pact (a target to dial)
  });
}

void PeerManager::OnRepairWanted() {
  if (repair_scheduled_) return;
  repair_scheduled_ = true;
  // Posted: damage is often found in the middle of storing a batch from one of these peers.
  asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    repair_scheduled_ = false;
    for (auto& [device, c] : established_) c->AskForRepairs();
  });
}

void PeerManager::OnRepairedEntries() {
  asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    for (auto& [device, c] : established_) c->PushRepaired();
  });
}

void PeerManager::OnFork(const log::Envelope& existing, const log::Envelope& conflicting) {
  // Posted: the proof is often learned in the middle of storing a batch from one of these
  // peers, which hears of it once its batch is answered.
  asio::post(io_, [this, alive = alive_, existing, conflicting] {
    if (!*alive) return;
    Result<log::EntryHeader> header = log::DecodeHeader(conflicting.header);
    if (!header.ok()) return;
    for (auto& [device, c] : established_) {
      if (MayHaveFeed(node_, device, header->author)) c->PassOnFork(existing, conflicting);
    }
  });
}

std::optional<log::DeviceKey> PeerManager::DeviceForX25519(const crypto::DhPublicKey& key) {
  for (const state::Device& d : node_.PeerDevices())
    if (d.x25519 == key) return d.key;
  for (const auto& [device, x25519] : LivePins())
    if (x25519 == key) return device;
  return std::nullopt;
}

std::map<log::DeviceKey, crypto::DhPublicKey> PeerManager::LivePins() {
  // A pin stands in for a device until an entry names it; from then on the membership
  // decides, so a device removed, left or re-keyed since is not let back in by its pin.
  std::map<log::DeviceKey, crypto::DhPublicKey> out = book_.pinned();
  for (const state::Member& m : node_.Members())
    for (const state::Device& d : m.devices) out.erase(d.key);
  return out;
}

// Replays first: a replayed msg1 (anyone on the network can send one) must not spend the
// real device's tokens.
std::optional<log::DeviceKey> PeerManager::AdmitHandshake(const crypto::DhPublicKey& key,
                                                          const peer::Tai64n& t) {
  std::optional<log::DeviceKey> device = DeviceForX25519(key);
  if (!device) return std::nullopt;  // not a device of the pact
  if (!replay_guard_.Accept(key, t)) {
    LogWarning("sync: refused a replayed handshake");
    return std::nullopt;
  }
  if (!handshake_rate_.Allow(key, std::chrono::steady_clock::now())) {
    LogWarning("sync: a device is handshaking too often; ignoring it for now");
    return std::nullopt;
  }
  const int64_t sent_ms = peer::UnixNanosFromTai64n(t) / 1'000'000;
  if (sent_ms > 0) clock_skew_ms_[*device] = sent_ms - node_.NowMs();
  return device;
}

std::unique_ptr<sync::SyncSource> PeerManager::SourceFor(const log::DeviceKey& peer) {
  return std::make_unique<NodeSource>(node_, peer);
}

Result<size_t> PeerManager::StoreBatch(std::span<const log::Envelope> entries,
                                       std::span<const log::EntryHeader> headers,
                                       std::span<const log::SignatureVerdict> verdicts) {
  Result<Node::ReceiveReport> report = node_.Receive(entries, headers, verdicts);
  if (!report.ok()) return report.error();
  return report->stored;
}

Status PeerManager::KeepForkProof(const log::Envelope& existing, const log::Envelope& conflicting) {
  return node_.ReceiveForkProof(existing, conflicting);
}

Result<size_t> PeerManager::Repair(std::span<const log::Envelope> entries,
                                   const std::string& from) {
  return node_.Repair(entries, from);
}

void PeerManager::NotePeerHeads(const log::DeviceKey& peer,
                                const std::map<log::DeviceKey, log::FeedHead>& heads) {
  node_.NotePeerHeads(peer, heads);
}

Result<size_t> PeerManager::CheckSent(const log::DeviceKey& author, uint64_t first, uint64_t last) {
  return node_.CheckSent(author, first, last);
}

}  // namespace accord::daemon
