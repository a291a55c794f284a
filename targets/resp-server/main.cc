// resp-server: a small RESP2 (Redis protocol) server used as a target by the stampede harness.
//
//   resp-server --port P [--host 127.0.0.1] [--bug none|cross-talk|stats-race]
//
// Commands: PING [msg], ECHO msg, SET k v, GET k, QUIT, as RESP arrays or inline commands, and
// the admin commands CLIENT LIST and INFO [clients] (executed on an admin thread).
// Prints "listening on HOST:PORT" on stdout once the socket listens, serves until SIGINT or
// SIGTERM, then stops gracefully and exits 0. Exit codes: 0 after a graceful stop, 1 on a runtime
// error (e.g. the port is taken), 2 on bad usage (including a host that is not loopback).
//
// With --bug cross-talk (deliberately wrong) replies are rendered into one process-wide buffer
// and written at the end of the event-loop iteration, so when several connections send requests
// at once, they are sent another connection's replies (e.g. PING a answered with "b"); a single
// connection is still answered correctly. It never crashes and still stops gracefully.
//
// With --bug stats-race (deliberately wrong) CLIENT LIST walks the registry of connected clients
// without its lock, so a CLIENT LIST during connection churn reads a freed client entry and the
// process aborts with "resp-server: client list walked a freed client entry" (SIGABRT).
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "flags.h"
#include "net.h"
#include "server.h"
#include "stop_signal.h"

namespace {

constexpr const char* kUsage =
    "usage: resp-server --port P [--host 127.0.0.1] [--bug none|cross-talk|stats-race]\n"
    "  --port P      TCP port to listen on (0 picks a free one; the startup line shows it)\n"
    "  --host H      loopback address only: 127.0.0.0/8, ::1 or localhost (default 127.0.0.1)\n"
    "  --bug M       none (default) or cross-talk: replies go through one process-wide buffer\n"
    "                that is written at the end of each event-loop iteration, so concurrent\n"
    "                connections receive each other's replies (deliberate);\n"
    "                or stats-race: CLIENT LIST walks the registry of connected clients\n"
    "                without its lock, so during connection churn it reads a freed entry and\n"
    "                the server aborts (SIGABRT; deliberate)\n"
    "Commands: PING [msg], ECHO msg, SET key value, GET key, QUIT (RESP2 arrays or inline);\n"
    "admin commands CLIENT LIST and INFO [clients], executed on an admin thread.\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  BugMode bug = BugMode::kNone;
};

std::optional<BugMode> ParseBugMode(std::string_view value) {
  if (value == "none") return BugMode::kNone;
  if (value == "cross-talk") return BugMode::kCrossTalk;
  if (value == "stats-race") return BugMode::kStatsRace;
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
  if (!ParseFlagPairs(argc, argv, "resp-server", kUsage, apply)) return std::nullopt;
  if (options.port < 0) {
    std::fprintf(stderr, "resp-server: --port is required\n%s", kUsage);
    return std::nullopt;
  }
  return options;
}

int Serve(const Options& options, const LoopbackAddress& address) {
  StopSignal stop;
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "resp-server: %s\n", error.c_str());
    return 1;
  }
  int listen_fd = ListenAndAnnounce("resp-server", address, options.port);
  if (listen_fd < 0) return 1;
  return RunServer(listen_fd, &stop, options.bug);
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  LoopbackAddress address;
  if (!ParseLoopbackHost(options->host, options->port, &address)) {
    std::fprintf(stderr, "resp-server: refusing host '%s': only loopback addresses are allowed\n",
                 options->host.c_str());
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return Serve(*options, address);
}
