#include "tests/daemon/state/history_sim.h"
#include "tests/daemon/state/sim_args.h"

#include <algorithm>
#include <string>

#include "tests/daemon/state/history.h"

namespace accord::state::testing {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;  // ms, November 2023
constexpr int64_t kWeekS = 7 * 24 * 3600;        // s
constexpr size_t kMaxMembers = 4;
constexpr size_t kMaxDevicesPerMember = 3;
constexpr uint32_t kOps = 21;  // distinct actions; see Sim::Step

struct SimDevice {
  log::DeviceKey key{};
  size_t member = 0;
  bool removed = false;
  std::vector<bool> known;  // by index into the events written so far
  uint64_t lamport = 0;     // the highest Lamport clock this device has seen
  int64_t skew_ms = 0;      // its clock's error
};

struct SimMember {
  MemberId id{};
  bool left = false;
  std::vector<size_t> devices;
};

class Sim {
 public:
  std::vector<Event> Run(const std::vector<uint32_t>& choices) {
    const size_t first = NewDevice(0, std::nullopt);
    Write(first, MemberCreatedBody(devices_[first].key, "Member 0"));
    AddMember(first);
    for (uint32_t choice : choices) {
      now_ms_ += 1000 * (1 + (choice >> 22) % 1800);
      if (!Step(choice % kOps, Args(choice / kOps))) break;
    }
    return std::move(events_);
  }

 private:
  bool Knows(size_t d, size_t event) const {
    return event < devices_[d].known.size() && devices_[d].known[event];
  }

  void See(size_t d, size_t event) {
    auto& known = devices_[d].known;
    if (known.size() <= event) known.resize(event + 1, false);
    known[event] = true;
    devices_[d].lamport = std::max(devices_[d].lamport, events_[event].lamport);
  }

  size_t Write(size_t d, const proto::Body& body) {
    SimDevice& dev = devices_[d];
    events_.push_back(history_.WriteAt(dev.key, dev.lamport + 1, body, now_ms_ + dev.skew_ms));
    See(d, events_.size() - 1);
    return events_.size() - 1;
  }

  void Sync(size_t a, size_t b) {
    for (size_t i = 0; i < events_.size(); ++i) {
      if (Knows(a, i) || Knows(b, i)) {
        See(a, i);
        See(b, i);
      }
    }
  }

  // A device of `member`, which learns everything `teacher` knows (pairing hands it over).
  size_t NewDevice(size_t member, std::optional<size_t> teacher) {
    SimDevice dev;
    dev.key = KeyFor("sim device " + std::to_string(devices_.size()));
    dev.member = member;
    dev.skew_ms = static_cast<int64_t>(devices_.size() % 3) * 45'000 - 45'000;
    devices_.push_back(std::move(dev));
    const size_t d = devices_.size() - 1;
    if (member == members_.size()) members_.push_back(SimMember{devices_[d].key, false, {}});
    members_[member].devices.push_back(d);
    if (teacher) Sync(*teacher, d);
    return d;
  }

  void AddMember(size_t by) {
    const size_t d = NewDevice(members_.size(), by);
    Write(by, MemberAddedBody(devices_[d].key, "Member " + std::to_string(members_.size() - 1)));
    Sync(by, d);
  }

  std::vector<size_t> Writers() const {
    std::vector<size_t> out;
    for (size_t d = 0; d < devices_.size(); ++d) {
      if (!devices_[d].removed && !members_[devices_[d].member].left) out.push_back(d);
    }
    return out;
  }

