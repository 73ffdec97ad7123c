// Property: key rotation after leaves and removals (SPEC §4 Leaving, SECURITY §5.4). A
// simulated household of 2-4 members with several devices each, every device holding its own
// subset of entries and its own fold; whenever a device's view says a rotation is needed it
// authors an EpochStart before writing. After every entry reaches every device, in a different
// order on each: one membership and one current epoch everywhere, no ended device among the
// current epoch's recipients, and nothing a device wrote once it knew of an ending is sealed to
// an epoch whose recipients include the ended device.
#include <rapidcheck.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/state/epochs.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"
#include "tests/daemon/state/property_run.h"
#include "tests/daemon/state/sim_args.h"

namespace accord::state {
namespace {

using testing::KeyFor;

constexpr int kEpochCases = 1000;        // property cases that must really run
constexpr size_t kMaxEpochActions = 60;  // actions per generated history
constexpr size_t kMaxMembers = 4;
constexpr size_t kMaxDevicesPerMember = 3;
constexpr int kMaxFinalRounds = 4;  // deliver-everything-then-rotate rounds before it settles

struct Written {
  Event event;
  uint64_t header_epoch = 0;  // the key the body was sealed with
  // Devices the writer's own view held as ended when it wrote this entry.
  std::set<log::DeviceKey> known_ended;
};

struct SimDevice {
  log::DeviceKey key{};
  size_t member = 0;
  bool removed = false;
  std::vector<bool> known;  // by index into written_
  uint64_t lamport = 0;
  Fold fold;
  // Epoch keys it holds: 0 from the pact's start or its pairing, a pairing teacher's keys,
  // and every epoch an EpochStart it saw sealed to it.
  std::set<uint64_t> keys{0};
};

struct SimMember {
  bool left = false;
  std::vector<size_t> devices;
};

using testing::Args;

class Household {
 public:
  Household() {
    const size_t first = NewDevice(0, std::nullopt);
    Write(first, testing::MemberCreatedBody(devices_[first].key, "Member 0"));
    AddMember(first);
  }

  void Step(uint32_t choice) {
    Args args(choice / 8);
    const std::vector<size_t> writers = Writers();
    if (writers.empty()) return;
    const size_t d = writers[args.Pick(writers.size())];
    switch (choice % 8) {
      case 0:
      case 1: {
        const size_t other = writers[args.Pick(writers.size())];
        Sync(d, other);
        if (args.Pick(2) == 0) {  // at once, or only when it next writes (EpochForWrite)
          RotateIfNeeded(d);
          RotateIfNeeded(other);
        }
        return;
      }
      case 2:
        WriteShared(d);
        return;
      case 3:
        if (members_.size() < kMaxMembers) AddMember(d);
        return;
      case 4:
        if (members_[devices_[d].member].devices.size() < kMaxDevicesPerMember) {
          const size_t phone = NewDevice(devices_[d].member, d);
          WriteControl(d, testing::DeviceAddedBody(devices_[phone].key));
          Sync(d, phone);
        }
        return;
      case 5:
        if (CurrentMembers() > 1 || args.Pick(4) == 0) {
          const log::DeviceKey member = devices_[members_[devices_[d].member].devices[0]].key;
          if (WriteControl(d, testing::MemberLeftBody(member))) {
            members_[devices_[d].member].left = true;
          }
        }
        return;
      case 6:
        for (size_t other : members_[devices_[d].member].devices) {
          if (other != d && !devices_[other].removed) {
            if (WriteControl(d, testing::DeviceRemovedBody(devices_[other].key))) {
              devices_[other].removed = true;
            }
            break;
          }
        }
        return;
      default:
        RotateIfNeeded(d);
        return;
    }
  }

  // Every entry to every device, each in its own random order, then whoever needs to rotates;
  // until nobody does. Returns the rounds it took.
  int Settle(std::mt19937_64& rng) {
    for (int round = 1; round <= kMaxFinalRounds; ++round) {
      for (size_t d = 0; d < devices_.size(); ++d) DeliverAll(d, rng);
      bool rotated = false;
      // Every device its own view holds current: one whose leave the membership voided
      // (a Lamport tie sorted its claim after it) is still a member and must rotate too.
      for (size_t d = 0; d < devices_.size(); ++d) rotated = RotateIfNeeded(d) || rotated;
      if (!rotated) return round;
    }
    return kMaxFinalRounds + 1;
  }

  const std::vector<SimDevice>& devices() const { return devices_; }
  // Devices that have not ended by the simulation's own account (a leave or removal whose
  // entry the membership voids, a rare Lamport tie, leaves them current in the fold).
  std::vector<size_t> Writers() const {
    std::vector<size_t> out;
    for (size_t d = 0; d < devices_.size(); ++d) {
      if (!devices_[d].removed && !members_[devices_[d].member].left) out.push_back(d);
    }
    return out;
  }

