// resp-proxy: a RESP proxy used as a target by the stampede harness.
//
//   resp-proxy --port P --upstream-port U [--host 127.0.0.1] [--backend uring|epoll]
//              [--bug none|pending-recv|split-reply]
//
// Relays every connection accepted on HOST:P to its own connection to the upstream server at
// HOST:U (it sits in front of resp-server): requests unchanged, replies one whole reply at a time
// (decoded and encoded again, see proxy.h). --backend picks the I/O backend. Prints "listening on
// HOST:PORT" on stdout once the socket listens, relays until SIGINT or SIGTERM, then stops and
// exits 0. Exit codes: 0 after a stop, 1 on a runtime error (e.g. the port is taken), 2 on bad
// usage (including a host that is not loopback). With --bug pending-recv the uring backend aborts
// (SIGABRT) on its first relayed request: "Assertion `!cd->pending_recv' failed". With --bug
// split-reply (both backends) a reply that reaches the proxy in two receives or more is cut into
// several replies: the client gets wrong answers, no crash.
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "flags.h"
#include "net.h"
#include "proxy.h"
#include "stop_signal.h"

namespace {

constexpr const char* kUsage =
    "usage: resp-proxy --port P --upstream-port U [--host 127.0.0.1] [--backend uring|epoll]\n"
    "                  [--bug none|pending-recv|split-reply]\n"
    "  --port P           TCP port to listen on (0 picks a free one; the startup line shows it)\n"
    "  --upstream-port U  port of the upstream server on the same host; every client gets its\n"
    "                     own upstream connection; requests are relayed unchanged, replies one\n"
    "                     whole RESP2 reply at a time\n"
    "  --host H           loopback address only: 127.0.0.0/8, ::1 or localhost (default\n"
    "                     127.0.0.1); used for both the listener and the upstream server\n"
    "  --backend B        I/O backend: uring (default; io_uring) or epoll (a simpler\n"
    "                     alternative)\n"
    "  --bug M            deliberate bug, none (default) or:\n"
    "                     pending-recv: the uring backend re-arms the receive of the wrong\n"
    "                     direction and aborts on assert(!cd->pending_recv); epoll ignores it\n"
    "                     split-reply: both backends take a reply that is incomplete when a\n"
    "                     receive from the upstream ends as complete, and its rest as the next\n"
    "                     reply; shows only when upstream replies arrive split across receives\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  int upstream_port = -1;
  Backend backend = Backend::kUring;
  BugMode bug = BugMode::kNone;
};

std::optional<BugMode> ParseBugMode(std::string_view value) {
  if (value == "none") return BugMode::kNone;
  if (value == "pending-recv") return BugMode::kPendingRecv;
  if (value == "split-reply") return BugMode::kSplitReply;
  return std::nullopt;
}

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  if (flag == "--host") {
    options->host = value;
  } else if (flag == "--port" || flag == "--upstream-port") {
    std::optional<int> port = ParseInt(value, flag == "--port" ? 0 : 1, 65535);
    if (!port) return false;
    (flag == "--port" ? options->port : options->upstream_port) = *port;
  } else if (flag == "--backend" && (value == "uring" || value == "epoll")) {
    options->backend = value == "uring" ? Backend::kUring : Backend::kEpoll;
  } else if (flag == "--bug") {
    std::optional<BugMode> bug = ParseBugMode(value);
    if (!bug) return false;
    options->bug = *bug;
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
  if (!ParseFlagPairs(argc, argv, "resp-proxy", kUsage, apply)) return std::nullopt;
  if (options.port < 0 || options.upstream_port < 0) {
    std::fprintf(stderr, "resp-proxy: --port and --upstream-port are required\n%s", kUsage);
    return std::nullopt;
  }
  return options;
}

int Serve(const Options& options, ProxyContext context) {
  StopSignal stop;
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "resp-proxy: %s\n", error.c_str());
    return 1;
  }
  LoopbackAddress address;
  ParseLoopbackHost(options.host, options.port, &address);  // Checked by main().
  context.listen_fd = ListenAndAnnounce("resp-proxy", address, options.port);
  if (context.listen_fd < 0) return 1;
  context.stop = &stop;
  return options.backend == Backend::kUring ? RunUringBackend(context) : RunEpollBackend(context);
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  ProxyContext context;
  context.bug = options->bug;
  LoopbackAddress address;
  if (!ParseLoopbackHost(options->host, options->port, &address) ||
      !ParseLoopbackHost(options->host, options->upstream_port, &context.upstream)) {
    std::fprintf(stderr, "resp-proxy: refusing host '%s': only loopback addresses are allowed\n",
                 options->host.c_str());
    return 2;
  }
  context.upstream.display += ":" + std::to_string(options->upstream_port);  // For messages.
  signal(SIGPIPE, SIG_IGN);
  return Serve(*options, context);
}
