#include "route_reloader.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "route_table.h"

RouteReloader::~RouteReloader() {
  Stop();
  if (signal_fd_ >= 0) close(signal_fd_);
  if (quit_fd_ >= 0) close(quit_fd_);
}

bool RouteReloader::Open(std::string* error) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGHUP);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
    *error = "pthread_sigmask failed";
    return false;
  }
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  quit_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (signal_fd_ < 0 || quit_fd_ < 0) {
    *error = std::string("signalfd/eventfd: ") + std::strerror(errno);
    return false;
  }
  return true;
}

void RouteReloader::Start(RouteTables* tables, std::FILE* log) {
  thread_ = std::thread([this, tables, log] { Run(tables, log); });
}

void RouteReloader::Stop() {
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(quit_fd_, &one, sizeof one);
  thread_.join();
}

void RouteReloader::Run(RouteTables* tables, std::FILE* log) const {
  for (;;) {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {quit_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    signalfd_siginfo info;
    // Several SIGHUPs pending at once are one reload.
    while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    uint64_t generation = tables->Reload();
    std::fprintf(log, "http-server: routes reloaded (generation %llu)\n",
                 static_cast<unsigned long long>(generation));
    std::fflush(log);
  }
}
