// Unit tests of http-server's single-threaded backends' timer queue. The I/O backends are
// exercised against a running server instead (http_server_e2e_test.cc).
#include "timer_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace {

TEST(TimerQueue, PopsDueKeysEarliestFirst) {
  TimerQueue timers;
  EXPECT_EQ(timers.MillisecondsUntilNext(TimerQueue::Clock::now()), -1);
  timers.Start(std::chrono::milliseconds(20), 7);
  timers.Start(std::chrono::milliseconds(10), 5);
  timers.Start(std::chrono::hours(1), 9);
  TimerQueue::Clock::time_point now = TimerQueue::Clock::now();
  int next = timers.MillisecondsUntilNext(now);
  EXPECT_GT(next, 0);
  EXPECT_LE(next, 10);
  EXPECT_EQ(timers.PopDue(now), std::vector<uint64_t>{});
  EXPECT_EQ(timers.PopDue(now + std::chrono::milliseconds(30)), (std::vector<uint64_t>{5, 7}));
  EXPECT_EQ(timers.MillisecondsUntilNext(now + std::chrono::hours(2)), 0);
}

}  // namespace