  // Events `d` knows that satisfy `pred`.
  template <typename Pred>
  std::vector<size_t> Known(size_t d, Pred pred) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < events_.size(); ++i) {
      if (Knows(d, i) && pred(events_[i])) out.push_back(i);
    }
    return out;
  }

  std::vector<size_t> KnownVersions(size_t d) const {
    return Known(d, [](const Event& e) { return std::holds_alternative<Proposed>(e.kind); });
  }

  log::EntryId RootOf(size_t version) const {
    const auto& p = std::get<Proposed>(events_[version].kind);
    return p.agreement ? *p.agreement : events_[version].id;
  }

  size_t NewestKnown(const std::vector<size_t>& versions, const log::EntryId& root) const {
    size_t newest = versions.front();
    bool found = false;
    for (size_t v : versions) {
      if (RootOf(v) != root) continue;
      if (!found || KeyOf(events_[newest]) < KeyOf(events_[v])) newest = v;
      found = true;
    }
    return newest;
  }

  std::string Text(const char* what) { return what + std::string(" ") + std::to_string(++n_); }

  bool Step(uint32_t op, Args args) {
    const std::vector<size_t> writers = Writers();
    if (writers.empty()) return false;
    const size_t d = writers[args.Pick(writers.size())];
    switch (op) {
      case 0:
      case 1:
      case 2:
      case 3:
        Sync(d, writers[args.Pick(writers.size())]);
        return true;
      case 4:
        Write(d, NeedBody(Text("need")));
        return true;
      case 5:
        Write(d, BoundaryBody(Text("boundary"), args.Pick(2) == 0));
        return true;
      case 6:
      case 7:
        Write(d, args.Pick(5) == 0 ? ScheduledProposalBody(Text("scheduled"))
                                   : ProposalBody(Text("agreement"), args.Pick(3) * kWeekS));
        return true;
      case 8:
      case 9: {
        const auto versions = KnownVersions(d);
        if (versions.empty()) return true;
        const size_t v = versions[args.Pick(versions.size())];
        Write(d, CounterBody(RootOf(v), events_[v].id, Text("counter"), args.Pick(2) * kWeekS));
        return true;
      }
      case 10:
      case 11:
      case 12:
      case 13:
      case 14: {
        const auto versions = KnownVersions(d);
        if (versions.empty()) return true;
        // Mostly the newest version of the agreement this device knows, as a person would.
        size_t v = versions[args.Pick(versions.size())];
        if (args.Pick(4) != 0) v = NewestKnown(versions, RootOf(v));
        const uint32_t how = static_cast<uint32_t>(args.Pick(12));
        if (how == 0 && op == 14) {
          Write(d, RetireBody(RootOf(v), Text("retired")));
        } else if (how <= 2) {
          Write(d, DeclineBody(RootOf(v), events_[v].id, Text("declined")));
        } else {
          Write(d, AcceptBody(RootOf(v), events_[v].id));
        }
        return true;
      }
      case 15: {
        const auto versions = KnownVersions(d);
        std::optional<log::EntryId> about;
        if (!versions.empty() && args.Pick(2) == 0)
          about = RootOf(versions[args.Pick(versions.size())]);
        Write(d, CheckInBody(1 + static_cast<uint32_t>(args.Pick(5)), about, Text("note")));
        return true;
      }
      case 16:
        Write(d, SpaceRequestBody(60 * (1 + static_cast<int64_t>(args.Pick(240))), Text("away")));
        return true;
      case 17: {
        const auto asks =
            Known(d, [](const Event& e) { return std::holds_alternative<SpaceAsked>(e.kind); });
        if (asks.empty()) return true;
        const size_t ask = asks[args.Pick(asks.size())];
        if (args.Pick(2) == 0) {
          Write(d, SpaceAckBody(events_[ask].id, Text("ack")));
        } else {
          Write(d, SpaceBackBody(events_[ask].id));  // by another member it does nothing
        }
        return true;
      }
      case 18:
        Write(d, args.Pick(2) == 0 ? AppreciationBody(Text("thanks"))
                                   : ReflectionBody(Text("private")));
        return true;
      case 19: {
        // Mostly one's own item, as the client allows; now and then anything known (another
        // member's entry, an agreement, a reflection, a retract), as a hostile device might.
        const auto known = Known(d, [](const Event& e) { return e.scope != log::Scope::kControl; });
        if (known.empty()) return true;
        Write(d, RetractBody(events_[known[args.Pick(known.size())]].id, Text("withdrawn")));
        return true;
      }
      default:
        return Membership(d, args);
    }
  }

  bool Membership(size_t d, Args args) {
    SimMember& own = members_[devices_[d].member];
    size_t current = 0;
    for (const SimMember& m : members_) current += m.left ? 0 : 1;
    switch (args.Pick(6)) {
      case 0:  // a third member now and then, a fourth more rarely
        if (members_.size() < kMaxMembers && (members_.size() < 3 || args.Pick(2) == 0)) {
          AddMember(d);
        }
        return true;
      case 1:
      case 2:
        if (own.devices.size() < kMaxDevicesPerMember) {
          const size_t phone = NewDevice(devices_[d].member, d);
          Write(d, DeviceAddedBody(devices_[phone].key));
          Sync(d, phone);
        }
        return true;
      case 3:
        if (current > 2 || args.Pick(6) == 0) {  // the odd member leaving
          Write(d, MemberLeftBody(own.id));
          own.left = true;
        }
        return true;
      case 4:
        for (size_t other : own.devices) {
          if (other != d && !devices_[other].removed) {
            Write(d, DeviceRemovedBody(devices_[other].key));
            devices_[other].removed = true;
            break;
          }
        }
        return true;
      default:
        for (size_t other = 0; other < devices_.size(); ++other) Sync(d, other);
        return true;
    }
  }

  History history_;
  std::vector<Event> events_;
  std::vector<SimDevice> devices_;
  std::vector<SimMember> members_;
  int64_t now_ms_ = kStartMs;
  uint64_t n_ = 0;
};

}  // namespace

std::vector<Event> SimulateHistory(const std::vector<uint32_t>& choices) {
  return Sim().Run(choices);
}

}  // namespace accord::state::testing
