// Power loss on the node's write paths (issue 15): the real Node over a real store, its
// SQLite files behind the power-loss VFS (tests/support/power_loss_vfs.h), the power cut
// before every I/O event of the workload below (and after the last), each surviving disk
// (synced only; every write in order; either with the cut write torn) rebooted through
// Node::Open. The workload: open, init, two needs, pairing (MemberAdded; Bob is sent the
// feed), Bob's batch received, a reflection on the private chain and its Forget (EraseBody),
// a peer record, a restart with one of Bob's entries damaged on disk meanwhile and repaired
// from his copy (ReplaceEntryBytes), a need and an appreciation, sent to Bob again.
//
// The fsync points of the write path (open.cc: journal_mode=WAL, synchronous=FULL), as the
// counting run records them (ACCORD_POWER_LOSS_TRACE=1 prints them):
//   1. the first open: `PRAGMA journal_mode=WAL` on the empty file commits the header through
//      a rollback journal: fsync journal, fsync dir (the journal's and database's names),
//      fsync journal, fsync database; the journal is deleted without a dir fsync (it may come
//      back, harmlessly: the WAL's first fsync below syncs the directory).
//   2. the first write of a new WAL (each open after a clean close): its header, fsync WAL,
//      fsync dir (the WAL's name).
//   3. every commit, one fsync of the WAL after its frames: the migrations; Init's rows (pact,
//      sealed profile, wrapped keys, device key); each own entry (Store::AppendOwn, the
//      entry's seq taken by log::Author just before); each received batch (AppendBatch);
//      EraseBody; RememberPeer; ReplaceEntryBytes (repair). An own entry is durable when
//      AppendOwn returns, and only then does Node tell the change listeners that send it
//      (Node::WriteSealed); the heads a peer is told (Store::Heads) move after the COMMIT.
//   4. a checkpoint (EraseBody's wal_checkpoint(TRUNCATE), the last close, and Store::Open
//      when bodies were erased): fsync WAL, pages into the database, fsync database; then
//      the WAL is truncated (not synced: the next commit's header fsync covers it) or, at
//      close, deleted (not dir-synced).
//   5. outside SQLite: the key file (crypto::WriteKeyFile: temp file, fsync, rename, fsync
//      dir), written by Init after the store's rows it belongs to; not seen by the VFS.
//
// Checked after every reboot: the store opens through the normal path; integrity_check is
// ok; every entry the workload was told was stored (own writes, received batches) is there
// byte for byte; each author's chain is contiguous and linked; no damage is reported but the
// one the workload made (and that one is reported until its repair is acknowledged); nothing
// of the own feeds that was ever visible (store heads, held by the peer) is missing, and the
// next own entries get seqs past all of it; a forgotten body stays erased, in the files too.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "base/paths.h"
#include "crypto/private_file.h"
#include "daemon/node/clock.h"
#include "daemon/node/node.h"
#include "tests/support/power_loss_run.h"
#include "tests/support/temp_dir.h"

namespace accord::daemon {
namespace {

namespace fs = std::filesystem;

class PowerLossClock final : public Clock {
 public:
  int64_t NowMs() const override { return 1'780'000'000'000; }
};

// What the world outside the device's disk was told during one run.
struct Told {
  bool init_done = false;
  log::DeviceKey device{};
  log::DeviceKey chain{};
  log::PactId pact{};
  log::DeviceKey peer{};
  std::map<log::EntryId, log::Envelope> stored;  // every entry held after a step that returned ok
  std::map<log::DeviceKey, uint64_t> highest;    // own feed -> highest seq ever visible
  std::optional<log::EntryId> forget_target;     // a Forget of it was asked
  bool forgotten = false;                        // ... and returned ok
  bool peer_remembered = false;
  std::optional<log::EntryId> damaged;  // a stored copy the workload damaged on purpose
  Bytes damaged_body;                   // ... its body as damaged
  bool repaired = false;                // Repair put the intact copy back and returned ok
};

template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.ok() ? Status::Ok() : Status(result.error());
}

InstancePaths HomeAt(const fs::path& dir) {
  Result<InstancePaths> paths = ResolveInstancePaths(dir.string());
  EXPECT_TRUE(paths.ok());
  return *paths;
}

Result<std::unique_ptr<Node>> OpenHome(const InstancePaths& paths, const Clock& clock) {
  ACCORD_RETURN_IF_ERROR(crypto::EnsurePrivateDir(paths.data_dir));
  return Node::Open(paths, clock);
}

// Alice's device under the power cut, Bob's (another machine) not.
class PowerLossWorkload {
 public:
  explicit PowerLossWorkload(Told& told) : told_(told) {}

