// Two real daemons syncing over loopback (SPEC §5): the initial sync of 100,000 entries, the
// latency of one entry from a write on A to B's watch, and the bytes on the wire for one new
// entry when 100,000 are shared. One pair of daemons serves all three, in this order.
#include <benchmark/benchmark.h>
#include <google/protobuf/util/json_util.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "accord/ipc.pb.h"
#include "base/frame.h"
#include "bench/bench_support.h"
#include "bench/tcp_tap.h"
#include "tests/integration/ipc_pipe.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kSharedEntries = 100000;  // entries A writes before B joins
constexpr int kPollMs = 50;                // ms between polls while waiting
constexpr int kSyncLimitS = 600;           // s: an initial sync slower than this is a failure
constexpr int kReplyMs = 10000;            // ms to wait for one IPC answer or watch event
constexpr int kQuietMs = 300;              // ms without a byte on the tap: the exchange is over
constexpr int kProbes = 200;               // writes timed by BM_PropagationLatency

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A raw client of a daemon's local socket: u32be-length-prefixed proto Request/Response.
class Ipc {
 public:
  explicit Ipc(const std::filesystem::path& socket) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof(addr.sun_path) - 1);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Ipc() {
    if (fd_ >= 0) ::close(fd_);
  }
  Ipc(const Ipc&) = delete;
  Ipc& operator=(const Ipc&) = delete;

  bool Send(proto::Request request) {
    request.set_protocol(1);
    Bytes frame = EncodeFrame(AsBytes(request.SerializeAsString()));
    return fd_ >= 0 && ::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL) ==
                           static_cast<ssize_t>(frame.size());
  }
  // The next response, or nullopt after `ms` or on close.
  std::optional<proto::Response> Read(int ms = kReplyMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (fd_ >= 0) {
      if (buffer_.size() >= kFrameHeaderBytes) {
        const size_t length = GetU32Be(buffer_.data());
        if (buffer_.size() >= kFrameHeaderBytes + length) {
          proto::Response r;
          const bool parsed =
              r.ParseFromArray(buffer_.data() + kFrameHeaderBytes, static_cast<int>(length));
          buffer_.erase(buffer_.begin(), buffer_.begin() + kFrameHeaderBytes + length);
          if (!parsed) return std::nullopt;
          return r;
        }
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      pollfd p{fd_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
      uint8_t chunk[65536];
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return std::nullopt;
      buffer_.insert(buffer_.end(), chunk, chunk + n);
    }
    return std::nullopt;
  }
  std::optional<proto::Response> Call(const proto::Request& request) {
    if (!Send(request)) return std::nullopt;
    std::optional<proto::Response> r = Read();
    if (r && r->error().code() != proto::OK) return std::nullopt;
    return r;
  }

  std::optional<proto::StatusResponse> Status() {
    proto::Request r;
    r.mutable_status();
    std::optional<proto::Response> out = Call(r);
    if (!out) return std::nullopt;
    return out->status();
  }
  uint64_t Entries() {
    std::optional<proto::StatusResponse> s = Status();
    return s ? s->entries() : 0;
  }
  // The first connected peer, as `accord peers` shows it.
  std::optional<proto::PeerView> ConnectedPeer() {
    proto::Request r;
    r.mutable_peers();
    std::optional<proto::Response> out = Call(r);
    if (!out) return std::nullopt;
    for (const proto::PeerView& v : out->peers().peers())
      if (v.state() == proto::PEER_STATE_CONNECTED) return v;
    return std::nullopt;
  }
  bool AddNeed(const std::string& text) {
    proto::Request r;
    r.mutable_add_need()->set_text(text);
    return Call(r).has_value();
  }

 private:
  int fd_ = -1;
  Bytes buffer_;
};

// User + system CPU seconds a process of ours has used so far (/proc/PID/stat).
double CpuSeconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

uint16_t PortOf(const std::string& address) {
  return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

// Daemons A and B of one pact, B paired to A by the real client; B knows A's address.
struct DaemonPair {
  BenchDir dir;  // first member: removed after the daemons are stopped
  std::unique_ptr<testing::Daemon> a;
  std::unique_ptr<testing::Daemon> b;
  std::string a_address;
  double sync_seconds = 0;   // from the join's return to equal entry counts
  double a_cpu_seconds = 0;  // CPU each daemon used in that time
  double b_cpu_seconds = 0;
  std::string error;
};

std::unique_ptr<testing::Daemon> StartDaemon(const std::filesystem::path& home,
                                             const std::string& name) {
  auto d =
      std::make_unique<testing::Daemon>(home, std::vector<std::string>{"--listen", "127.0.0.1:0"});
  if (!d->Start()) return nullptr;
  if (!name.empty() && d->Accord({"init", "--name", name}).exit_code != 0) return nullptr;
  return d;
}

std::unique_ptr<DaemonPair> BuildPair(size_t shared) {
  auto p = std::make_unique<DaemonPair>();
  auto fail = [&p](std::string why) {
    p->error = std::move(why);
    return std::move(p);
  };
  p->a = StartDaemon(p->dir.path() / "a", "Avery");
  if (!p->a) return fail("daemon A did not start");
  if (testing::WriteNeeds(p->a->socket(), shared) != shared) {
    return fail("writing the needs on A failed");
  }
  p->b = StartDaemon(p->dir.path() / "b", "Blake");
  if (!p->b) return fail("daemon B did not start");
  Ipc a(p->a->socket()), b(p->b->socket());
  std::optional<proto::StatusResponse> status = a.Status();
  if (!status) return fail("no status from A");
  p->a_address = status->listen_address();

  testing::CommandResult invite = p->a->Accord({"--json", "invite", "--no-wait"});
  proto::Response opened;
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  if (invite.exit_code != 0 ||
      !google::protobuf::util::JsonStringToMessage(invite.out, &opened, lenient).ok()) {
    return fail("accord invite failed: " + invite.err);
  }
  testing::CommandResult join =
      p->b->Accord({"--json", "join", opened.invite().code(), "--peer", p->a_address});
  const auto joined = Clock::now();
  const double a_cpu = CpuSeconds(p->a->pid()), b_cpu = CpuSeconds(p->b->pid());
  if (join.exit_code != 0) return fail("accord join failed: " + join.err);
  // B is polled with `peers`, which is cheap: a status request folds a view and hashes a
  // digest of the whole log (status_ms_after_change), and polling with it would slow the very
  // receiver being measured. Once B reports everything announced as stored, one status on
  // each side (not timed) confirms equal entry counts.
  while (SecondsSince(joined) < kSyncLimitS) {
    std::optional<proto::PeerView> from_a = b.ConnectedPeer();
    if (from_a && from_a->received() >= shared && from_a->receiving_total() <= from_a->received()) {
      const double seconds = SecondsSince(joined);
      const double a_used = CpuSeconds(p->a->pid()) - a_cpu;
      const double b_used = CpuSeconds(p->b->pid()) - b_cpu;
      const uint64_t on_a = a.Entries();
      if (on_a > shared && b.Entries() == on_a) {
        p->sync_seconds = seconds;
        p->a_cpu_seconds = a_used;
        p->b_cpu_seconds = b_used;
        return p;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  return fail("the initial sync did not finish");
}

std::unique_ptr<DaemonPair>& SharedPairSlot() {
  static std::unique_ptr<DaemonPair> pair;
  return pair;
}

// The pair BM_InitialSync100k built, or a new one when that benchmark was filtered out.
DaemonPair* SharedPair(benchmark::State& state) {
  std::unique_ptr<DaemonPair>& slot = SharedPairSlot();
  if (!slot) slot = BuildPair(kSharedEntries);
  if (!slot->error.empty()) {
    state.SkipWithError(slot->error.c_str());
    return nullptr;
  }
  return slot.get();
}

// B holds 100,000 of A's entries by the end: timed from the join's return (pairing is done,
// B dials A) until B's entry count equals A's. Items are A's 100,000 needs.
void BM_InitialSync100k(benchmark::State& state) {
  for (auto _ : state) {
    SharedPairSlot() = BuildPair(kSharedEntries);
    const DaemonPair& pair = *SharedPairSlot();
    if (!pair.error.empty()) {
      state.SkipWithError(pair.error.c_str());
      return;
    }
    state.SetIterationTime(pair.sync_seconds);
    state.counters["a_cpu_s"] = pair.a_cpu_seconds;
    state.counters["b_cpu_s"] = pair.b_cpu_seconds;
  }
  state.SetItemsProcessed(static_cast<int64_t>(kSharedEntries));
  // What a status request costs at this size: on A right after a change (the view and the
  // digest of the whole log are recomputed), and on both with nothing changed (cached).
  DaemonPair& pair = *SharedPairSlot();
  Ipc a(pair.a->socket()), b(pair.b->socket());
  constexpr int kStatusSamples = 10;
  double seconds = 0;
  for (int i = 0; i < kStatusSamples; ++i) {
    // A change first: a status right after one recomputes the view and digest (an unchanged
    // state answers from a cache, which is not what a poll during a sync gets).
    if (!a.AddNeed("status sample " + std::to_string(i))) return state.SkipWithError("add failed");
    const auto start = Clock::now();
    if (!a.Status()) return state.SkipWithError("status failed");
    seconds += SecondsSince(start);
  }
  state.counters["status_ms_after_change"] = seconds * 1000 / kStatusSamples;
  const auto start = Clock::now();
  for (int i = 0; i < kStatusSamples; ++i) {
    if (!a.Status() || !b.Status()) return state.SkipWithError("status failed");
  }
  state.counters["status_ms_both_unchanged"] = SecondsSince(start) * 1000 / kStatusSamples;
}
BENCHMARK(BM_InitialSync100k)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

// Until B's watch shows an event whose summary contains `text`.
bool WaitForEvent(Ipc& watch, const std::string& text, int ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  while (Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::optional<proto::Response> r =
        watch.Read(static_cast<int>(std::max<int64_t>(left.count(), 1)));
    if (!r) return false;
    if (r->has_event() && r->event().summary().find(text) != std::string::npos) return true;
  }
  return false;
}

// From sending A's add_need to B's watch delivering that need (write, commit, push, B's
// ingest and commit, fold, watch frame), 200 times on the 100,000-entry pair.
void BM_PropagationLatency(benchmark::State& state) {
  DaemonPair* pair = SharedPair(state);
  if (pair == nullptr) return;
  Ipc watch(pair->b->socket());
  Ipc writer(pair->a->socket());
  proto::Request subscribe;
  subscribe.mutable_watch();
  if (!watch.Send(subscribe)) return state.SkipWithError("cannot open a watch on B");
  // The watch registers asynchronously: write until one write is seen.
  bool watching = false;
  for (int i = 0; i < 50 && !watching; ++i) {
    const std::string text = "warm-up write [" + std::to_string(i) + "]";
    if (!writer.AddNeed(text)) return state.SkipWithError("add_need on A failed");
    watching = WaitForEvent(watch, text, 500);
  }
  if (!watching) return state.SkipWithError("B's watch never showed A's writes");

  std::vector<double> ms, write_ms;
  int probe = 0;
  for (auto _ : state) {
    const std::string text = "latency probe [" + std::to_string(++probe) + "]";
    const auto start = Clock::now();
    if (!writer.AddNeed(text)) return state.SkipWithError("add_need on A failed");
    write_ms.push_back(SecondsSince(start) * 1000);
    if (!WaitForEvent(watch, text, kReplyMs)) return state.SkipWithError("the event never came");
    const double s = SecondsSince(start);
    state.SetIterationTime(s);
    ms.push_back(s * 1000);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(write_ms.begin(), write_ms.end());
  state.counters["median_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[(ms.size() * 99 + 99) / 100 - 1];
  state.counters["max_ms"] = ms.back();
  state.counters["write_median_ms"] = write_ms[write_ms.size() / 2];  // A's answer alone
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PropagationLatency)
    ->Iterations(kProbes)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Both daemons' old ports, each taken over by a tap forwarding to where the daemon listens
// now. Each daemon dials the address it remembers for the other, so every session between
// them, whoever dials, runs through one of the taps.
struct Taps {
  Taps(uint16_t a_old, uint16_t a_now, uint16_t b_old, uint16_t b_now)
      : to_a(a_old, a_now), to_b(b_old, b_now) {}
  bool listening() const { return to_a.listening() && to_b.listening(); }
  uint64_t bytes() const { return to_a.bytes() + to_b.bytes(); }
  uint64_t handshake_bytes() const { return to_a.handshake_bytes() + to_b.handshake_bytes(); }
  uint64_t frame_bytes() const { return to_a.frame_bytes() + to_b.frame_bytes(); }
  uint64_t frames() const { return to_a.frames() + to_b.frames(); }
  uint64_t connections() const { return to_a.connections() + to_b.connections(); }

  TcpTap to_a;
  TcpTap to_b;
};

// Waits until B holds what A holds and the taps have been quiet for kQuietMs.
bool WaitForQuiet(Ipc& a, Ipc& b, const Taps& taps) {
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  uint64_t last = taps.bytes();
  auto quiet_since = Clock::now();
  while (Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    if (taps.bytes() != last) {
      last = taps.bytes();
      quiet_since = Clock::now();
      continue;
    }
    if (Clock::now() - quiet_since < std::chrono::milliseconds(kQuietMs)) continue;
    const uint64_t on_a = a.Entries();
    if (on_a > 0 && b.Entries() == on_a && taps.bytes() == last) return true;
  }
  return false;
}

std::optional<uint16_t> ListenPort(const testing::Daemon& d) {
  std::optional<proto::StatusResponse> status = Ipc(d.socket()).Status();
  if (!status) return std::nullopt;
  return PortOf(status->listen_address());
}

// Bytes on the wire, both directions, for one new entry when 100,000 are shared. Both
// daemons stop; A restarts on a new port and writes one entry while B is away, then B
// restarts on a new port, and taps take both old ports (the addresses each side remembers
// for the other; both sides dial, SPEC §5). Counted: the whole session (type byte, msg1,
// msg2, Hellos, the batch, acks) that brings B the one entry, then one live push on it.
void BM_WireBytesForOneNewEntry(benchmark::State& state) {
  DaemonPair* pair = SharedPair(state);
  if (pair == nullptr) return;
  for (auto _ : state) {
    const std::optional<uint16_t> b_old = ListenPort(*pair->b);
    if (!b_old) return state.SkipWithError("no status from B");
    const uint16_t a_old = PortOf(pair->a_address);
    const std::filesystem::path a_home = pair->a->home(), b_home = pair->b->home();
    pair->b->Stop();
    pair->a->Stop();
    pair->a = StartDaemon(a_home, "");
    if (!pair->a) return state.SkipWithError("A did not restart");
    Ipc a(pair->a->socket());
    if (!a.AddNeed("one entry written while B was away")) {
      return state.SkipWithError("add_need on A failed");
    }
    pair->b = StartDaemon(b_home, "");
    if (!pair->b) return state.SkipWithError("B did not restart");
    Ipc b(pair->b->socket());
    const std::optional<uint16_t> a_now = ListenPort(*pair->a), b_now = ListenPort(*pair->b);
    if (!a_now || !b_now) return state.SkipWithError("no status after the restarts");
    Taps taps(a_old, *a_now, *b_old, *b_now);
    if (!taps.listening()) return state.SkipWithError("a tap cannot take an old port");
    if (!WaitForQuiet(a, b, taps) || taps.connections() == 0) {
      return state.SkipWithError("B did not sync through the taps");
    }
    pair->a_address = "127.0.0.1:" + std::to_string(*a_now);
    state.counters["connections"] = static_cast<double>(taps.connections());
    state.counters["session_bytes"] = static_cast<double>(taps.bytes());
    state.counters["handshake_bytes"] = static_cast<double>(taps.handshake_bytes());
    state.counters["session_frames_bytes"] = static_cast<double>(taps.frame_bytes());

    const uint64_t bytes = taps.bytes(), frames = taps.frames();
    if (!a.AddNeed("one entry pushed live")) return state.SkipWithError("add_need on A failed");
    if (!WaitForQuiet(a, b, taps)) return state.SkipWithError("the push did not arrive");
    state.counters["push_bytes"] = static_cast<double>(taps.bytes() - bytes);
    state.counters["push_frames"] = static_cast<double>(taps.frames() - frames);
    state.counters["shared_entries"] = static_cast<double>(a.Entries());
  }
}
BENCHMARK(BM_WireBytesForOneNewEntry)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace accord::bench
