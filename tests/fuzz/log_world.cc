#include "tests/fuzz/log_world.h"

#include <string>

#include "tests/fuzz/fuzz_support.h"

namespace accord::fuzz {
namespace {

constexpr uint64_t kWorldSeed = 0x5eed0f10c0ffee;

std::string Str(ByteView b) { return std::string(AsChars(b)); }

LogWorld* Build() {
  ResetRandom(kWorldSeed);
  auto* w = new LogWorld;
  log::testing::TestFeed& feed = w->feed;
  auto hold = [&](int device, const proto::Body& body) {
    w->held.push_back(feed.Write(device, body));
    w->log.Add(w->held.back());
  };
  hold(0, log::testing::MemberCreatedBody(feed.device(0), "alice"));
  hold(1, log::testing::MemberCreatedBody(feed.device(1), "bob"));
  hold(0, log::testing::NeedBody("quiet mornings"));
  w->log.Know(feed.device(0));
  w->log.Know(feed.device(1));

  // The fork: device 0 again at seq 2, with another body.
  feed.Rewind(0, log::FeedHead{w->held[0].header.seq, w->held[0].id});
  w->fork = feed.Write(0, log::testing::NeedBody("a different second entry"));
  feed.Rewind(0, log::FeedHead{w->held[2].header.seq, w->held[2].id});

  const std::vector<proto::Body> bodies = SampleBodies(*w);
  // pending[0]: device 0's next entry; pending[1]: device 1's; pending[2]: the unknown device.
  const proto::Body& proposal = bodies[2];
  w->pending.push_back(feed.Write(0, proposal));
  w->pending_bodies.push_back(proposal);
  w->pending.push_back(feed.Write(1, bodies[4]));
  w->pending_bodies.push_back(bodies[4]);
  w->pending.push_back(feed.Write(2, bodies[0]));
  w->pending_bodies.push_back(bodies[0]);
  // A private entry of device 1 (its person key), after its shared one.
  w->pending_bodies.push_back(log::testing::ReflectionBody("only for me"));
  w->pending.push_back(feed.Write(1, w->pending_bodies.back()));
  return w;
}

}  // namespace

const LogWorld& World() {
  static const LogWorld* world = Build();
  return *world;
}

std::vector<proto::Body> SampleBodies(const LogWorld& world) {
  std::vector<proto::Body> out;
  const std::string some_id = Str(world.held[2].id);
  out.push_back(log::testing::NeedBody("more time together"));  // 0
  proto::Body b;
  b.mutable_boundary()->set_text("no phones at dinner");
  b.mutable_boundary()->set_during_space(true);
  out.push_back(b);  // 1
  b.Clear();
  b.mutable_proposal()->set_text("walk on sundays");
  proto::Schedule* schedule = b.mutable_proposal()->mutable_schedule();
  schedule->set_spec("sun 10:00-12:00");
  schedule->set_time_zone("Europe/Berlin");
  schedule->set_weekdays(1u << 6);
  schedule->set_start_minute(600);
  schedule->set_end_minute(720);
  schedule->set_every_weeks(1);
  schedule->set_anchor_day(4);  // 1970-01-05, a Monday
  b.mutable_proposal()->set_review_every_s(14 * 24 * 3600);
  out.push_back(b);  // 2
  b.Clear();
  b.mutable_acceptance()->set_agreement_id(some_id);
  b.mutable_acceptance()->set_version(some_id);
  out.push_back(b);  // 3
  b.Clear();
  b.mutable_check_in()->set_feeling(4);
  b.mutable_check_in()->set_note("good week");
  out.push_back(b);  // 4
  b.Clear();
  b.mutable_space_request()->set_duration_s(5400);
  b.mutable_space_request()->set_message("need a walk");
  out.push_back(b);  // 5
  b.Clear();
  b.mutable_space_ack()->set_request_id(some_id);
  b.mutable_space_ack()->set_note("ok");
  out.push_back(b);  // 6
  b.Clear();
  b.mutable_appreciation()->set_text("thanks for dinner");
  b.set_original_time_ms(1'600'000'000'000);
  out.push_back(b);  // 7
  b.Clear();
  b.mutable_retract()->set_target_id(some_id);
  out.push_back(b);                                                  // 8
  out.push_back(log::testing::ReflectionBody("a private thought"));  // 9
  const std::string x25519(32, 'x');
  out.push_back(log::testing::MemberAddedBody(world.feed.device(2), "carol"));  // 10
  out.back().mutable_member_added()->set_device_x25519(x25519);
  out.back().mutable_member_added()->set_device_name("carol's phone");
  out.push_back(log::testing::DeviceAddedBody(world.feed.device(2)));  // 11
  out.back().mutable_device_added()->set_device_x25519(x25519);
  out.back().mutable_device_added()->set_device_name("laptop");
  out.push_back(log::testing::MemberCreatedBody(world.feed.device(0), "alice"));  // 12
  out.back().mutable_member_created()->set_device_x25519(x25519);
  out.back().mutable_member_created()->set_device_name("alice's phone");
  return out;
}

Bytes Serialize(const google::protobuf::MessageLite& message) {
  Bytes out(message.ByteSizeLong());
  if (!out.empty()) message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

}  // namespace accord::fuzz
