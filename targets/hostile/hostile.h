// hostile: a sample target that misbehaves the way real programs do, for stampede's own fixtures
// (tests/fixtures/hostile/): it never gets ready, floods stderr, answers garbage, accepts and
// never reads, closes at once, or daemonises out of its process group. `--mode echo` (the
// default) is a correct line echo server, the control. See main.cc for the flags.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "net.h"
#include "serve_loop.h"

enum class Mode {
  kEcho,
  kNeverReady,
  kStderrFlood,
  kGarbage,
  kAcceptNeverRead,
  kCloseImmediately,
  kDaemon,
  kDaemonKeepsSocket,
};

struct Options {
  Mode mode = Mode::kEcho;
  int port = -1;
  LoopbackAddress address;           // 127.0.0.1:port, always loopback.
  int64_t flood_bytes = 50'000'000;  // --bytes: stderr-flood's amount of text.
  std::string pidfile;               // --pidfile: empty for none.
  int lifetime_s = 0;                // --lifetime-s: SIGALRM after this long (0: never).
};

// --- The modes (each returns the process's exit code) ------------------------------------------

// echo, garbage, accept-never-read, close-immediately: listen, then treat every connection by
// `policy` until SIGINT or SIGTERM, then exit 0.
int RunForeground(const Options& options, ConnectionPolicy policy);
// never-ready: never listens; waits for SIGINT or SIGTERM, then exits 0.
int RunNeverReady(const Options& options);
// stderr-flood: echo, while a thread writes options.flood_bytes of text lines to stderr (all of
// them: a stop waits for the flood).
int RunStderrFlood(const Options& options);
// daemon: double fork; the grandchild (new session, SIGTERM and SIGHUP ignored) serves echo, the
// started process exits 0 once it listens.
int RunDaemon(const Options& options);
// daemon-keeps-socket: listen, fork a daemon grandchild that holds the listening socket and
// sleeps, then serve echo in the foreground until SIGINT or SIGTERM and exit 0.
int RunDaemonKeepsSocket(const Options& options);

// --- Shared steps ------------------------------------------------------------------------------

// Opens the listening socket on options.address, or prints why on stderr and returns -1.
int Listen(const Options& options);
// Prints the readiness line "listening on 127.0.0.1:PORT" on stdout (flushed).
void Announce(const Options& options, int listen_fd);
// The start of a foreground server: `stop` opened, the listener open, the pid file written and
// the readiness line printed. Returns the listener, or -1 after printing why.
int OpenForeground(const Options& options, StopSignal* stop);
// Writes "PID\n" to `path` atomically (a temporary file, then rename); nothing when `path` is
// empty. Prints why on stderr and returns false on failure.
bool WritePidFile(const std::string& path, pid_t pid);
// Arms SIGALRM (default action: terminate) after options.lifetime_s seconds, when set. An alarm
// does not survive fork(), so every process that may outlive its parent arms its own.
void ArmLifetime(const Options& options);
