// accordd: the daemon. Builds one context in main (no globals), runs every piece of state on
// one io_context thread, and shuts down in reverse order on SIGTERM/SIGINT (SPEC §7).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>
#include <iostream>

#include "base/paths.h"
#include "crypto/key_file.h"
#include "crypto/random.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/ipc_server.h"
#include "daemon/logging.h"
#include "daemon/net/peer_manager.h"
#include "daemon/node/node.h"
#include "daemon/node/start_over.h"
#include "daemon/notify/notify_service.h"

namespace accord::daemon {
namespace {

struct Options {
  std::string home;
  std::string listen;
  std::vector<std::string> peers;
  bool no_discovery = false;
  bool verbose = false;
  bool start_over = false;
  bool rekey = false;
  std::string notify = "quiet";  // none | quiet | full (SPEC §7)
  int ipc_idle_ms = 60000;       // hidden: tests shorten the local socket's idle timeout
};

// Everything the daemon owns, in start-up order; destroyed in reverse.
struct Context {
  Options options;
  InstancePaths paths;
  int lock_fd = -1;
  asio::io_context io{1};
  std::unique_ptr<Node> node;
  std::unique_ptr<PeerManager> peers;
  std::unique_ptr<Handlers> handlers;
  std::unique_ptr<IpcServer> ipc;
  std::unique_ptr<NotifyService> notify;  // none with --notify none

