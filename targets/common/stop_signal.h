// StopSignal: the one place where "please stop gracefully" is requested and observed.
//
// A stop is requested by SIGINT/SIGTERM (delivered through a signalfd, so no code runs in signal
// context) or by RequestStop() from any thread (e.g. a /shutdown route). Once requested, the stop
// is permanent: wake_fd() stays readable forever, so every thread that polls it sees it.
#pragma once

#include <atomic>
#include <string>

class StopSignal {
 public:
  StopSignal() = default;
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // Blocks SIGINT and SIGTERM in the calling thread and opens the signalfd and the wake-up
  // eventfd. Call from main() before starting any thread, so that every thread inherits the
  // blocked mask and the signals are only ever seen through signal_fd(). Returns false and sets
  // *error on failure.
  bool Open(std::string* error);

  // Readable when SIGINT or SIGTERM is pending. Whoever polls it must call OnSignalReadable().
  int signal_fd() const { return signal_fd_; }
  // Readable (level-triggered, never drained) once a stop has been requested.
  int wake_fd() const { return wake_fd_; }

  // Consumes the pending signals from signal_fd() and requests the stop.
  void OnSignalReadable();
  // Requests the stop. Thread-safe and idempotent.
  void RequestStop();
  bool stop_requested() const { return requested_.load(std::memory_order_acquire); }

 private:
  int signal_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> requested_{false};
};
