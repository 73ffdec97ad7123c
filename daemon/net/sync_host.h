// SyncHost: everything a SyncConnection asks of the daemon, and nothing more: its keys, the
// admission of a handshake, storing what the peer sent, and its own start and end. Calls go
// one way (connection -> host); the host drives connections only through their public
// methods. Daemon thread only. Implemented by PeerManager; dialing and pushing are not here.
#ifndef ACCORD_DAEMON_NET_SYNC_HOST_H_
#define ACCORD_DAEMON_NET_SYNC_HOST_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/dh.h"
#include "daemon/log/author.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/signatures.h"
#include "daemon/peer/tai64n.h"
#include "daemon/sync/session.h"

namespace accord::daemon {

class SyncConnection;

class SyncHost {
 public:
  virtual ~SyncHost() = default;

  // The handshake's keys: this device's Noise static key and the pact (the prologue).
  virtual const crypto::DhKeyPair& static_key() const = 0;
  virtual const log::PactId& pact() const = 0;
  // The device whose X25519 key began a handshake, if it may go on: a device of the pact,
  // within its rate, and not a replay. nullopt: the connection ends in silence.
  virtual std::optional<log::DeviceKey> AdmitHandshake(const crypto::DhPublicKey& key,
                                                       const peer::Tai64n& timestamp) = 0;

  // The handshake succeeded. False if another connection with the device wins: this one
  // closes without a word.
  virtual bool OnEstablished(const std::shared_ptr<SyncConnection>& connection) = 0;
  // The connection closed (called once, from Close). It may be released on the next turn.
  virtual void OnClosed(SyncConnection* connection) = 0;

  // This device's log as the peer device may see it.
  virtual std::unique_ptr<sync::SyncSource> SourceFor(const log::DeviceKey& peer) = 0;

  // Checks the signatures of `entries` off the daemon thread, then calls `done` with the
  // verdicts on the daemon thread (unless the host stopped first). `entries` must not change
  // meanwhile; `done` never runs on the verification thread.
  using VerdictsDone = std::function<void(std::vector<log::SignatureVerdict>)>;
  virtual void VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                                  VerdictsDone done) = 0;
  // The same with the headers the wire decoded, so they are not decoded again. REQUIRES:
  // (*headers)[i] is DecodeHeader((*entries)[i].header); neither changes meanwhile.
  virtual void VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                                  std::shared_ptr<const std::vector<log::EntryHeader>> headers,
                                  VerdictsDone done) = 0;
  // Validates and stores a received batch (all or nothing), with its verdicts checked ahead
  // and its headers decoded by the wire (headers[i] is DecodeHeader(entries[i].header)).
  // Returns how many entries were new. Every connection hears of them through the host.
  virtual Result<size_t> StoreBatch(std::span<const log::Envelope> entries,
                                    std::span<const log::EntryHeader> headers,
                                    std::span<const log::SignatureVerdict> verdicts) = 0;
  // Keeps a fork proof the peer relayed; an error if it proves nothing.
  virtual Status KeepForkProof(const log::Envelope& existing, const log::Envelope& conflicting) = 0;
  // Keeps the intact copies among `entries` of entries held damaged; how many were repaired.
  virtual Result<size_t> Repair(std::span<const log::Envelope> entries,
                                const std::string& from) = 0;
  // The peer's Hello: how much of each feed it holds.
  virtual void NotePeerHeads(const log::DeviceKey& peer,
                             const std::map<log::DeviceKey, log::FeedHead>& heads) = 0;
  // The peer refused entries [first, last] of `author`: checks them whole here; how many
  // were damaged.
  virtual Result<size_t> CheckSent(const log::DeviceKey& author, uint64_t first, uint64_t last) = 0;
  // How far this session's catch-up from the connection's device has come: `received`
  // entries stored, `total` that plus what the peer still announces. Called when the peer
  // announces more and after each stored batch.
  virtual void NoteReceiving(const SyncConnection& connection, uint64_t received,
                             uint64_t total) = 0;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_SYNC_HOST_H_