  ~Context() {
    if (lock_fd >= 0) ::close(lock_fd);
  }
};

// No core dumps and no same-uid ptrace: secrets live in this process (SECURITY §6.1).
void HardenProcess() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
  ::umask(077);
}

// One daemon per home: a second one would race the first for sequence numbers.
Status LockInstance(Context& ctx) {
  std::filesystem::path lock = ctx.paths.data_dir / "accordd.lock";
  ctx.lock_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (ctx.lock_fd < 0) return MakeError(ErrorCode::kIo, "cannot open " + lock.native());
  if (::flock(ctx.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    return MakeError(ErrorCode::kAlreadyExists,
                     "another accordd is already running for " + ctx.paths.data_dir.native());
  }
  return Status::Ok();
}

Status Start(Context& ctx) {
  ACCORD_RETURN_IF_ERROR(crypto::EnsurePrivateDir(ctx.paths.data_dir));
  ACCORD_RETURN_IF_ERROR(LockInstance(ctx));
  if (ctx.options.start_over) {
    // Under the instance lock, before the store is opened: no other accordd is using it.
    Result<std::optional<std::filesystem::path>> aside =
        SetStoreAside(ctx.paths, SystemClock().NowMs());
    if (!aside.ok()) return aside.error();
    if (*aside) {
      LogWarning("--start-over: the old store and keys were moved to " + (*aside)->native() +
                 " (nothing was deleted); this is now a new device: run accord init");
    } else {
      LogInfo("--start-over: there was no store to move aside");
    }
  }
  if (ctx.options.rekey) {
    // Under the instance lock: the home is opened, re-keyed and closed before serving.
    Result<Node::Rekeyed> rekeyed = Node::RekeyHome(ctx.paths, SystemClock());
    if (!rekeyed.ok()) return rekeyed.error();
    LogWarning("--rekey: this device's feed forked at seq " +
               std::to_string(rekeyed->forked_at_seq) + " and stays frozen; device " +
               ToHex(rekeyed->old_device).substr(0, 8) + " is now device " +
               ToHex(rekeyed->new_device).substr(0, 8) +
               ", vouched for by the old key (its old key file is kept beside the new one)");
  }
  Result<std::unique_ptr<Node>> node = Node::Open(ctx.paths, SystemClock());
  if (!node.ok()) return node.error();
  ctx.node = std::move(*node);
  ctx.peers = std::make_unique<PeerManager>(
      ctx.io, *ctx.node,
      NetworkOptions{.listen = ctx.options.listen,
                     .kept_port_file = ctx.paths.data_dir / "peer-port",
                     .peers = ctx.options.peers,
                     .discovery = !ctx.options.no_discovery});
  ACCORD_RETURN_IF_ERROR(ctx.peers->Start());
  for (const std::string& address : ctx.peers->ListenAddresses())
    LogInfo("listening for peers on " + address);
  ctx.handlers = std::make_unique<Handlers>(*ctx.node, ctx.peers.get());
  Result<std::unique_ptr<IpcServer>> ipc = IpcServer::Listen(
      ctx.io, ctx.paths.socket_dir, ctx.paths.socket, *ctx.handlers,
      IpcLimits{.idle_timeout = std::chrono::milliseconds(ctx.options.ipc_idle_ms)});
  if (!ipc.ok()) return ipc.error();
  ctx.ipc = std::move(*ipc);
  const notify::Mode mode = notify::ParseMode(ctx.options.notify).value_or(notify::Mode::kQuiet);
  if (mode != notify::Mode::kNone)
    ctx.notify = std::make_unique<NotifyService>(ctx.io, *ctx.node, mode);
  return Status::Ok();
}

int Run(int argc, char** argv) {
  HardenProcess();
  if (!crypto::Init()) {
    LogError("libsodium failed to initialise");
    return 1;
  }
  Context ctx;
  CLI::App app{"accordd: the accord daemon (runs in the foreground; systemd supervises it)"};
  app.name("accordd");
  app.set_version_flag("--version", "accordd " ACCORD_VERSION, "print the version and exit");
  app.add_option("--home", ctx.options.home, "instance directory: data, keys and socket");
  app.add_option("--listen", ctx.options.listen,
                 "HOST:PORT for peer sync (port 0 picks one; default: every interface, on a "
                 "port picked once and kept in the home)");
  app.add_option("--peer", ctx.options.peers, "HOST:PORT of a partner's daemon (repeatable)");
  app.add_flag("--no-discovery", ctx.options.no_discovery, "do not send or listen for LAN beacons");
  app.add_flag("-v,--verbose", ctx.options.verbose, "debug logging");
  app.add_flag("--start-over", ctx.options.start_over,
               "move this instance's database and keys aside (into DATA_DIR/set-aside-TIME; "
               "nothing is deleted) and run as a new device; for a lost or damaged key file. "
               "Run it once, by hand");
  app.add_flag("--rekey", ctx.options.rekey,
               "after this device's own feed forked (a home restored from an older copy): "
               "give it a new key, vouched for by the old one, and run on. Run it once, by "
               "hand")
      ->excludes("--start-over");
  app.add_option("--notify", ctx.options.notify,
                 "desktop notifications for the partner's requests, proposals, acceptances and "
                 "retirements and for due reviews: none, quiet (who and what, never their words; "
                 "the default) or full (their words too)")
      ->check(CLI::IsMember({"none", "quiet", "full"}));
  app.add_option("--ipc-idle-ms", ctx.options.ipc_idle_ms)
      ->check(CLI::Range(100, 3600000))
      ->group("");  // for tests: how long a local connection may take to send a request
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "accordd: error: " << e.what() << " (see accordd --help)\n";
    return 2;
  }
  SetVerbose(ctx.options.verbose);
  RouteProtobufLogs();

  Result<InstancePaths> paths = ResolveInstancePaths(
      ctx.options.home.empty() ? std::nullopt : std::optional<std::string>(ctx.options.home));
  if (!paths.ok()) {
    LogError(paths.error().message);
    return 2;
  }
  ctx.paths = *paths;

  if (Status s = Start(ctx); !s.ok()) {
    LogError(s.error().message);
    return 1;
  }

  asio::signal_set signals(ctx.io, SIGINT, SIGTERM);
  signals.async_wait([&ctx](std::error_code ec, int signal) {
    if (ec) return;
    LogInfo(signal == SIGTERM ? "SIGTERM: shutting down" : "SIGINT: shutting down");
    ::sd_notify(0, "STOPPING=1");
    if (ctx.ipc) ctx.ipc->Stop();
    if (ctx.peers) ctx.peers->Stop();
    ctx.io.stop();
  });

  LogInfo("serving " + ctx.paths.socket.native());
  ::sd_notify(0, "READY=1");
  ctx.io.run();

  ctx.notify.reset();
  ctx.ipc.reset();
  ctx.handlers.reset();
  ctx.peers.reset();
  ctx.node.reset();
  LogInfo("stopped");
  return 0;
}

}  // namespace
}  // namespace accord::daemon

int main(int argc, char** argv) { return accord::daemon::Run(argc, argv); }
