// hostile: a sample target that misbehaves on purpose, for stampede's own fixtures
// (tests/fixtures/hostile/, scripts/hostile-targets): what a harness must survive and report
// rather than hang on or leak.
//
//   hostile --port P [--mode M] [--tag TEXT] [--bytes N] [--pidfile PATH] [--lifetime-s S]
//
// Listens on 127.0.0.1 only. Serving modes print "listening on 127.0.0.1:PORT" on stdout once
// the socket listens. Exit codes: 0 after SIGINT or SIGTERM (in the modes that stop on it), 1 on
// a runtime error (e.g. the port is taken), 2 on bad usage.
#include <signal.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "flags.h"
#include "hostile.h"

namespace {

constexpr const char* kUsage =
    "usage: hostile --port P [--mode M] [--tag TEXT] [--bytes N] [--pidfile PATH]\n"
    "               [--lifetime-s S]\n"
    "  --port P        TCP port on 127.0.0.1 (0 picks a free one; the startup line shows it)\n"
    "  --mode M        echo (default): a correct line echo server, the control;\n"
    "                  never-ready: runs, never listens, exits 0 on SIGTERM;\n"
    "                  stderr-flood: echo, and writes --bytes of text lines to stderr at start;\n"
    "                  garbage: answers every read with up to 4 KiB of random binary bytes;\n"
    "                  accept-never-read: accepts and holds connections, never reads or writes;\n"
    "                  close-immediately: closes every connection as soon as it is accepted;\n"
    "                  daemon: double fork; the grandchild (setsid, ignores SIGTERM and SIGHUP)\n"
    "                  serves echo, the started process exits 0 once it listens;\n"
    "                  daemon-keeps-socket: listens, forks such a daemon that holds the\n"
    "                  listening socket and sleeps, serves echo itself, exits 0 on SIGTERM\n"
    "  --tag TEXT      ignored (it marks the command line, so processes can be counted)\n"
    "  --bytes N       stderr-flood: bytes written to stderr (default 50000000)\n"
    "  --pidfile PATH  the pid of the process that serves or, in daemon-keeps-socket, of the\n"
    "                  daemon that holds the socket, written before the readiness line\n"
    "  --lifetime-s S  every process of it ends by SIGALRM after S seconds (default 0: never);\n"
    "                  a safety net for tests\n";

std::optional<Mode> ParseMode(std::string_view value) {
  if (value == "echo") return Mode::kEcho;
  if (value == "never-ready") return Mode::kNeverReady;
  if (value == "stderr-flood") return Mode::kStderrFlood;
  if (value == "garbage") return Mode::kGarbage;
  if (value == "accept-never-read") return Mode::kAcceptNeverRead;
  if (value == "close-immediately") return Mode::kCloseImmediately;
  if (value == "daemon") return Mode::kDaemon;
  if (value == "daemon-keeps-socket") return Mode::kDaemonKeepsSocket;
  return std::nullopt;
}

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  if (flag == "--port") {
    std::optional<int> port = ParseInt(value, 0, 65535);
    if (!port) return false;
    options->port = *port;
  } else if (flag == "--mode") {
    std::optional<Mode> mode = ParseMode(value);
    if (!mode) return false;
    options->mode = *mode;
  } else if (flag == "--tag") {
    // Kept in argv only.
  } else if (flag == "--bytes") {
    std::optional<int> bytes = ParseInt(value, 0, 2'000'000'000);
    if (!bytes) return false;
    options->flood_bytes = *bytes;
  } else if (flag == "--pidfile") {
    if (value.empty()) return false;
    options->pidfile = value;
  } else if (flag == "--lifetime-s") {
    std::optional<int> seconds = ParseInt(value, 0, 86400);
    if (!seconds) return false;
    options->lifetime_s = *seconds;
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
  if (!ParseFlagPairs(argc, argv, "hostile", kUsage, apply)) return std::nullopt;
  if (options.port < 0) {
    std::fprintf(stderr, "hostile: --port is required\n%s", kUsage);
    return std::nullopt;
  }
  ParseLoopbackHost("127.0.0.1", options.port, &options.address);
  return options;
}

int Run(const Options& options) {
  switch (options.mode) {
    case Mode::kEcho:
      return RunForeground(options, ConnectionPolicy::kEchoLines);
    case Mode::kNeverReady:
      return RunNeverReady(options);
    case Mode::kStderrFlood:
      return RunStderrFlood(options);
    case Mode::kGarbage:
      return RunForeground(options, ConnectionPolicy::kGarbage);
    case Mode::kAcceptNeverRead:
      return RunForeground(options, ConnectionPolicy::kHoldUnread);
    case Mode::kCloseImmediately:
      return RunForeground(options, ConnectionPolicy::kCloseAtOnce);
    case Mode::kDaemon:
      return RunDaemon(options);
    case Mode::kDaemonKeepsSocket:
      return RunDaemonKeepsSocket(options);
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  signal(SIGPIPE, SIG_IGN);
  ArmLifetime(*options);
  return Run(*options);
}
