#include "tests/daemon/sync/sync_pair.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace accord::sync::testing {

SyncPair::SyncPair(MemoryNode& initiator, MemoryNode& responder) : nodes_{&initiator, &responder} {
  sessions_[kInitiator] = std::make_unique<SyncSession>(SyncSession::Role::kInitiator, initiator);
  sessions_[kResponder] = std::make_unique<SyncSession>(SyncSession::Role::kResponder, responder);
}

void SyncPair::Start() {
  Execute(kInitiator, sessions_[kInitiator]->Start());
  Execute(kResponder, sessions_[kResponder]->Start());
}

bool SyncPair::DeliverOne(int to) {
  std::optional<Bytes> message = transport_.Receive(to);
  if (!message) return false;
  Execute(to, sessions_[to]->OnMessage(*message));
  return true;
}

bool SyncPair::RunUntilQuiet(size_t max_steps) {
  for (size_t step = 0; step < max_steps; ++step) {
    const int to = static_cast<int>(step % 2);
    if (!DeliverOne(to) && !DeliverOne(1 - to) && !CommitOne(to) && !CommitOne(1 - to)) {
      return true;
    }
  }
  return transport_.Quiet();
}

void SyncPair::LocalChange(int side) { Execute(side, sessions_[side]->OnLocalChange()); }

void SyncPair::ForkDetected(int side, const log::Envelope& existing,
                            const log::Envelope& conflicting) {
  Execute(side, sessions_[side]->OnForkDetected(existing, conflicting));
}

void SyncPair::Inject(int to, ByteView plaintext) {
  Execute(to, sessions_[to]->OnMessage(plaintext));
}

size_t SyncPair::batches_sent(int side) const {
  return std::count_if(sent_[side].begin(), sent_[side].end(),
                       [](const PeerMsg& m) { return std::holds_alternative<BatchMsg>(m); });
}

bool SyncPair::CommitOne(int side) {
  if (waiting_stores_[side].empty()) return false;
  StoreBatch batch = std::move(waiting_stores_[side].front());
  waiting_stores_[side].erase(waiting_stores_[side].begin());
  Commit(side, batch);
  return true;
}

void SyncPair::Commit(int side, const StoreBatch& batch) {
  Result<MemoryNode::StoreReport> report = nodes_[side]->Store(batch.entries);
  if (report.ok()) {
    stored_[side] += report->stored;
    duplicates_[side] += report->duplicates;
  }
  Execute(side, sessions_[side]->OnBatchStored(
                    batch.batch_id, report.ok() ? Status::Ok() : Status(report.error())));
  if (!report.ok()) return;
  // As the edge does: a new fork proof goes to every session, new entries get pushed.
  for (const auto& [existing, conflicting] : report->forks) {
    ForkDetected(side, existing, conflicting);
  }
  if (report->stored > 0) LocalChange(side);
}

void SyncPair::RepairWanted(int side) { Execute(side, sessions_[side]->OnRepairWanted()); }
void SyncPair::Repaired(int side) { Execute(side, sessions_[side]->OnRepaired()); }

void SyncPair::Execute(int side, std::vector<Action> actions) {
  for (Action& action : actions) {
    if (!closes_[side].empty()) return;  // as daemon/net: nothing runs after a close
    if (auto* send = std::get_if<SendMessage>(&action)) {
      largest_[side] = std::max(largest_[side], send->plaintext.size());
      Result<PeerMsg> decoded = DecodePeerMessage(send->plaintext);
      if (!decoded.ok()) {  // the session must only send what a peer accepts
        ADD_FAILURE() << "side " << side << " sent an invalid message: " << decoded.error().message;
      } else {
        sent_[side].push_back(std::move(*decoded));
      }
      transport_.Send(side, std::move(send->plaintext));
    } else if (auto* store = std::get_if<StoreBatch>(&action)) {
      if (store_immediately_) {
        Commit(side, *store);
      } else {
        waiting_stores_[side].push_back(std::move(*store));
      }
    } else if (auto* fork = std::get_if<RecordFork>(&action)) {
      forks_[side].push_back(std::move(*fork));
    } else if (auto* close = std::get_if<CloseSession>(&action)) {
      closes_[side].push_back(close->reason);
    } else if (auto* progress = std::get_if<Progress>(&action)) {
      progress_[side].push_back(*progress);
    } else if (auto* repair = std::get_if<RepairEntries>(&action)) {
      repaired_[side] += nodes_[side]->Repair(repair->entries);
    }
  }
}

}  // namespace accord::sync::testing
