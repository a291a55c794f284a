#include "cli/interrupts.h"

#include <pthread.h>

#include <csignal>
#include <cstdio>

namespace stampede {
namespace {

// SIGUSR2 is internal: the destructor sends it to end the watcher thread.
sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR2}) sigaddset(&set, sig);
  return set;
}

}  // namespace

InterruptWatcher::InterruptWatcher() {
  sigset_t set = WatchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  thread_ = std::thread([this, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0 || sig == SIGUSR2) return;
      if (signal_.exchange(sig) == 0) {
        std::fprintf(stderr, "\nstampede: interrupted; stopping targets (again to force)\n");
        source_.request_stop();
      } else {
        // A second interrupt: leave now. PR_SET_PDEATHSIG takes the targets down with us.
        std::_Exit(130);
      }
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

}  // namespace stampede
