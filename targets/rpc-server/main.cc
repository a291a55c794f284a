// rpc-server: a framed RPC server with a worker pool, used as a target by the stampede harness.
//
//   rpc-server --port P [--host 127.0.0.1] [--workers N] [--jitter-us N]
//              [--bug none|static-seq]
//
// Frames are those of harness/protocols/rpc_frame.h (12-byte big-endian header, then payload);
// methods echo, reverse and upper. One I/O thread reads pipelined requests and N workers serve
// them, each taking a random 0..jitter-us microseconds, so replies on a connection come back in
// any order; a reply carries its request's seq. Prints "listening on HOST:PORT" on stdout once
// the socket listens, serves until SIGINT or SIGTERM, then stops gracefully and exits 0. Exit
// codes: 0 after a graceful stop, 1 on a runtime error (e.g. the port is taken), 2 on bad usage
// (including a host that is not loopback).
//
// With --bug static-seq (deliberately wrong) the workers share one process-wide "seq of the call
// being served", so concurrent calls get replies stamped with another call's seq; one call at a
// time is still answered correctly. It never crashes and still stops gracefully.
#include <signal.h>

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
    "usage: rpc-server --port P [--host 127.0.0.1] [--workers N] [--jitter-us N]\n"
    "                  [--bug none|static-seq]\n"
    "  --port P       TCP port to listen on (0 picks a free one; the startup line shows it)\n"
    "  --host H       loopback address only: 127.0.0.0/8, ::1 or localhost (default 127.0.0.1)\n"
    "  --workers N    worker threads serving calls, 1..256 (default 4)\n"
    "  --jitter-us N  each call takes a random 0..N microseconds, 0..1000000 (default 200),\n"
    "                 so replies on a connection complete out of order\n"
    "  --bug M        none (default) or static-seq: workers keep the seq of the call they serve\n"
    "                 in one shared variable, so concurrent calls get replies stamped with\n"
    "                 other calls' seq (deliberate)\n"
    "Frames: u32 length, u32 seq, u16 method, u16 flags (big-endian), then the payload.\n"
    "Methods: 1 echo, 2 reverse, 3 upper (ASCII).\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = -1;
  ServerOptions server;
};

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  std::optional<int> number;
  if (flag == "--host") {
    options->host = value;
  } else if (flag == "--port" && (number = ParseInt(value, 0, 65535))) {
    options->port = *number;
  } else if (flag == "--workers" && (number = ParseInt(value, 1, 256))) {
    options->server.workers = *number;
  } else if (flag == "--jitter-us" && (number = ParseInt(value, 0, 1000000))) {
    options->server.jitter_us = *number;
  } else if (flag == "--bug" && (value == "none" || value == "static-seq")) {
    options->server.bug = value == "none" ? BugMode::kNone : BugMode::kStaticSeq;
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
  if (!ParseFlagPairs(argc, argv, "rpc-server", kUsage, apply)) return std::nullopt;
  if (options.port < 0) {
    std::fprintf(stderr, "rpc-server: --port is required\n%s", kUsage);
    return std::nullopt;
  }
  return options;
}

int Serve(const Options& options, const LoopbackAddress& address) {
  StopSignal stop;
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "rpc-server: %s\n", error.c_str());
    return 1;
  }
  int listen_fd = ListenAndAnnounce("rpc-server", address, options.port);
  if (listen_fd < 0) return 1;
  return RunServer(listen_fd, &stop, options.server);
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  LoopbackAddress address;
  if (!ParseLoopbackHost(options->host, options->port, &address)) {
    std::fprintf(stderr, "rpc-server: refusing host '%s': only loopback addresses are allowed\n",
                 options->host.c_str());
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return Serve(*options, address);
}
