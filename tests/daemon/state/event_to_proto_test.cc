// Both halves of the domain <-> protobuf mapping (event_to_proto.h, event_from_proto.h): any
// event that decodes survives encode -> serialize -> parse -> decode unchanged, every kind.
#include "daemon/state/event_to_proto.h"

#include <rapidcheck.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/epoch_seal.h"
#include "daemon/log/author.h"
#include "daemon/state/event_from_proto.h"
#include "tests/daemon/state/history.h"
#include "tests/daemon/state/property_run.h"

namespace accord::state {
namespace {

constexpr int kProtoCases = 2000;                       // property cases that must really run
constexpr int kKinds = std::variant_size_v<EventKind>;  // one generator per kind
constexpr int64_t kOneYearS = 365 * 86400;              // seconds, the cap on durations
constexpr int64_t kMsPerSecond = 1000;                  // milliseconds

// A few ASCII, multi-byte and whitespace pieces: valid UTF-8, as the daemon only writes.
std::string Text(bool required, size_t max_pieces = 40) {
  static const std::vector<std::string> kPieces = {"a",  "Z", "7",  " ",   "\n",
                                                   "\t", "é", "日", "🙂"};
  const size_t n = *rc::gen::inRange<size_t>(required ? 1 : 0, max_pieces + 1);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kPieces[*rc::gen::inRange<size_t>(0, kPieces.size())];
  return out;
}

FixedBytes<32> Key() {
  const auto bytes = *rc::gen::container<std::vector<uint8_t>>(32, rc::gen::arbitrary<uint8_t>());
  FixedBytes<32> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

std::optional<FixedBytes<32>> MaybeKey() {
  if (*rc::gen::arbitrary<bool>()) return Key();
  return std::nullopt;
}

// Whole seconds, as the wire carries them.
int64_t DurationMs(int64_t min_s) {
  return *rc::gen::inRange<int64_t>(min_s, kOneYearS + 1) * kMsPerSecond;
}

Schedule AnySchedule() {
  Schedule s;
  s.spec = Text(/*required=*/true, 20);
  static const std::vector<std::string> kZones = {"UTC", "Europe/Berlin", "America/New_York",
                                                  "Etc/GMT+5", "America/Port-au-Prince"};
  s.time_zone = kZones[*rc::gen::inRange<size_t>(0, kZones.size())];
  s.weekdays = *rc::gen::inRange<uint32_t>(1, 0x80);
  s.start_minute = *rc::gen::inRange<uint32_t>(0, 1440);
  s.end_minute = *rc::gen::inRange<uint32_t>(0, 1441);
  s.every_weeks = *rc::gen::inRange<uint32_t>(1, 53);
  s.anchor_day = *rc::gen::inRange<int64_t>(-1000000, 1000001);
  return s;
}

// An event's kind by index into EventKind, valid for the decoder; control kinds that must
// name their author are given `author`.
// 1..7 boxes of the sealed size, as an EpochStart or a PersonKeyStart carries them.
std::vector<EpochStarted::Recipient> Recipients() {
  std::vector<EpochStarted::Recipient> out(*rc::gen::inRange<size_t>(1, 8));
  for (EpochStarted::Recipient& r : out) {
    const auto sealed = *rc::gen::container<std::vector<uint8_t>>(crypto::kSealedEpochKeyBytes,
                                                                  rc::gen::arbitrary<uint8_t>());
    r = {Key(), Bytes(sealed.begin(), sealed.end())};
  }
  return out;
}

EventKind AnyKind(int index, const log::DeviceKey& author) {
  switch (index) {
    case 0:
      return NeedAdded{Text(true)};
    case 1:
      return BoundaryAdded{Text(true), *rc::gen::arbitrary<bool>()};
    case 2: {
      Proposed p;
      p.agreement = MaybeKey();
      if (p.agreement) p.parent = Key();
      p.text = Text(true);
      if (*rc::gen::arbitrary<bool>()) p.schedule = AnySchedule();
      p.review_every_ms = *rc::gen::arbitrary<bool>() ? DurationMs(1) : 0;
      return p;
    }
    case 3:
      return Accepted{Key(), Key()};
    case 4:
      return Declined{Key(), Key(), Text(false)};
    case 5:
      return Retired{Key(), Text(false)};
    case 6:
      return SpaceAsked{DurationMs(1), Text(false)};
    case 7:
      return SpaceAcked{Key(), Text(false)};
    case 8:
      return SpaceEnded{Key()};
    case 9:
      return CheckedIn{*rc::gen::inRange<uint32_t>(1, 6), Text(false), MaybeKey()};
    case 10:
      return Appreciated{Text(true)};
    case 11:
      return Retracted{Key(), Text(false)};
    case 12:
      return Reflected{Text(true), MaybeKey()};
    case 13: {
      const auto binding =
          *rc::gen::container<std::vector<uint8_t>>(64, rc::gen::arbitrary<uint8_t>());
      return PrivateChainStarted{Key(), Bytes(binding.begin(), binding.end())};
    }
    case 14:
      return Forgot{Key()};
    case 15:
      return MemberCreated{author, Text(true, 20), Key(), Text(false, 20)};
    case 16: {
      const log::DeviceKey device = Key();
      return MemberAdded{device, Text(true, 20),  device,
                         Key(),  Text(false, 20), *rc::gen::arbitrary<uint64_t>()};
    }
    case 17:
      return DeviceAdded{Key(), Key(), Text(false, 20)};
    case 18:
      return MemberLeft{Key()};
    case 19:
      return DeviceRemoved{Key()};
    case 20:
      return EpochStarted{*rc::gen::inRange<uint64_t>(1, 1000), Recipients()};
    case 21: {
      const auto binding =
          *rc::gen::container<std::vector<uint8_t>>(64, rc::gen::arbitrary<uint8_t>());
      log::DeviceKey old_device = Key();
      if (old_device == author) old_device[0] ^= 1;
      return DeviceRekeyed{old_device, Bytes(binding.begin(), binding.end())};
    }
    default:
      return PersonKeyStarted{*rc::gen::inRange<uint64_t>(1, 1000), Recipients()};
  }
}

void EncodeThenDecodeGivesTheSameEvent() {
  // At full size: inRange scales with the case size, which starved the last kinds.
  const int index = *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, kKinds));
  Event event;
  event.id = Key();
  event.author = Key();
  event.seq = *rc::gen::inRange<uint64_t>(1, 1u << 20);
  event.lamport = *rc::gen::inRange<uint64_t>(1, 1u << 20);
  event.time_ms = *rc::gen::inRange<int64_t>(0, int64_t{1} << 42);
  event.kind = AnyKind(index, event.author);
  if (std::holds_alternative<PrivateChainStarted>(event.kind) ||
      std::holds_alternative<DeviceRekeyed>(event.kind))
    event.seq = 1;  // chains and re-keyed feeds start so
  RC_ASSERT(static_cast<int>(event.kind.index()) == index);
  RC_CLASSIFY(true, "kind " + std::to_string(index));

