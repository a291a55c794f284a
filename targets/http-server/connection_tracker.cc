#include "connection_tracker.h"

void ConnectionTracker::Opened() {
  std::lock_guard<std::mutex> lock(mutex_);
  live_.fetch_add(1, std::memory_order_acq_rel);
}

void ConnectionTracker::Closed() {
  if (mode_ == Mode::kShutdownRace) {
    // The bug: no lock, and the one notification goes only to a waiter already registered.
    if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1 &&
        waiting_.load(std::memory_order_acquire)) {
      all_closed_.notify_all();
    }
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1) all_closed_.notify_all();
}

void ConnectionTracker::WaitForAllConnectionsToClose(
    const std::function<void()>& ask_connections_to_close) {
  if (mode_ == Mode::kShutdownRace) {
    WaitForTheLastCloseToNotify(ask_connections_to_close);
  } else {
    WaitUntilCountIsZero(ask_connections_to_close);
  }
  Log("http-server: all connections closed\n");
}

bool ConnectionTracker::HasWaiter() {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.load(std::memory_order_acquire);
}

void ConnectionTracker::LogWaiting(int live) {
  char line[96];
  std::snprintf(line, sizeof line, "http-server: wait for all connections to close (%d open)\n",
                live);
  Log(line);
}

void ConnectionTracker::Log(const char* line) {
  if (log_ == nullptr) return;
  std::fputs(line, log_);
  std::fflush(log_);
}

void ConnectionTracker::WaitUntilCountIsZero(
    const std::function<void()>& ask_connections_to_close) {
  const int live_now = live();
  ask_connections_to_close();
  LogWaiting(live_now);
  std::unique_lock<std::mutex> lock(mutex_);
  waiting_.store(true, std::memory_order_release);
  all_closed_.wait(lock, [this] { return live_.load(std::memory_order_acquire) == 0; });
  waiting_.store(false, std::memory_order_release);
}

void ConnectionTracker::WaitForTheLastCloseToNotify(
    const std::function<void()>& ask_connections_to_close) {
  int live_at_check;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    live_at_check = live_.load(std::memory_order_acquire);
  }
  // The bug: the lock is free from the check to the wait, while the connections are asked to
  // close and the line is logged. The last Closed() can run in between, find no registered
  // waiter and notify nobody.
  ask_connections_to_close();
  LogWaiting(live_at_check);
  if (live_at_check == 0) return;
  std::unique_lock<std::mutex> lock(mutex_);
  waiting_.store(true, std::memory_order_release);
  all_closed_.wait(lock);  // The last Closed() notifies once; no predicate is re-checked.
  waiting_.store(false, std::memory_order_release);
}
