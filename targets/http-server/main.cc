// http-server: a small HTTP/1.1 keep-alive server used as a target by the stampede harness.
//
//   http-server --port P [--host 127.0.0.1] [--backend epoll|poll|uring|threads]
//               [--bug none|unsafe-cache|shutdown-race|accept-once|reload-race|drain-busy]
//               [--workers N]
//
// Prints "listening on HOST:PORT" on stdout once the socket listens, serves until SIGINT,
// SIGTERM or GET /shutdown, then stops gracefully (stops accepting, closes idle connections, logs
// "wait for all connections to close (N open)" on stderr and waits until every connection has
// closed) and exits 0. Exit codes: 0 after a graceful stop, 1 on a runtime error (e.g. the port
// is taken), 2 on bad usage (including a host that is not loopback). With --bug shutdown-race
// (threads backend) the stop may hang forever instead; with --bug accept-once (epoll backend)
// connections may stay unaccepted while the server runs. SIGHUP reloads the route table (and logs
// "http-server: routes reloaded (generation N)"); with --bug reload-race a request served during a
// reload may abort the process. With --bug drain-busy (threads backend) a stop hangs while a
// client keeps sending on its keep-alive connection.
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "connection_tracker.h"
#include "flags.h"
#include "net.h"
#include "route_cache.h"
#include "route_reloader.h"
#include "route_table.h"
#include "server.h"
#include "stop_signal.h"

namespace {

constexpr const char* kUsage =
    "usage: http-server --port P [--host 127.0.0.1] [--backend epoll|poll|uring|threads]\n"
    "                   [--bug none|unsafe-cache|shutdown-race|accept-once|reload-race|\n"
    "                   drain-busy] [--workers N]\n"
    "  --port P      TCP port to listen on (0 picks a free one; the startup line shows it)\n"
    "  --host H      loopback address only: 127.0.0.0/8, ::1 or localhost (default 127.0.0.1)\n"
    "  --backend B   epoll (default; one thread, epoll), poll (one thread, poll),\n"
    "                uring (one thread, io_uring) or threads (one thread per connection)\n"
    "  --bug M       a deliberate race bug; most modes break one backend only (the others\n"
    "                ignore it, or are single-threaded and unharmed):\n"
    "                none (default, correct);\n"
    "                unsafe-cache (threads): the route cache loses its lock, so the server\n"
    "                corrupts its heap under parallel requests;\n"
    "                shutdown-race (threads): a graceful stop (SIGTERM, GET /shutdown) can miss\n"
    "                the close of the last connection and hang forever in \"wait for all\n"
    "                connections to close\" (in some start/stop cycles, not all);\n"
    "                accept-once (epoll): the listening socket is edge-triggered and only one\n"
    "                connection is accepted per notification, so after a burst of connections\n"
    "                the queued ones (and every later one) may stay unaccepted;\n"
    "                reload-race (all backends): SIGHUP swaps the route table through a plain\n"
    "                pointer and retires the old one at once, so a request served during a\n"
    "                reload may use the retired table and abort (SIGABRT);\n"
    "                drain-busy (threads): a graceful stop waits for each keep-alive\n"
    "                connection to go quiet (300 ms without a request) and keeps serving it\n"
    "                meanwhile, so a client that keeps sending holds the stop forever\n"
    "  --workers N   threads backend: at most N connection threads at once (default 0 =\n"
    "                unlimited); further connections wait in the listen backlog until one\n"
    "                closes, and an idle keep-alive connection keeps its thread. The other\n"
    "                backends are single-threaded and ignore it\n"
    "Signals: SIGINT or SIGTERM stop gracefully; SIGHUP reloads the route table.\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  Backend backend = Backend::kEpoll;
  BugMode bug = BugMode::kNone;
  int workers = 0;
};