  void Run(const fs::path& dir) {
    told_ = Told();
    bob_dir_ = dir.parent_path() / "bob";
    fs::remove_all(bob_dir_);
    alice_paths_ = HomeAt(dir / "alice");
    (void)Steps();
    alice_.reset();
    bob_.reset();
  }

 private:
  // Stops at the first failure: after the cut every I/O of Alice's fails.
  bool Steps() {
    if (!Reopen()) return false;
    if (!Step(StatusOf(alice_->Init("Alice", "laptop")))) return false;
    told_.init_done = true;
    told_.device = alice_->device_key();
    told_.chain = alice_->private_chain_key();
    told_.pact = alice_->pact();
    for (int i = 0; i < 2; ++i) {
      if (!Step(StatusOf(alice_->Write(state::NeedAdded{"need " + std::to_string(i)})))) {
        return false;
      }
    }
    // Pairing: Alice's MemberAdded, Bob joins and is sent Alice's feed.
    Result<std::unique_ptr<Node>> bob = OpenHome(HomeAt(bob_dir_), clock_);
    if (!bob.ok() || !(*bob)->Init("Bob", "phone").ok()) return Broken("bob's init");
    bob_ = std::move(*bob);
    told_.peer = bob_->device_key();
    if (!Step(StatusOf(
            alice_->AddMember(bob_->device_key(), bob_->identity().dh.public_key(), "Bob")))) {
      return false;
    }
    if (!bob_->JoinPact(alice_->pact(), alice_->EpochKeysForPartner()).ok()) {
      return Broken("bob's join");
    }
    bob_->TrustDevice(alice_->device_key());
    if (!SendAliceToBob()) return false;
    // The receive path: Bob writes, Alice ingests his batch.
    for (int i = 0; i < 2; ++i) {
      if (!bob_->Write(state::NeedAdded{"bob " + std::to_string(i)}).ok()) return Broken("bob");
    }
    Result<std::vector<log::Envelope>> bobs = bob_->store().ReadRange(bob_->device_key(), 1, 100);
    if (!bobs.ok()) return Broken("bob's feed");
    if (!Step(StatusOf(alice_->Receive(*bobs)))) return false;
    // The private chain, and a forget (EraseBody: commit, then checkpoint and truncate).
    Result<log::EntryId> reflection =
        alice_->Write(state::Reflected{"a private thought", std::nullopt});
    if (!Step(StatusOf(reflection))) return false;
    told_.forget_target = *reflection;
    if (!Step(StatusOf(alice_->Forget(*reflection)))) return false;
    told_.forgotten = true;
    // A peer record.
    const std::string sealed = alice_->SealLocal("peer-address", "192.0.2.7:7777");
    if (!Step(alice_->RememberPeer(bob_->device_key(), sealed, clock_.NowMs()))) return false;
    told_.peer_remembered = true;
    // A restart (the last close checkpoints and deletes the WAL), with one of Bob's entries
    // damaged while Alice is down (a second connection, as a failing disk or another program
    // would), found by the open and repaired from Bob's copy (ReplaceEntryBytes).
    alice_.reset();
    if (!Damage(bobs->front())) return false;
    if (!Reopen()) return false;
    Result<size_t> repaired = alice_->Repair(*bobs, "bob");
    if (!Step(StatusOf(repaired))) return false;
    if (*repaired != 1) return Broken("alice's repair");
    told_.repaired = true;
    if (!Step(StatusOf(alice_->Write(state::NeedAdded{"after restart"})))) return false;
    if (!Step(StatusOf(alice_->Write(state::Appreciated{"thanks"})))) return false;
    return SendAliceToBob();
  }

  // Flips a byte of the stored body of `entry` in Alice's database.
  bool Damage(const log::Envelope& entry) {
    told_.damaged = log::ComputeEntryId(entry.header);
    told_.damaged_body = entry.sealed_body;
    told_.damaged_body[0] ^= 0x01;
    sqlite3* db = nullptr;
    bool ok = sqlite3_open_v2(alice_paths_.database.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) ==
              SQLITE_OK;
    sqlite3_stmt* stmt = nullptr;
    ok = ok && sqlite3_prepare_v2(db, "UPDATE entries SET sealed_body = ? WHERE entry_id = ?", -1,
                                  &stmt, nullptr) == SQLITE_OK;
    ok = ok &&
         sqlite3_bind_blob(stmt, 1, told_.damaged_body.data(),
                           static_cast<int>(told_.damaged_body.size()),
                           SQLITE_TRANSIENT) == SQLITE_OK &&
         sqlite3_bind_blob(stmt, 2, told_.damaged->data(), static_cast<int>(told_.damaged->size()),
                           SQLITE_TRANSIENT) == SQLITE_OK &&
         sqlite3_step(stmt) == SQLITE_DONE;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return ok;
  }

