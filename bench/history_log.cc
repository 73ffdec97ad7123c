#include "bench/history_log.h"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "crypto/private_file.h"
#include "daemon/node/clock.h"
#include "daemon/node/node.h"

namespace accord::bench {
namespace {

constexpr int64_t kStepMs = 5 * 60 * 1000;           // ms between two entries
constexpr int64_t kSpaceMs = 2 * 60 * 60 * 1000;     // ms, a space request's length
constexpr int64_t kReviewMs = 4LL * 60 * 60 * 1000;  // ms, half the agreements' review cadence
constexpr uint64_t kSyncEvery = 256;                 // writes between two syncs
constexpr size_t kSyncBatch = 256;                   // entries per Receive
constexpr size_t kLiveAgreements = 12;               // older ones are retired
constexpr uint64_t kBackAfter = 20;                  // writes from an ask to its back
constexpr uint64_t kSeed = 14;                       // the mix is the same every run

// A clock the generator moves: every entry is kStepMs after the one before.
class StepClock final : public daemon::Clock {
 public:
  explicit StepClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Advance() { now_ms_ += kStepMs; }

 private:
  int64_t now_ms_;
};

Result<std::unique_ptr<daemon::Node>> OpenHome(const std::filesystem::path& home,
                                               const daemon::Clock& clock) {
  std::filesystem::create_directories(home);
  std::filesystem::permissions(home, std::filesystem::perms::owner_all);
  Result<InstancePaths> paths = ResolveInstancePaths(home.string());
  if (!paths.ok()) return paths.error();
  if (Status s = crypto::EnsurePrivateDir(paths->data_dir); !s.ok()) return s.error();
  return daemon::Node::Open(*paths, clock);  // as accordd opens it
}

// Hands `to` what `from` wrote in its shared feed since the last call, in Receive batches.
class FeedPipe {
 public:
  FeedPipe(daemon::Node& from, daemon::Node& to) : from_(from), to_(to) {}
  Status Flush() {
    for (;;) {
      Result<std::vector<log::Envelope>> batch =
          from_.store().ReadRange(from_.device_key(), sent_ + 1, kSyncBatch);
      if (!batch.ok()) return batch.error();
      if (batch->empty()) return Status::Ok();
      Result<daemon::Node::ReceiveReport> got = to_.Receive(*batch);
      if (!got.ok()) return got.error();
      sent_ += batch->size();
    }
  }

 private:
  daemon::Node& from_;
  daemon::Node& to_;
  uint64_t sent_ = 0;
};

// Writes the mix. Two members, each write by one of them; the follow-ups (a back after a
// space request, the partner's acceptance of a proposal, a retirement) come later.
class MixWriter {
 public:
  MixWriter(daemon::Node& alice, daemon::Node& bob, StepClock& clock)
      : nodes_{&alice, &bob}, clock_(clock), to_bob_(alice, bob), to_alice_(bob, alice) {}

  Status Run(uint64_t user_entries, HistoryReport& report) {
    for (uint64_t i = 0; i < user_entries; ++i) {
      clock_.Advance();
      ACCORD_RETURN_IF_ERROR(WriteOne(i, report));
      if ((i + 1) % kSyncEvery == 0) ACCORD_RETURN_IF_ERROR(Sync());
    }
    return Sync();
  }

 private:
  struct Pending {
    uint64_t due_at = 0;
    int who = 0;
    state::UserKind kind;
    const char* name = "";
  };

  Status Sync() {
    ACCORD_RETURN_IF_ERROR(to_bob_.Flush());
    ACCORD_RETURN_IF_ERROR(to_alice_.Flush());
    ++syncs_;
    return Status::Ok();
  }

  Status Write(int who, state::UserKind kind, const char* name, HistoryReport& report,
               std::optional<log::EntryId>* id = nullptr) {
    Result<log::EntryId> written = nodes_[who]->Write(std::move(kind));
    if (!written.ok()) return written.error();
    ++report.kinds[name];
    if (id) *id = *written;
    return Status::Ok();
  }