std::optional<BugMode> ParseBugMode(std::string_view value) {
  if (value == "none") return BugMode::kNone;
  if (value == "unsafe-cache") return BugMode::kUnsafeCache;
  if (value == "shutdown-race") return BugMode::kShutdownRace;
  if (value == "accept-once") return BugMode::kAcceptOnce;
  if (value == "reload-race") return BugMode::kReloadRace;
  if (value == "drain-busy") return BugMode::kDrainBusy;
  return std::nullopt;
}

std::optional<Backend> ParseBackend(std::string_view value) {
  if (value == "epoll") return Backend::kEpoll;
  if (value == "poll") return Backend::kPoll;
  if (value == "uring") return Backend::kUring;
  if (value == "threads") return Backend::kThreads;
  return std::nullopt;
}

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  if (flag == "--host") {
    options->host = value;
  } else if (flag == "--port") {
    std::optional<int> port = ParseInt(value, 0, 65535);
    if (!port) return false;
    options->port = *port;
  } else if (flag == "--backend") {
    std::optional<Backend> backend = ParseBackend(value);
    if (!backend) return false;
    options->backend = *backend;
  } else if (flag == "--bug") {
    std::optional<BugMode> bug = ParseBugMode(value);
    if (!bug) return false;
    options->bug = *bug;
  } else if (flag == "--workers") {
    std::optional<int> workers = ParseInt(value, 0, 1 << 20);
    if (!workers) return false;
    options->workers = *workers;
  } else {
    return false;
  }
  return true;
}

// Parses argv ("--flag value" or "--flag=value"). Returns nullopt after printing a message.
std::optional<Options> ParseFlags(int argc, char** argv) {
  Options options;
  auto apply = [&options](std::string_view flag, std::string_view value) {
    return ApplyFlag(flag, value, &options);
  };
  if (!ParseFlagPairs(argc, argv, "http-server", kUsage, apply)) return std::nullopt;
  if (options.port < 0) {
    std::fprintf(stderr, "http-server: --port is required\n%s", kUsage);
    return std::nullopt;
  }
  return options;
}

int RunBackend(Backend backend, const ServerContext& context) {
  switch (backend) {
    case Backend::kEpoll:
      return RunEpollBackend(context);
    case Backend::kPoll:
      return RunPollBackend(context);
    case Backend::kUring:
      return RunUringBackend(context);
    case Backend::kThreads:
      return RunThreadsBackend(context);
  }
  return 1;
}

int Serve(const Options& options, const LoopbackAddress& address) {
  RouteTables routes(options.bug == BugMode::kReloadRace ? RouteTables::Publication::kRawPointer
                                                         : RouteTables::Publication::kSynchronized);
  StopSignal stop;
  RouteReloader reloader;  // Joined before `routes` goes away.
  std::string error;
  if (!stop.Open(&error) || !reloader.Open(&error)) {
    std::fprintf(stderr, "http-server: %s\n", error.c_str());
    return 1;
  }
  int listen_fd = ListenAndAnnounce("http-server", address, options.port);
  if (listen_fd < 0) return 1;

  RouteCache cache(options.bug == BugMode::kUnsafeCache ? RouteCache::Locking::kNone
                                                        : RouteCache::Locking::kMutex);
  ConnectionTracker connections(options.bug == BugMode::kShutdownRace
                                    ? ConnectionTracker::Mode::kShutdownRace
                                    : ConnectionTracker::Mode::kCorrect);
  ServerContext context;
  context.listen_fd = listen_fd;
  context.stop = &stop;
  context.cache = &cache;
  context.routes = &routes;
  context.connections = &connections;
  context.max_connection_threads = options.workers;
  context.accept_once = options.bug == BugMode::kAcceptOnce;
  context.drain_busy = options.bug == BugMode::kDrainBusy;
  reloader.Start(&routes);
  int status = RunBackend(options.backend, context);
  reloader.Stop();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  LoopbackAddress address;
  if (!ParseLoopbackHost(options->host, options->port, &address)) {
    std::fprintf(stderr, "http-server: refusing host '%s': only loopback addresses are allowed\n",
                 options->host.c_str());
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return Serve(*options, address);
}
