// ConnectionTracker: counts the live connections of the threads backend, so that a graceful stop
// can wait until the last one has closed ("wait for all connections to close").
//
// It exists to reproduce a real bug (DESIGN.md section 2, fourth row): a web framework's graceful
// shutdown sometimes hung forever in "wait for all connections to close" when a test started a
// server, sent it a request that asked it to shut down, waited, and did it again in a loop. The
// stopping code checked "connections > 0" and then waited for a notification that the last
// connection fired only once, and only to waiters already waiting; if the last connection closed
// between the check and the wait, nobody woke the waiter.
//
// Thread-safety: every method may be called from any thread. Opened() and Closed() are called
// once per connection, Opened() by the thread that accepts it (so before it can close);
// WaitForAllConnectionsToClose() by the one thread that stops the server, once.
//   - Mode::kCorrect: the count changes under mutex_, and the waiter waits on the predicate
//     "count == 0" under mutex_, so no Closed() can slip between its check and its wait.
//   - Mode::kShutdownRace (http-server --bug shutdown-race): the waiter reads the count under the
//     lock, lets go of the lock to ask the connections to close and log its line, and only then
//     registers and waits for one notification, without re-checking. Closed() never takes the
//     lock: it decrements and notifies only if a waiter is registered. When the last connection
//     closes inside that window, its notification goes to nobody and
//     WaitForAllConnectionsToClose() blocks forever. The count and the flag are atomics, so this
//     is a logical race (a lost wake-up), not a data race: ThreadSanitizer reports nothing. That
//     mode is deliberately wrong; never use it for anything else.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>

class ConnectionTracker {
 public:
  enum class Mode { kCorrect, kShutdownRace };

  // `log`: where WaitForAllConnectionsToClose() writes its lines (stderr in the server), or
  // nullptr for none. Borrowed; must outlive the tracker.
  explicit ConnectionTracker(Mode mode, std::FILE* log = stderr) : mode_(mode), log_(log) {}
  ConnectionTracker(const ConnectionTracker&) = delete;
  ConnectionTracker& operator=(const ConnectionTracker&) = delete;

  // A connection was accepted: it counts as live until its Closed().
  void Opened();
  // The connection's socket has been closed. Wakes the waiter if it was the last one.
  void Closed();

  // The graceful stop's drain: reads the number of live connections, calls
  // `ask_connections_to_close` once (it must make every idle connection close and the busy ones
  // close after their current request; it may close some itself), logs
  // "http-server: wait for all connections to close (N open)" with the number read, blocks until
  // no connection is live, and logs "http-server: all connections closed". With
  // Mode::kShutdownRace it returns at once if none was live at its check, and may block forever
  // otherwise (the bug).
  void WaitForAllConnectionsToClose(const std::function<void()>& ask_connections_to_close);

  int live() const { return live_.load(std::memory_order_acquire); }
  // Whether a thread has registered in WaitForAllConnectionsToClose(). It registers under the
  // lock and lets go of the lock only by starting to wait, so once this (which takes the lock)
  // returns true, that thread is waiting. For tests.
  bool HasWaiter();

 private:
  void LogWaiting(int live);
  void Log(const char* line);
  void WaitUntilCountIsZero(const std::function<void()>& ask_connections_to_close);
  void WaitForTheLastCloseToNotify(const std::function<void()>& ask_connections_to_close);

  const Mode mode_;
  std::FILE* const log_;
  std::mutex mutex_;
  std::condition_variable all_closed_;
  // Changed under mutex_ with Mode::kCorrect; without it (the bug) with Mode::kShutdownRace.
  std::atomic<int> live_{0};
  std::atomic<bool> waiting_{false};  // Changed under mutex_, by the waiter.
};