  const std::vector<Written>& written() const { return written_; }
  size_t rotations() const { return rotations_; }
  bool AnyEnded() const {
    for (const SimDevice& d : devices_) {
      if (d.removed || members_[d.member].left) return true;
    }
    return false;
  }

 private:
  bool Knows(size_t d, size_t i) const {
    return i < devices_[d].known.size() && devices_[d].known[i];
  }

  void See(size_t d, size_t i) {
    SimDevice& dev = devices_[d];
    if (dev.known.size() <= i) dev.known.resize(i + 1, false);
    if (dev.known[i]) return;
    dev.known[i] = true;
    dev.lamport = std::max(dev.lamport, written_[i].event.lamport);
    dev.fold.Apply(written_[i].event);
    if (const auto* s = std::get_if<EpochStarted>(&written_[i].event.kind)) {
      for (const auto& r : s->recipients) {
        if (r.device == dev.key) dev.keys.insert(s->epoch);
      }
    }
  }

  void Sync(size_t a, size_t b) {
    for (size_t i = 0; i < written_.size(); ++i) {
      if (Knows(a, i) || Knows(b, i)) {
        See(a, i);
        See(b, i);
      }
    }
  }

  void DeliverAll(size_t d, std::mt19937_64& rng) {
    std::vector<size_t> missing;
    for (size_t i = 0; i < written_.size(); ++i) {
      if (!Knows(d, i)) missing.push_back(i);
    }
    std::shuffle(missing.begin(), missing.end(), rng);
    for (size_t i : missing) See(d, i);
  }

  std::set<log::DeviceKey> EndedInView(size_t d) const {
    std::set<log::DeviceKey> out;
    for (const Member& m : devices_[d].fold.Members()) {
      for (const Device& dev : m.devices) {
        if (m.left || dev.removed) out.insert(dev.key);
      }
    }
    return out;
  }

  size_t Write(size_t d, const proto::Body& body, uint64_t header_epoch = 0) {
    SimDevice& dev = devices_[d];
    Written w;
    w.known_ended = EndedInView(d);
    w.event = history_.WriteAt(dev.key, dev.lamport + 1, body);
    w.header_epoch = header_epoch;
    written_.push_back(std::move(w));
    See(d, written_.size() - 1);
    return written_.size() - 1;
  }

  // A device counts itself current when its own view does (its sim truth may disagree: a
  // claim written at the same Lamport clock as its author's leave can sort after it, void).
  bool CurrentInOwnView(size_t d) const {
    return devices_[d].fold.Epochs().IsCurrentDevice(devices_[d].key);
  }

  // The writer's rule: rotate first if its view asks for it, then seal to EpochForWrite.
  bool WriteWithEpoch(size_t d, const proto::Body& body) {
    if (!CurrentInOwnView(d)) return false;  // it would not count; the node refuses to write
    const log::DeviceKey& me = devices_[d].key;
    std::optional<uint64_t> epoch = devices_[d].fold.Epochs().EpochForWrite(me);
    if (!epoch) {
      RC_ASSERT(RotateIfNeeded(d));
      epoch = devices_[d].fold.Epochs().EpochForWrite(me);
    }
    RC_ASSERT(epoch.has_value());
    Write(d, body, *epoch);
    return true;
  }

  void WriteShared(size_t d) {
    WriteWithEpoch(d, testing::NeedBody("need " + std::to_string(++n_)));
  }
  bool WriteControl(size_t d, const proto::Body& body) { return WriteWithEpoch(d, body); }

  bool RotateIfNeeded(size_t d) {
    if (!CurrentInOwnView(d)) return false;
    const Epochs view = devices_[d].fold.Epochs();
    if (!view.MustRotate(devices_[d].key)) return false;
    std::vector<log::DeviceKey> recipients;
    for (const Device& r : view.next_recipients()) recipients.push_back(r.key);
    RC_ASSERT(std::find(recipients.begin(), recipients.end(), devices_[d].key) !=
              recipients.end());  // a writer is current in its own view
    const std::optional<uint64_t> next = view.NextEpoch(devices_[d].key);
    RC_ASSERT(next.has_value());
    Write(d, testing::EpochStartBody(*next, recipients), view.current());
    ++rotations_;
    // Its own view takes the rotation at once.
    const Epochs after = devices_[d].fold.Epochs();
    RC_ASSERT(after.current() == *next);
    RC_ASSERT(!after.MustRotate(devices_[d].key));
    return true;
  }

  size_t NewDevice(size_t member, std::optional<size_t> teacher) {
    SimDevice dev;
    dev.key = KeyFor("epoch sim device " + std::to_string(devices_.size()));
    dev.member = member;
    devices_.push_back(std::move(dev));
    const size_t d = devices_.size() - 1;
    if (member == members_.size()) members_.push_back(SimMember{});
    members_[member].devices.push_back(d);
    if (teacher) {
      Sync(*teacher, d);
      devices_[d].keys.insert(devices_[*teacher].keys.begin(), devices_[*teacher].keys.end());
    }
    return d;
  }

