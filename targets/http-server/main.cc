// http-server: a small HTTP/1.1 keep-alive server used as a target by the stampede harness.
//
//   http-server --port P [--host 127.0.0.1] [--backend epoll|threads]
//               [--bug none|unsafe-cache] [--workers N]
//
// Prints "listening on HOST:PORT" on stdout once the socket listens, serves until SIGINT,
// SIGTERM or GET /shutdown, then stops gracefully and exits 0. Exit codes: 0 after a graceful
// stop, 1 on a runtime error (e.g. the port is taken), 2 on bad usage (including a host that is
// not loopback).
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "flags.h"
#include "net.h"
#include "route_cache.h"
#include "server.h"
#include "stop_signal.h"

namespace {

constexpr const char* kUsage =
    "usage: http-server --port P [--host 127.0.0.1] [--backend epoll|threads]\n"
    "                   [--bug none|unsafe-cache] [--workers N]\n"
    "  --port P      TCP port to listen on (0 picks a free one; the startup line shows it)\n"
    "  --host H      loopback address only: 127.0.0.0/8, ::1 or localhost (default 127.0.0.1)\n"
    "  --backend B   epoll (default; one thread) or threads (one thread per connection)\n"
    "  --bug M       none (default) or unsafe-cache: the route cache loses its lock, so the\n"
    "                threads backend corrupts its heap under parallel requests (deliberate)\n"
    "  --workers N   threads backend: at most N connection threads at once (default 0 =\n"
    "                unlimited); further connections wait in the listen backlog until one\n"
    "                closes, and an idle keep-alive connection keeps its thread. The epoll\n"
    "                backend is single-threaded and ignores it\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  Backend backend = Backend::kEpoll;
  BugMode bug = BugMode::kNone;
  int workers = 0;
};

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  if (flag == "--host") {
    options->host = value;
  } else if (flag == "--port") {
    std::optional<int> port = ParseInt(value, 0, 65535);
    if (!port) return false;
    options->port = *port;
  } else if (flag == "--backend" && (value == "epoll" || value == "threads")) {
    options->backend = value == "epoll" ? Backend::kEpoll : Backend::kThreads;
  } else if (flag == "--bug" && (value == "none" || value == "unsafe-cache")) {
    options->bug = value == "none" ? BugMode::kNone : BugMode::kUnsafeCache;
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

int Serve(const Options& options, const LoopbackAddress& address) {
  StopSignal stop;
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "http-server: %s\n", error.c_str());
    return 1;
  }
  int listen_fd = ListenAndAnnounce("http-server", address, options.port);
  if (listen_fd < 0) return 1;

  RouteCache cache(options.bug == BugMode::kUnsafeCache ? RouteCache::Locking::kNone
                                                        : RouteCache::Locking::kMutex);
  ServerContext context;
  context.listen_fd = listen_fd;
  context.stop = &stop;
  context.cache = &cache;
  context.max_connection_threads = options.workers;
  return options.backend == Backend::kEpoll ? RunEpollBackend(context) : RunThreadsBackend(context);
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
