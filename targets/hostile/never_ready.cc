// never-ready: a process that runs and never listens, so a readiness probe never succeeds.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "hostile.h"

int RunNeverReady(const Options& options) {
  StopSignal stop;
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "hostile: %s\n", error.c_str());
    return 1;
  }
  if (!WritePidFile(options.pidfile, getpid())) return 1;
  std::fprintf(stderr, "hostile: never-ready: running, never listening on port %d\n", options.port);
  pollfd entry{stop.signal_fd(), POLLIN, 0};
  while (poll(&entry, 1, -1) < 0 && errno == EINTR) {
  }
  stop.OnSignalReadable();
  return 0;
}