  bool Reopen() {
    Result<std::unique_ptr<Node>> node = OpenHome(alice_paths_, clock_);
    if (!node.ok()) return false;
    alice_ = std::move(*node);
    return Step(Status::Ok());
  }

  // What Bob is sent is what he holds of Alice's feed from then on: visible to the world.
  bool SendAliceToBob() {
    Result<std::vector<log::Envelope>> feed =
        alice_->store().ReadRange(alice_->device_key(), 1, 1000);
    if (!feed.ok()) return false;
    if (!bob_->Receive(*feed).ok()) return Broken("bob's receive");
    uint64_t& highest = told_.highest[alice_->device_key()];
    highest = std::max(highest, bob_->store().Head(alice_->device_key()).seq);
    return true;
  }

  // After each of Alice's steps: what her store lets be seen (heads) may have been sent, and
  // after a step that returned ok everything stored is durable.
  bool Step(const Status& status) {
    if (alice_ && alice_->has_identity()) {
      for (const log::DeviceKey& own : {alice_->device_key(), alice_->private_chain_key()}) {
        uint64_t& highest = told_.highest[own];
        highest = std::max(highest, alice_->store().Head(own).seq);
      }
    }
    if (!status.ok()) return false;
    Status walked = alice_->store().ForEachEntry([&](const store::StoredEntry& e) {
      told_.stored.emplace(e.id, e.envelope);  // as first stored (before erasing, damage)
      return Status::Ok();
    });
    return walked.ok();
  }

  bool Broken(const char* what) {
    ADD_FAILURE() << "the workload's peer failed: " << what;
    return false;
  }

  Told& told_;
  PowerLossClock clock_;
  fs::path bob_dir_;
  InstancePaths alice_paths_;
  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> bob_;
};

std::string IntegrityCheck(const fs::path& database) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (!result.empty()) result += "; ";
      result += text ? reinterpret_cast<const char*>(text) : "";
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

// True if any file under `dir` holds `needle`'s first 32 bytes.
bool DiskHolds(const fs::path& dir, const Bytes& needle) {
  constexpr size_t kProbeBytes = 32;  // bytes of ciphertext that cannot be there by chance
  if (needle.size() < kProbeBytes) return false;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
    if (std::search(begin, begin + bytes.size(), needle.begin(), needle.begin() + kProbeBytes) !=
        begin + bytes.size()) {
      return true;
    }
  }
  return false;
}

void CheckChains(const store::Store& store) {
  for (const auto& [author, head] : store.Heads()) {
    Result<std::vector<log::Envelope>> feed = store.ReadRange(author, 1, head.seq + 1);
    ASSERT_TRUE(feed.ok()) << feed.error().message;
    ASSERT_EQ(feed->size(), head.seq) << "a feed has a gap";
    log::EntryId prev{};
    for (size_t i = 0; i < feed->size(); ++i) {
      Result<log::EntryHeader> h = log::DecodeHeader((*feed)[i].header);
      ASSERT_TRUE(h.ok()) << h.error().message;
      EXPECT_EQ(h->seq, i + 1);
      EXPECT_EQ(h->prev, prev) << "seq " << h->seq << " does not link to the one before";
      prev = log::ComputeEntryId((*feed)[i].header);
    }
    EXPECT_EQ(prev, head.id);
  }
}