  void AddMember(size_t by) {
    const size_t d = NewDevice(members_.size(), by);
    WriteControl(by, testing::MemberAddedBody(devices_[d].key,
                                              "Member " + std::to_string(members_.size() - 1)));
    Sync(by, d);
  }

  size_t CurrentMembers() const {
    size_t n = 0;
    for (const SimMember& m : members_) n += m.left ? 0 : 1;
    return n;
  }

  testing::History history_;
  std::vector<Written> written_;
  std::vector<SimDevice> devices_;
  std::vector<SimMember> members_;
  size_t rotations_ = 0;
  uint64_t n_ = 0;
};

void RotationKeepsEndedDevicesOut() {
  const auto actions = *rc::gen::resize(
      kMaxEpochActions, rc::gen::container<std::vector<uint32_t>>(
                            rc::gen::inRange<uint32_t>(0, std::numeric_limits<uint32_t>::max())));
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  std::mt19937_64 rng(seed);
  Household house;
  for (size_t i = 0; i < std::min(actions.size(), kMaxEpochActions); ++i) house.Step(actions[i]);
  const int rounds = house.Settle(rng);
  RC_ASSERT(rounds <= kMaxFinalRounds);

  // One membership and one epoch resolution on every device.
  const Fold& reference = house.devices().front().fold;
  const std::vector<Member> members = reference.Members();
  const Epochs epochs = reference.Epochs();
  for (const SimDevice& d : house.devices()) {
    RC_ASSERT(d.fold.size() == house.written().size());
    RC_ASSERT(d.fold.Members() == members);
    const Epochs mine = d.fold.Epochs();
    RC_ASSERT(mine.current() == epochs.current());
    RC_ASSERT(mine.valid() == epochs.valid());
    RC_ASSERT(mine.rejected() == epochs.rejected());
    RC_ASSERT(d.fold.View() == reference.View());
  }

  // The current epoch's recipients include no ended device, and none needs rotating.
  RC_ASSERT(!epochs.RotationNeeded());
  for (const Device& d : epochs.next_recipients()) RC_ASSERT(!epochs.MustRotate(d.key));
  std::set<log::DeviceKey> ended;
  for (const Member& m : members) {
    for (const Device& d : m.devices) {
      if (m.left || d.removed) ended.insert(d.key);
    }
  }
  if (epochs.next_recipients().empty()) {
    // Everyone left: nobody writes again, so nobody rotates.
  } else if (epochs.current() == 0) {
    RC_ASSERT(ended.empty());
  } else {
    for (const log::DeviceKey& r : epochs.current_start()->recipients) {
      RC_ASSERT(ended.count(r) == 0);
    }
  }

  // Nothing written once its writer knew of an ending is sealed to a key the ended device
  // holds, whether an EpochStart named it or its pairing handed the key over; and no writer
  // ever sealed below an epoch it had started itself.
  std::map<log::DeviceKey, const std::set<uint64_t>*> keys;
  for (const SimDevice& d : house.devices()) keys[d.key] = &d.keys;
  for (const Written& w : house.written()) {
    if (std::holds_alternative<EpochStarted>(w.event.kind)) continue;  // old key by design
    RC_ASSERT(!epochs.SealsBelowOwnRotation(w.event, w.header_epoch));
    for (const log::DeviceKey& gone : w.known_ended) {
      RC_ASSERT(keys.at(gone)->count(w.header_epoch) == 0);
    }
  }

  RC_CLASSIFY(house.AnyEnded(), "an ending");
  RC_CLASSIFY(house.rotations() >= 2, "two or more rotations");
  RC_CLASSIFY(!epochs.rejected().empty(), "a rejected rotation");
  RC_CLASSIFY(rounds >= 2, "rotations after everything was delivered");
}

TEST(EpochsProperty, EveryDeviceConvergesAndEndedDevicesGetNoNewKey) {
  const std::optional<rc::detail::SuccessResult> success =
      RunProperty(&RotationKeepsEndedDevicesOut, "EpochsProperty/Rotation",
                  "rotations keep ended devices out and converge", kEpochCases);
  if (!success) return;
  int ended = 0;
  int several = 0;
  for (const auto& [tags, count] : success->distribution) {
    for (const std::string& tag : tags) {
      if (tag.find("an ending") != std::string::npos) ended += count;
      if (tag.find("two or more rotations") != std::string::npos) several += count;
    }
  }
  EXPECT_GE(ended, kEpochCases / 3) << "too few histories where someone leaves or is removed";
  EXPECT_GE(several, kEpochCases / 10) << "too few histories with more than one rotation";
}

}  // namespace
}  // namespace accord::state
