// Ctrl-C handling for the CLI: SIGINT, SIGTERM and SIGHUP become a stop request that the
// run observes, so targets are stopped and a verdict "aborted" is still written.
#pragma once

#include <stop_token>
#include <thread>

namespace stampede {

// Blocks the signals in the calling thread (call before starting any other thread, so
// every thread inherits the mask) and waits for them on a dedicated thread.
class InterruptWatcher {
 public:
  InterruptWatcher();
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  // The signal that arrived, or 0.
  int signal() const { return signal_.load(); }

 private:
  std::stop_source source_;
  std::atomic<int> signal_{0};
  std::thread thread_;
};

}  // namespace stampede
