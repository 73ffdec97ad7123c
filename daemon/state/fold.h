// The fold: the set of decoded entries, indexed as they arrive, and the State derived from it.
// Pure (no I/O, no clock); owned by the daemon thread. Decoding is event_from_proto.h; what
// is due at a given time is due.h.
#ifndef ACCORD_DAEMON_STATE_FOLD_H_
#define ACCORD_DAEMON_STATE_FOLD_H_

#include <cstddef>
#include <cstdint>
#include <map>

#include "daemon/state/agreements.h"
#include "daemon/state/entry_set_digest.h"
#include "daemon/state/epochs.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::state {

// View() is a function of the set of applied events and the freezes, whatever the order of
// calls: Apply is idempotent and commutative, and Freeze commutes with Apply. Events that do
// not count (unknown author, dangling reference) are kept, so they count once what they
// depend on arrives. A retract withdraws only a need, boundary, appreciation, check-in or
// space request written by the retract's own member (a space request only while still open
// at the retract's time); naming anything else it changes nothing.
class Fold {
 public:
  Fold() = default;
  Fold(const Fold&) = delete;  // the indexes point into events_' nodes, which a move keeps
  Fold& operator=(const Fold&) = delete;
  Fold(Fold&&) = default;
  Fold& operator=(Fold&&) = default;

  // False, changing nothing, if an event with this id was applied already.
  bool Apply(const Event& event);

  // A fork of `author` at `from_seq`: its events with seq >= from_seq are not folded,
  // whether applied before or after. A second freeze of one author keeps the lower seq.
  // REQUIRES: from_seq >= 1.
  void Freeze(const log::DeviceKey& author, uint64_t from_seq);

  // Derives the state: O(n log n) in the number of events, no per-item scans.
  State View() const;
  // Only the live part (View()'s Live): costs what the control, agreement and space entries
  // cost, nothing per note, appreciation, reflection or check-in that names no agreement.
  Live LiveView() const;
  // Changes whenever LiveView() may (the entries it reads, a membership change, a freeze),
  // and not when a note, an appreciation, a reflection or a check-in naming no agreement
  // is applied.
  uint64_t live_generation() const { return live_generation_; }
  // The state digest (entry_set_digest.h, docs/state-digest.md): of the shared and control
  // events applied and not frozen, and the freezes. Kept per change; O(1) to read.
  Hash32 Digest() const { return digest_.Final(); }
  // Only the members (what View().members holds): folds the control events alone, so it
  // costs nothing per need or proposal in the log.
  std::vector<Member> Members() const;
  // The key epochs (epochs.h), from the control events alone like Members(); changes only
  // with membership_generation().
  state::Epochs Epochs() const;
  // Changes whenever Members() may: a control event applied, or a freeze.
  uint64_t membership_generation() const { return membership_generation_; }

  size_t size() const { return events_.size(); }
  bool Contains(const log::EntryId& id) const { return events_.count(id) != 0; }

 private:
  struct SpaceEntries {
    std::map<OrderKey, const Event*> acks;   // SpaceAcked naming the request
    std::map<OrderKey, const Event*> backs;  // SpaceEnded naming the request
  };

  void Index(const Event& e);
  // Whether `e` may change LiveView(): it is read by it, or withdraws something it reads.
  bool TouchesLive(const Event& e) const;
  void FillLive(const Membership& membership, Live& s) const;
  void FillHistory(const Membership& membership, State& s) const;
  bool IsFrozen(const log::DeviceKey& author, uint64_t seq) const;
  // The digest's part of Freeze: the feed's events in [from_seq, until_seq) leave the set.
  void UncountFeed(const log::DeviceKey& author, uint64_t from_seq, uint64_t until_seq);
  Membership ResolveControl() const;
  std::vector<const Event*> ControlEvents() const;  // LWW order

  std::map<log::EntryId, Event> events_;  // node-based: the pointers below stay valid
  std::map<OrderKey, const Event*> control_;
  uint64_t membership_generation_ = 0;
  uint64_t live_generation_ = 0;
  std::map<OrderKey, const Event*> needs_;
  std::map<OrderKey, const Event*> boundaries_;
  std::map<OrderKey, const Event*> agreement_roots_;
  std::map<log::EntryId, AgreementEntries> agreements_;  // by root id, root may be missing
  std::map<OrderKey, const Event*> check_ins_;
  std::map<OrderKey, const Event*> space_requests_;
  std::map<log::EntryId, SpaceEntries> spaces_;  // by request id, request may be missing
  std::map<OrderKey, const Event*> appreciations_;
  std::map<log::EntryId, std::map<OrderKey, const Event*>> retracts_;  // by the id they name
  std::map<OrderKey, const Event*> reflections_;
  std::map<OrderKey, const Event*> forgets_;
  std::map<log::DeviceKey, log::DeviceKey> chains_;  // private chain key -> its device
  std::map<log::DeviceKey, uint64_t> frozen_;        // author -> first seq not folded
  // Shared and control events by feed and seq (a fork may put two at one seq), for Freeze.
  std::map<log::DeviceKey, std::multimap<uint64_t, log::EntryId>> feeds_;
  EntrySetDigest digest_;
};

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_FOLD_H_