  Status WriteOne(uint64_t i, HistoryReport& report) {
    // A follow-up that is due, and (an acceptance) whose proposal the partner has by now.
    if (!pending_.empty() && pending_.front().due_at <= syncs_) {
      Pending p = std::move(pending_.front());
      pending_.pop_front();
      return Write(p.who, std::move(p.kind), p.name, report);
    }
    if (!later_.empty() && later_.front().due_at <= i) {
      Pending p = std::move(later_.front());
      later_.pop_front();
      return Write(p.who, std::move(p.kind), p.name, report);
    }
    const int who = static_cast<int>(rng_() % 2);
    // Weights out of 94: with the follow-ups (3 backs, 2 acceptances, 2 retirements) about
    // 101 entries.
    const uint64_t roll = rng_() % 94;
    const std::string n = std::to_string(i);
    if (roll < 41) {
      return Write(who,
                   state::Appreciated{"Thank you for making dinner and listening tonight #" + n},
                   "appreciation", report);
    }
    if (roll < 77) {
      state::CheckedIn c{static_cast<uint32_t>(1 + rng_() % 5),
                         "Felt heard this week; the mornings are still rushed #" + n, std::nullopt};
      if (!live_.empty() && rng_() % 3 == 0) c.agreement = live_[rng_() % live_.size()];
      return Write(who, std::move(c), "check-in", report);
    }
    if (roll < 85) {
      return Write(who, state::NeedAdded{"I need an evening to myself every week, #" + n}, "need",
                   report);
    }
    if (roll < 89) {
      return Write(who,
                   state::BoundaryAdded{"Please no phone calls after ten #" + n, roll % 2 == 0},
                   "boundary", report);
    }
    if (roll < 92) {
      std::optional<log::EntryId> ask;
      ACCORD_RETURN_IF_ERROR(
          Write(who, state::SpaceAsked{kSpaceMs, "A quiet afternoon with a book #" + n},
                "space request", report, &ask));
      later_.push_back({i + kBackAfter, who, state::SpaceEnded{*ask}, "space back"});
      return Status::Ok();
    }
    std::optional<log::EntryId> root;
    state::Proposed p{std::nullopt, std::nullopt, "We each take one free evening a week #" + n,
                      std::nullopt, roll % 2 == 0 ? kReviewMs : 0};
    ACCORD_RETURN_IF_ERROR(Write(who, std::move(p), "proposal", report, &root));
    // The partner accepts after the next sync has brought the proposal over.
    pending_.push_back({syncs_ + 1, 1 - who, state::Accepted{*root, *root}, "acceptance"});
    live_.push_back(*root);
    if (live_.size() > kLiveAgreements) {  // one of them retires the oldest a while later
      later_.push_back({i + kBackAfter, static_cast<int>(rng_() % 2),
                        state::Retired{live_.front(), "It did its job; we do it without thinking"},
                        "retirement"});
      live_.erase(live_.begin());
    }
    return Status::Ok();
  }

  daemon::Node* nodes_[2];
  StepClock& clock_;
  FeedPipe to_bob_;
  FeedPipe to_alice_;
  uint64_t syncs_ = 0;
  std::mt19937_64 rng_{kSeed};
  std::deque<Pending> pending_;  // acceptances, due after a sync
  std::deque<Pending> later_;    // backs and retirements, due kBackAfter writes after their cause
  std::vector<log::EntryId> live_;  // agreements proposed and not retired, oldest first
};

}  // namespace

std::string HistoryMixText() {
  return "two members (Alice measured, Bob her partner), each entry by one of them at random; "
         "per 101 user entries about 41 appreciations, 36 check-ins (a third on a live "
         "agreement), 8 needs, 4 boundaries, 3 space requests each ended by 'back' 20 entries "
         "later, 2 proposals (half with a 4-hour review, so that some are due: the log's time is "
         "compressed) each accepted by the partner after "
         "the next sync, 2 retirements (20 entries after each proposal beyond 12 live, of the "
         "oldest); entries 5 minutes "
         "apart ending about now; synced both ways (Node::Receive) every 256 writes";
}

Result<HistoryReport> GenerateHistory(const std::filesystem::path& home,
                                      const std::filesystem::path& partner_home,
                                      uint64_t user_entries) {
  const auto started = std::chrono::steady_clock::now();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  StepClock clock(now_ms - static_cast<int64_t>(user_entries + 16) * kStepMs);
  HistoryReport report;
  {
    Result<std::unique_ptr<daemon::Node>> alice = OpenHome(home, clock);
    if (!alice.ok()) return alice.error();
    Result<std::unique_ptr<daemon::Node>> bob = OpenHome(partner_home, clock);
    if (!bob.ok()) return bob.error();
    daemon::Node& a = **alice;
    daemon::Node& b = **bob;
    if (auto s = a.Init("Alice", "alice-laptop"); !s.ok()) return s.error();
    if (auto s = b.Init("Bob", "bob-laptop"); !s.ok()) return s.error();
    // Pairing as it leaves the two devices (docs/pairing.md): Alice's MemberAdded, Bob's log
    // replaced by the pact, Alice's device trusted by Bob.
    if (auto s = a.AddMember(b.device_key(), b.identity().dh.public_key(), "Bob"); !s.ok())
      return s.error();
    if (auto s = b.JoinPact(a.pact(), a.EpochKeysForPartner()); !s.ok()) return s.error();
    b.TrustDevice(a.device_key());
    MixWriter writer(a, b, clock);
    ACCORD_RETURN_IF_ERROR(writer.Run(user_entries, report));
    report.entries = a.EntryCount();
  }
  std::error_code ec;
  std::filesystem::remove_all(partner_home, ec);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace accord::bench