  // As the author does it: encode, serialize; as every receiver does it: parse, decode.
  const proto::Body body = BodyFromKind(event.kind);
  event.scope = log::ScopeOf(body);
  std::string bytes;
  RC_ASSERT(body.SerializeToString(&bytes));
  proto::Body parsed;
  RC_ASSERT(parsed.ParseFromString(bytes));

  log::EntryHeader header;
  header.author = event.author;
  header.seq = event.seq;
  header.lamport = event.lamport;
  header.time_ms = event.time_ms;
  header.scope = event.scope;
  Result<Event> decoded = EventFromBody(header, event.id, parsed);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == event);
}

TEST(EventToProto, EveryKindSurvivesEncodeAndDecodeUnchanged) {
  const std::optional<rc::detail::SuccessResult> success =
      RunProperty(&EncodeThenDecodeGivesTheSameEvent, "EventToProto/RoundTrip",
                  "event -> body -> bytes -> body -> event is the identity", kProtoCases);
  if (!success) return;
  std::vector<bool> seen(kKinds, false);
  for (const auto& [tags, count] : success->distribution) {
    for (const std::string& tag : tags) {
      for (int i = 0; i < kKinds; ++i)
        if (tag.find("kind " + std::to_string(i) + "\"") != std::string::npos) seen[i] = true;
    }
  }
  for (int i = 0; i < kKinds; ++i) EXPECT_TRUE(seen[i]) << "kind " << i << " never generated";
}

