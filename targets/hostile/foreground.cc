// The plain serving modes (echo, garbage, accept-never-read, close-immediately) and the steps
// every listening mode shares.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "hostile.h"

int Listen(const Options& options) {
  std::string error;
  int fd = OpenListener(options.address, &error);
  if (fd < 0) {
    std::fprintf(stderr, "hostile: %s:%d: %s\n", options.address.display.c_str(), options.port,
                 error.c_str());
  }
  return fd;
}

void Announce(const Options& options, int listen_fd) {
  std::printf("listening on %s:%d\n", options.address.display.c_str(), LocalPort(listen_fd));
  std::fflush(stdout);
}

int OpenForeground(const Options& options, StopSignal* stop) {
  std::string error;
  if (!stop->Open(&error)) {
    std::fprintf(stderr, "hostile: %s\n", error.c_str());
    return -1;
  }
  int listen_fd = Listen(options);
  if (listen_fd < 0 || !WritePidFile(options.pidfile, getpid())) return -1;
  Announce(options, listen_fd);
  return listen_fd;
}

int RunForeground(const Options& options, ConnectionPolicy policy) {
  StopSignal stop;
  int listen_fd = OpenForeground(options, &stop);
  if (listen_fd < 0) return 1;
  return ServeConnections(listen_fd, &stop, policy);
}
