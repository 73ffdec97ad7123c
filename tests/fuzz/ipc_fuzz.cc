// The local socket's request path (daemon/ipc): bytes a local client writes, through a real
// IpcSession (u32 frames, the size cap, Request parse, protocol check) into Handlers::Handle
// against a real Node on a temporary home (tmpfs when there is one), initialised once as
// "Alice". Input: the raw byte stream of one connection. Invariants: every byte the daemon
// sends back is whole u32-framed Responses (within the frame cap) that parse; the node keeps
// its identity. Requests that end or replace the identity (init, leave, forget,
// remove-device) are skipped, so one input cannot make every later one meaningless; the node's
// log still grows across inputs (a crash then reproduces from the input in most cases, not all:
// see docs/fuzzing.md).
#include <asio.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "base/frame.h"
#include "base/paths.h"
#include "crypto/private_file.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/ipc_server.h"
#include "daemon/node/clock.h"
#include "daemon/node/node.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
namespace fuzz = accord::fuzz;
namespace daemon = accord::daemon;
namespace proto = accord::proto;
namespace fs = std::filesystem;

class FuzzClock final : public daemon::Clock {
 public:
  int64_t NowMs() const override { return 1'780'000'000'000; }
};

struct World {
  fs::path home;
  FuzzClock clock;
  asio::io_context io;
  std::unique_ptr<daemon::Node> node;
  std::unique_ptr<daemon::Handlers> handlers;
};

World& W() {
  static World* world = [] {
    auto* w = new World;
    const char* base = fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string name = std::string(base) + "/accord-fuzz-ipc-XXXXXX";
    if (mkdtemp(name.data()) == nullptr) fuzz::Fail("mkdtemp");
    w->home = name;
    static const fs::path made = name;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(made, ec);
    });
    accord::Result<accord::InstancePaths> paths = accord::ResolveInstancePaths(name);
    if (!paths.ok() || !accord::crypto::EnsurePrivateDir(paths->data_dir).ok())
      fuzz::Fail("no instance paths");
    fuzz::ResetRandom(0x1bc);
    accord::Result<std::unique_ptr<daemon::Node>> node = daemon::Node::Open(*paths, w->clock);
    if (!node.ok()) fuzz::Fail("the node does not open");
    w->node = std::move(*node);
    if (!w->node->Init("Alice", "laptop").ok()) fuzz::Fail("the node does not init");
    w->handlers = std::make_unique<daemon::Handlers>(*w->node, /*peers=*/nullptr);
    return w;
  }();
  return *world;
}

Bytes Frame(const proto::Request& request) {
  const std::string payload = request.SerializeAsString();
  return accord::EncodeFrame(accord::AsBytes(payload));
}

std::vector<Bytes> Seeds() {
  std::vector<Bytes> seeds;
  auto add = [&](auto fill) {
    proto::Request q;
    q.set_protocol(accord::kIpcProtocolVersion);
    fill(q);
    seeds.push_back(Frame(q));
  };
  add([](proto::Request& q) { q.mutable_status(); });
  add([](proto::Request& q) { q.mutable_add_need()->set_text("I need quiet mornings"); });
  add([](proto::Request& q) { q.mutable_list_notes(); });
  add([](proto::Request& q) {
    q.mutable_propose()->set_text("walks on sunday");
    q.mutable_propose()->set_schedule("sun 10:00-12:00");
    q.mutable_propose()->set_time_zone("Europe/Berlin");
    q.mutable_propose()->set_review_every("2w");
  });
  add([](proto::Request& q) { q.mutable_list_agreements(); });
  add([](proto::Request& q) { q.mutable_ask_space()->set_duration("90m"); });
  add([](proto::Request& q) { q.mutable_check_in()->set_feeling(4); });
  add([](proto::Request& q) { q.mutable_due(); });
  add([](proto::Request& q) { q.mutable_log(); });
  add([](proto::Request& q) { q.mutable_export_(); });
  add([](proto::Request& q) { q.mutable_devices(); });
  add([](proto::Request& q) { q.mutable_safety_number(); });
  // Two requests on one connection, and one of another protocol.
  Bytes two = seeds[0];
  accord::AppendBytes(two, seeds[2]);
  seeds.push_back(two);
  proto::Request old;
  old.set_protocol(99);
  old.mutable_status();
  seeds.push_back(Frame(old));
  return seeds;
}

// The requests the harness leaves out (see the header comment), by a parse of its own.
bool Skipped(const uint8_t* data, size_t size) {
  for (size_t pos = 0; pos + 4 <= size;) {
    const size_t length = size_t{data[pos]} << 24 | size_t{data[pos + 1]} << 16 |
                          size_t{data[pos + 2]} << 8 | data[pos + 3];
    pos += 4;
    const size_t take = std::min(length, size - pos);
    proto::Request q;
    if (q.ParseFromArray(data + pos, static_cast<int>(take))) {
      switch (q.command_case()) {
        case proto::Request::kInit:
        case proto::Request::kLeave:
        case proto::Request::kForget:
        case proto::Request::kRemoveDevice:
          return true;
        default:
          break;
      }
    }
    pos += take;
  }
  return false;
}

// Runs the daemon side until it has nothing ready, a bounded number of rounds.
void Settle(asio::io_context& io) {
  for (int i = 0; i < 200; ++i) {
    io.restart();
    if (io.poll() == 0) return;
  }
}

// Reads what the daemon sends until nothing more comes (bounded).
Bytes Drain(asio::io_context& io, asio::local::stream_protocol::socket& socket) {
  Bytes out;
  Settle(io);
  std::error_code ec;
  for (int i = 0; i < 4096 && socket.available(ec) > 0 && !ec; ++i) {
    uint8_t chunk[65536];
    const size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    out.insert(out.end(), chunk, chunk + n);
    Settle(io);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::WriteSeedsIfAsked("ipc", Seeds);
  W();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536 || Skipped(data, size)) return 0;
  World& w = W();
  fuzz::ResetRandom(size);
  asio::local::stream_protocol::socket ours(w.io), theirs(w.io);
  asio::local::connect_pair(ours, theirs);
  auto session = std::make_shared<daemon::IpcSession>(std::move(ours), *w.handlers);
  session->Start();
  asio::write(theirs, asio::buffer(data, size));
  // First with the connection still open: every answer the input asked for is written whole.
  const Bytes answer = Drain(w.io, theirs);
  // Then the end of the connection (possibly mid-frame), as a client that goes away does; what
  // the daemon sends after that is not checked (it may stop mid-write).
  theirs.shutdown(asio::socket_base::shutdown_send);
  Drain(w.io, theirs);
  session->Close();
  Settle(w.io);

  size_t responses = 0;
  for (size_t pos = 0; pos < answer.size(); ++responses) {
    fuzz::Check(answer.size() - pos >= accord::kFrameHeaderBytes, "a cut response frame header");
    uint8_t header[accord::kFrameHeaderBytes];
    std::copy_n(answer.begin() + static_cast<std::ptrdiff_t>(pos), 4, header);
    accord::Result<uint32_t> length = accord::DecodeFrameLength(header);
    fuzz::Check(length.ok(), "a response frame over the cap");
    pos += accord::kFrameHeaderBytes;
    fuzz::Check(answer.size() - pos >= *length, "a cut response frame");
    proto::Response r;
    fuzz::Check(r.ParseFromArray(answer.data() + pos, static_cast<int>(*length)),
                "a response that does not parse");
    pos += *length;
  }
  fuzz::Check(w.node->has_identity(), "a request cost the node its identity");
  fuzz::Explain("responses: " + std::to_string(responses));
  return 0;
}
