#include "perturb/hogs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/clock.h"

namespace stampede {
namespace {

// A hog at 50% duty is busy for about half of the time it runs. Busy time is measured by the
// hog itself; the bounds are wide, since the machine's other work takes CPU from it too.
TEST(HogsTest, HogsAreBusyForTheirDutyAndStopWhenAsked) {
  Hogs hogs(1, 1, 50, {});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::int64_t before_stop = MonotonicNanos();
  hogs.Stop();
  const std::int64_t stop_ms = (MonotonicNanos() - before_stop) / 1000000;
  EXPECT_GT(hogs.busy_ms(), 0);
  EXPECT_LE(hogs.busy_ms(), 2 * 300 + 2 * 20) << "two hogs, at most busy all the time";
  EXPECT_LT(stop_ms, 1000) << "a hog notices the stop within a period or a chunk";
  const auto busy = hogs.busy_ms();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(hogs.busy_ms(), busy) << "stopped hogs do nothing";
}

TEST(HogsTest, NoHogsIsNothing) {
  Hogs hogs(0, 0, 100, {});
  hogs.Stop();
  EXPECT_EQ(hogs.busy_ms(), 0);
}

}  // namespace
}  // namespace stampede
