#include "daemon/net/sync_connection.h"

#include <chrono>

#include "accord/wire.pb.h"
#include "daemon/logging.h"
#include "daemon/peer/frames.h"
#include "daemon/peer/sync_handshake.h"
#include "daemon/peer/tai64n.h"
#include "daemon/sync/wire.h"

namespace accord::daemon {

static_assert(sync::kMaxPeerMessageBytes == peer::kMaxChannelPlaintext,
              "one sync message is one channel plaintext");

namespace {

int64_t UnixNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Short(const log::DeviceKey& key) { return ToHex(key).substr(0, 8); }

}  // namespace

SyncConnection::SyncConnection(SyncHost& host, asio::ip::tcp::socket socket,
                               std::optional<DialTarget> target,
                               std::shared_ptr<HandshakeSlots::Slot> handshake_slot)
    : host_(host),
      socket_(std::move(socket)),
      target_(std::move(target)),
      handshake_slot_(std::move(handshake_slot)),
      heartbeat_(socket_.socket().get_executor()) {
  if (target_) device_ = target_->device;
}

SyncConnection::~SyncConnection() = default;

void SyncConnection::Start() {
  asio::co_spawn(
      socket_.socket().get_executor(), [self = shared_from_this()] { return self->Run(); },
      [self = shared_from_this()](std::exception_ptr e) {
        if (e) LogError("sync connection ended by an unexpected exception");
        self->Close("ended");
      });
}

asio::awaitable<void> SyncConnection::Run() {
  socket_.ArmDeadline(kHandshakeTimeout);
  bool ok = target_ ? co_await HandshakeAsInitiator() : co_await HandshakeAsResponder();
  socket_.CancelDeadline();
  if (!ok) {
    handshake_slot_.reset();
    socket_.Close();  // silence: nothing is sent to a peer that failed the handshake
    co_return;
  }
  // A responder commits nothing until the initiator's first transport frame decrypts: a
  // replayed message 1 (the replay guard is in memory only) can then never take the slot.
  Bytes frame;
  std::optional<Bytes> first;
  if (!initiator()) {
    socket_.ArmDeadline(kHandshakeTimeout);
    bool got = co_await socket_.ReadFrame(frame, peer::kMinTransportFrameBytes);
    socket_.CancelDeadline();
    Result<Bytes> plaintext =
        got ? channel_->Open(frame) : Result<Bytes>(MakeError(ErrorCode::kUnavailable, ""));
    if (!plaintext.ok()) {
      handshake_slot_.reset();
      socket_.Close();
      co_return;
    }
    first = std::move(*plaintext);
  }
  handshake_slot_.reset();
  established_at_ = last_sent_ = std::chrono::steady_clock::now();
  if (!host_.OnEstablished(shared_from_this())) {
    socket_.Close();  // the other connection to this device wins
    co_return;
  }
  LogInfo("sync: connected with device " + Short(device_));
  source_ = host_.SourceFor(device_);
  session_ = std::make_unique<sync::SyncSession>(
      initiator() ? sync::SyncSession::Role::kInitiator : sync::SyncSession::Role::kResponder,
      *source_);
  asio::co_spawn(
      heartbeat_.get_executor(), [self = shared_from_this()] { return self->Heartbeat(); },
      asio::detached);
  Execute(session_->Start());
  if (first) Execute(session_->OnMessage(*first));

  while (!closed_) {
    socket_.ArmDeadline(kIdleTimeout);  // the peer's keepalives keep a quiet session open
    if (!co_await socket_.ReadFrame(frame, peer::kMinTransportFrameBytes)) break;
    Result<Bytes> plaintext = channel_->Open(frame);
    if (!plaintext.ok()) {
      LogWarning("sync: a frame from device " + Short(device_) + " failed to decrypt; closing");
      break;
    }
    Execute(session_->OnMessage(*plaintext));
  }
  Close("connection ended");
}

// Keepalives while quiet, and the end of the session's lifetime. It sleeps until the next
// of the two is due (a quiet session wakes once per keepalive, not on a tick); a frame sent
// meanwhile moves the keepalive later, which the next turn sees and sleeps on.
asio::awaitable<void> SyncConnection::Heartbeat() {
  const auto lifetime = initiator()
                            ? std::chrono::duration_cast<std::chrono::seconds>(kSessionLifetime)
                            : std::chrono::duration_cast<std::chrono::seconds>(kResponderLifetime);
  std::error_code ec;
  // When a frame last went out, or a keepalive was last tried: one Send could not seal
  // counts too, or this loop would spin.
  auto quiet_since = established_at_;
  while (!closed_) {
    quiet_since = std::max(quiet_since, last_sent_);
    heartbeat_.expires_at(std::min(quiet_since + kKeepaliveInterval, established_at_ + lifetime));
    co_await heartbeat_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (closed_) break;
    const auto now = std::chrono::steady_clock::now();
    if (now - established_at_ >= lifetime) {
      Close("session lifetime reached");
      break;
    }
    quiet_since = std::max(quiet_since, last_sent_);
    if (now - quiet_since >= kKeepaliveInterval) {
      quiet_since = now;
      Send(sync::EncodeKeepalive());
    }
  }
}

asio::awaitable<bool> SyncConnection::HandshakeAsInitiator() {
  Result<peer::SyncInitiator> hs =
      peer::SyncInitiator::Create(host_.static_key(), target_->x25519, host_.pact());
  if (!hs.ok()) co_return false;
  Result<Bytes> message1 = hs->WriteMessage1(peer::Tai64nFromUnixNanos(UnixNanos()));
  if (!message1.ok()) co_return false;
  Bytes first = {kConnectionSync};
  AppendBytes(first, peer::EncodeFrame(*message1));
  socket_.Send(std::move(first));
  Bytes message2;
  if (!co_await socket_.ReadFrame(message2, 1)) co_return false;
  Result<crypto::noise::TransportSession> transport = hs->ReadMessage2(message2);
  if (!transport.ok()) co_return false;
  channel_ = std::make_unique<peer::SecureChannel>(std::move(*transport));
  co_return true;
}

asio::awaitable<bool> SyncConnection::HandshakeAsResponder() {
  Bytes message1;
  if (!co_await socket_.ReadFrame(message1, 1)) co_return false;
  Result<peer::SyncResponder> hs = peer::SyncResponder::Create(host_.static_key(), host_.pact());
  if (!hs.ok()) co_return false;
  Result<peer::SyncResponder::Message1> m1 = hs->ReadMessage1(message1);
  if (!m1.ok()) co_return false;  // a stranger, or not made for our key: silence
  // Not a device of the pact, too often, or a replay: silence.
  std::optional<log::DeviceKey> device = host_.AdmitHandshake(m1->initiator, m1->timestamp);
  if (!device) co_return false;
  if (handshake_slot_) handshake_slot_->MarkProven();  // a newcomer can no longer evict it
  Result<std::pair<Bytes, crypto::noise::TransportSession>> m2 = hs->WriteMessage2();
  if (!m2.ok()) co_return false;
  socket_.Send(peer::EncodeFrame(m2->first));
  device_ = *device;
  channel_ = std::make_unique<peer::SecureChannel>(std::move(m2->second));
  co_return true;
}

void SyncConnection::Send(const Bytes& plaintext) {
  if (!channel_ || channel_->dead()) return;
  Result<Bytes> frame = channel_->Seal(plaintext);
  if (!frame.ok()) {
    Close("cannot seal a frame");
    return;
  }
  socket_.Send(std::move(*frame));
  last_sent_ = std::chrono::steady_clock::now();
}

void SyncConnection::Execute(std::vector<sync::Action> actions) {
  for (sync::Action& action : actions) {
    if (closed_) return;
    if (auto* send = std::get_if<sync::SendMessage>(&action)) {
      Send(send->plaintext);
    } else if (auto* store = std::get_if<sync::StoreBatch>(&action)) {
      QueueBatch(std::move(*store));
    } else if (auto* fork = std::get_if<sync::RecordFork>(&action)) {
      // One that is new here reaches every connection through the host.
      if (!host_.KeepForkProof(fork->existing, fork->conflicting).ok()) {
        LogWarning("sync: bad fork proof from device " + Short(device_));
      }
    } else if (auto* close = std::get_if<sync::CloseSession>(&action)) {
      if (close->reason.starts_with("peer closed")) CheckUnacked();
      Close(close->reason);
    } else if (auto* progress = std::get_if<sync::Progress>(&action)) {
      receiving_total_ = progress->received + progress->behind;
      host_.NoteReceiving(*this, received_, receiving_total_);
    } else if (auto* repair = std::get_if<sync::RepairEntries>(&action)) {
      Result<size_t> repaired = host_.Repair(repair->entries, "device " + Short(device_));
      if (!repaired.ok()) {
        LogWarning("sync: cannot keep repaired entries from device " + Short(device_) + ": " +
                   repaired.error().message);
      }
    } else if (auto* heads = std::get_if<sync::PeerHeads>(&action)) {
      host_.NotePeerHeads(device_, heads->heads);
    }
  }
}

void SyncConnection::QueueBatch(sync::StoreBatch batch) {
  if (pending_.empty() && batch.entries.size() < log::kMinParallelSignatures) {
    Store(batch.batch_id, batch.entries, batch.headers,
          log::VerifySignatures(batch.entries, batch.headers, 1));
    return;
  }
  auto entries = std::make_shared<const std::vector<log::Envelope>>(std::move(batch.entries));
  auto headers = std::make_shared<const std::vector<log::EntryHeader>>(std::move(batch.headers));
  pending_.push_back(PendingBatch{batch.batch_id, entries, headers, std::nullopt});
  host_.VerifyInBackground(entries, headers,
                           [self = shared_from_this(),
                            id = batch.batch_id](std::vector<log::SignatureVerdict> verdicts) {
                             self->OnVerified(id, std::move(verdicts));
                           });
}

void SyncConnection::OnVerified(uint64_t batch_id, std::vector<log::SignatureVerdict> verdicts) {
  if (closed_) return;
  for (PendingBatch& p : pending_) {
    if (p.id == batch_id && !p.verdicts) {
      p.verdicts = std::move(verdicts);
      break;
    }
  }
  StoreReady();
}

// Stores every checked batch at the front of the queue, in order.
void SyncConnection::StoreReady() {
  if (storing_) return;
  storing_ = true;
  while (!closed_ && !pending_.empty() && pending_.front().verdicts) {
    PendingBatch next = std::move(pending_.front());
    pending_.pop_front();
    Store(next.id, *next.entries, *next.headers, *next.verdicts);
  }
  storing_ = false;
}

void SyncConnection::Store(uint64_t batch_id, std::span<const log::Envelope> entries,
                           std::span<const log::EntryHeader> headers,
                           std::span<const log::SignatureVerdict> verdicts) {
  // What was new (and any fork it revealed) reaches every connection through the host.
  Result<size_t> stored = host_.StoreBatch(entries, headers, verdicts);
  if (!stored.ok()) {
    LogWarning("sync: rejected a batch from device " + Short(device_) + ": " +
               stored.error().message);
  } else {
    // Counted as the session counts what it announced (every entry of the batch, already
    // held or new), so a catch-up reaches its total even when some entries were not new.
    received_ += entries.size();
    host_.NoteReceiving(*this, received_, receiving_total_);
  }
  Execute(session_->OnBatchStored(batch_id, stored.ok() ? Status::Ok() : Status(stored.error())));
}

void SyncConnection::PassOnFork(const log::Envelope& existing, const log::Envelope& conflicting) {
  if (established()) Execute(session_->OnForkDetected(existing, conflicting));
}

// The peer ended the session with batches of ours unacknowledged: it may have refused one
// for an entry whose stored bytes went bad here. Checking just those entries finds it, and
// the next session sends around it (a damaged header is never sent) instead of again.
void SyncConnection::CheckUnacked() {
  for (const auto& [author, range] : session_->Unacked()) {
    Result<size_t> damaged = host_.CheckSent(author, range.first, range.second);
    if (damaged.ok() && *damaged > 0) {
      LogWarning("sync: device " + Short(device_) + " refused our entries; " +
                 std::to_string(*damaged) + " of them are damaged here");
    }
  }
}

void SyncConnection::AskForRepairs() {
  if (established()) Execute(session_->OnRepairWanted());
}

void SyncConnection::PushRepaired() {
  if (established()) Execute(session_->OnRepaired());
}

void SyncConnection::Push() {
  if (established()) Execute(session_->OnLocalChange());
}

void SyncConnection::Close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  if (channel_ && !channel_->dead() && session_) {
    proto::PeerMessage bye;
    bye.mutable_close()->set_reason(reason);
    std::string bytes = bye.SerializeAsString();
    Send(Bytes(bytes.begin(), bytes.end()));
  }
  heartbeat_.cancel();
  handshake_slot_.reset();
  socket_.CloseAfterWrites();
  host_.OnClosed(this);
  LogDebug("sync: closed (" + reason + ")");
}

}  // namespace accord::daemon
