#include "timer_queue.h"

#include <algorithm>

void TimerQueue::Start(Clock::duration delay, uint64_t key) {
  deadlines_.emplace(Clock::now() + delay, key);
}

std::vector<uint64_t> TimerQueue::PopDue(Clock::time_point now) {
  std::vector<uint64_t> due;
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    due.push_back(deadlines_.begin()->second);
    deadlines_.erase(deadlines_.begin());
  }
  return due;
}

int TimerQueue::MillisecondsUntilNext(Clock::time_point now) const {
  if (deadlines_.empty()) return -1;
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadlines_.begin()->first - now);
  return static_cast<int>(std::max<int64_t>(wait.count(), 0));
}
