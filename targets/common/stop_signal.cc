#include "stop_signal.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

StopSignal::~StopSignal() {
  if (signal_fd_ >= 0) close(signal_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool StopSignal::Open(std::string* error) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
    *error = "pthread_sigmask failed";
    return false;
  }
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) {
    *error = std::string("signalfd: ") + std::strerror(errno);
    return false;
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    *error = std::string("eventfd: ") + std::strerror(errno);
    return false;
  }
  return true;
}

void StopSignal::OnSignalReadable() {
  signalfd_siginfo info;
  while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
  }
  RequestStop();
}

void StopSignal::RequestStop() {
  if (requested_.exchange(true, std::memory_order_acq_rel)) return;
  const uint64_t one = 1;
  // The counter never reaches its limit with a single write, so this cannot fail with EAGAIN.
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}