void CheckAfterReboot(const fs::path& dir, const Told& told) {
  const InstancePaths paths = HomeAt(dir / "alice");
  PowerLossClock clock;
  Result<std::unique_ptr<Node>> opened = OpenHome(paths, clock);
  ASSERT_TRUE(opened.ok()) << "the store does not open after the power loss: "
                           << opened.error().message;
  Node& node = **opened;
  EXPECT_EQ(IntegrityCheck(paths.database), "ok");
  if (told.init_done) {
    ASSERT_TRUE(node.has_identity());
    EXPECT_EQ(node.device_key(), told.device);
    EXPECT_EQ(node.pact(), told.pact);
  }
  for (const auto& [id, envelope] : told.stored) {
    Result<log::Envelope> held = node.store().GetEnvelope(id);
    if (held.ok() && told.damaged == id && held->sealed_body == told.damaged_body) {
      // Damaged before the cut and not (durably) repaired: the open must say so.
      EXPECT_FALSE(told.repaired) << "a repair acknowledged as done was lost";
      EXPECT_EQ(node.Damaged().count(id), 1u) << "the damaged copy is not reported";
      continue;
    }
    ASSERT_TRUE(held.ok()) << "an entry acknowledged as stored is gone: " << ToHex(id);
    EXPECT_EQ(held->header, envelope.header);
    EXPECT_EQ(held->signature, envelope.signature);
    const bool may_be_erased = told.forget_target == id;  // a stored Forgot erases it at open
    if (held->sealed_body != envelope.sealed_body) {
      EXPECT_TRUE(may_be_erased && held->sealed_body.empty()) << "body changed: " << ToHex(id);
    }
    if (may_be_erased && (told.forgotten || held->sealed_body.empty())) {
      EXPECT_TRUE(held->sealed_body.empty()) << "a forgotten body came back";
      // Open erased what a stored Forgot names; nothing of it may stay in the files.
      EXPECT_FALSE(DiskHolds(dir / "alice", envelope.sealed_body))
          << "a forgotten body is still on the disk after the reboot";
    }
  }
  CheckChains(node.store());
  for (const auto& [id, damage] : node.Damaged()) {
    EXPECT_EQ(told.damaged, id) << "damage no one made: " << log::DamageName(damage.damage);
  }
  if (told.peer_remembered) {
    Result<std::vector<store::Store::PeerRow>> peers = node.store().Peers();
    ASSERT_TRUE(peers.ok());
    EXPECT_TRUE(std::any_of(peers->begin(), peers->end(),
                            [&](const auto& p) { return p.device == told.peer; }));
  }
  if (!node.has_identity()) {
    EXPECT_EQ(node.EntryCount(), 0u);
    return;
  }
  // No seq is used twice: the next own entries come after all that was ever visible.
  for (const auto& [own, highest] : told.highest) {
    EXPECT_GE(node.store().Head(own).seq, highest) << "a visible own entry was lost";
  }
  const auto highest_of = [&](const log::DeviceKey& own) {
    auto it = told.highest.find(own);
    return it == told.highest.end() ? 0 : it->second;
  };
  Result<log::EntryId> need = node.Write(state::NeedAdded{"after the power loss"});
  ASSERT_TRUE(need.ok()) << need.error().message;
  EXPECT_GT(node.store().Head(node.device_key()).seq, highest_of(node.device_key()));
  Result<log::EntryId> thought = node.Write(state::Reflected{"after the power loss", std::nullopt});
  ASSERT_TRUE(thought.ok()) << thought.error().message;
  EXPECT_GT(node.store().Head(node.private_chain_key()).seq, highest_of(node.private_chain_key()));
  CheckChains(node.store());
}

// Scratch space on tmpfs where there is one: the model keeps its own durable images, so the
// real fsyncs (a few thousand of them) need not reach a disk.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) {
      std::string tmpl = "/dev/shm/accord-power-loss-XXXXXX";
      if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_.empty() ? fallback_.path() : path_; }

 private:
  accord::testing::TempDir fallback_;
  fs::path path_;
};

TEST(PowerLoss, EveryCrashPointOfTheWritePathsKeepsWhatWasAcknowledged) {
  ScratchDir scratch;
  Told told;
  PowerLossWorkload workload(told);
  const auto started = std::chrono::steady_clock::now();
  accord::testing::PowerLossCoverage coverage = accord::testing::RunThroughEveryCrashPoint(
      scratch.path(), [&](const fs::path& dir) { workload.Run(dir); },
      [&](const fs::path& dir, const accord::testing::CrashPoint&) {
        CheckAfterReboot(dir, told);
      });
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "power loss: %zu events (%zu writes, %zu fsyncs, %zu dir fsyncs), %zu runs, %zu "
      "distinct disks rebooted, %.1f s\n",
      coverage.events, coverage.writes, coverage.syncs, coverage.dir_syncs, coverage.runs,
      coverage.reboots, seconds);
  EXPECT_GT(coverage.syncs, 10u);     // the workload reaches the commits it is meant to
  EXPECT_GT(coverage.dir_syncs, 0u);  // and SQLite's directory fsyncs are seen
  EXPECT_EQ(coverage.runs, coverage.events + 1);
}

}  // namespace
}  // namespace accord::daemon