TEST(EventToProto, AnAbsentOptionalIdIsAnEmptyField) {
  const proto::Body body = BodyFromKind(CheckedIn{3, "ok", std::nullopt});
  ASSERT_TRUE(body.has_check_in());
  EXPECT_TRUE(body.check_in().agreement_id().empty());
  const proto::Body proposal = BodyFromKind(Proposed{});
  EXPECT_TRUE(proposal.proposal().agreement_id().empty());
  EXPECT_TRUE(proposal.proposal().parent_version().empty());
  EXPECT_FALSE(proposal.proposal().has_schedule());
}

TEST(EventToProto, DurationsGoToWholeSeconds) {
  EXPECT_EQ(BodyFromKind(SpaceAsked{90 * 60 * 1000, ""}).space_request().duration_s(), 90 * 60);
  Proposed p;
  p.text = "walks";
  p.review_every_ms = int64_t{14} * 86400 * 1000;
  EXPECT_EQ(BodyFromKind(p).proposal().review_every_s(), 14 * 86400);
}

// The scope of each kind, stated once here as SPEC §3 states it (not by field numbers).
TEST(ScopeOf, IsSharedPrivateOrControlPerKind) {
  const log::DeviceKey key = testing::KeyFor("alice");
  const log::EntryId id = testing::KeyFor("entry");
  const std::vector<std::pair<EventKind, log::Scope>> expected = {
      {NeedAdded{"n"}, log::Scope::kShared},
      {BoundaryAdded{"b", false}, log::Scope::kShared},
      {Proposed{}, log::Scope::kShared},
      {Accepted{id, id}, log::Scope::kShared},
      {Declined{id, id, ""}, log::Scope::kShared},
      {Retired{id, ""}, log::Scope::kShared},
      {SpaceAsked{1000, ""}, log::Scope::kShared},
      {SpaceAcked{id, ""}, log::Scope::kShared},
      {SpaceEnded{id}, log::Scope::kShared},
      {CheckedIn{1, "", std::nullopt}, log::Scope::kShared},
      {Appreciated{"a"}, log::Scope::kShared},
      {Retracted{id, ""}, log::Scope::kShared},
      {Reflected{"r"}, log::Scope::kPrivate},
      {PrivateChainStarted{key, Bytes(64, 1)}, log::Scope::kPrivate},
      {Forgot{id}, log::Scope::kPrivate},
      {MemberCreated{key, "A", key, ""}, log::Scope::kControl},
      {MemberAdded{key, "B", key, key, ""}, log::Scope::kControl},
      {DeviceAdded{key, key, ""}, log::Scope::kControl},
      {MemberLeft{key}, log::Scope::kControl},
      {DeviceRemoved{key}, log::Scope::kControl},
      {EpochStarted{1, {}}, log::Scope::kControl},
      {DeviceRekeyed{id, Bytes(64, 1)}, log::Scope::kControl},
      {PersonKeyStarted{1, {}}, log::Scope::kPrivate},
  };
  ASSERT_EQ(expected.size(), static_cast<size_t>(kKinds));
  for (const auto& [kind, scope] : expected) {
    EXPECT_EQ(log::ScopeOf(BodyFromKind(kind)), scope) << "kind " << kind.index();
  }
}

}  // namespace
}  // namespace accord::state
