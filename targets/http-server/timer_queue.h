// TimerQueue: the deadlines of a single-threaded event loop (a /slow reply's delay, the pause
// after accept() ran out of file descriptors), each naming the key of what it is for.
//
// Not thread-safe: owned by one event loop. A timer cannot be cancelled; whoever fires it must
// ignore a key that no longer names anything (event loops never reuse keys).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

class TimerQueue {
 public:
  using Clock = std::chrono::steady_clock;

  void Start(Clock::duration delay, uint64_t key);
  // Removes and returns the keys whose deadline is at or before `now`, earliest first.
  std::vector<uint64_t> PopDue(Clock::time_point now);
  // Milliseconds from `now` to the earliest deadline, rounded up (0 if it has passed), or -1 if
  // there is no timer: the timeout for epoll_wait(), poll() or an io_uring wait.
  int MillisecondsUntilNext(Clock::time_point now) const;

 private:
  std::multimap<Clock::time_point, uint64_t> deadlines_;
};
