#include "workloads/send_schedule.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(SendScheduleTest, UnpacedSendsWheneverAsked) {
  auto schedule = SendSchedule::Unpaced();
  EXPECT_EQ(schedule.Take(5), 5);
  EXPECT_EQ(schedule.Take(5), 5);
  EXPECT_EQ(schedule.NextNs(), 0);
  EXPECT_FALSE(schedule.open_loop());
}

TEST(SendScheduleTest, PacedSlotsStartAtTheFirstRequestAndDoNotSlip) {
  auto schedule = SendSchedule::Paced(100);
  EXPECT_EQ(schedule.Take(1000), 1000);
  EXPECT_EQ(schedule.Take(1050), std::nullopt);
  EXPECT_EQ(schedule.NextNs(), 1100);
  // Held back until 1350: the overdue slots go at once, each with its own time.
  EXPECT_EQ(schedule.Take(1350), 1100);
  EXPECT_EQ(schedule.Take(1350), 1200);
  EXPECT_EQ(schedule.Take(1350), 1300);
  EXPECT_EQ(schedule.Take(1350), std::nullopt);
  EXPECT_FALSE(schedule.open_loop());
}

TEST(SendScheduleTest, OpenLoopSpreadsTheRateEvenlyOverTheConnections) {
  // 1000 requests/s over 4 connections: each sends every 4 ms, the load every 1 ms.
  for (int connection = 0; connection < 4; ++connection) {
    auto schedule = SendSchedule::OpenLoop(1000, 4, connection);
    EXPECT_TRUE(schedule.open_loop());
    const std::int64_t first = 1000 + connection * 1'000'000;
    if (connection > 0) {
      EXPECT_EQ(schedule.Take(1000), std::nullopt);
      EXPECT_EQ(schedule.NextNs(), first);
    }
    EXPECT_EQ(schedule.Take(first), first);
    EXPECT_EQ(schedule.NextNs(), first + 4'000'000);
    // A connection held back past two slots sends both, each with its intended time.
    EXPECT_EQ(schedule.Take(first + 9'000'000), first + 4'000'000);
    EXPECT_EQ(schedule.Take(first + 9'000'000), first + 8'000'000);
    EXPECT_EQ(schedule.Take(first + 9'000'000), std::nullopt);
  }
}

TEST(SendScheduleTest, OpenLoopSlotsOfAllConnectionsShareTheLoadsStart) {
  auto late_opener = SendSchedule::OpenLoop(1000, 4, 2, 5'000'000);
  EXPECT_EQ(late_opener.NextNs(), 7'000'000);
  // Opened only at 20 ms: its slots since the start are overdue and go first.
  EXPECT_EQ(late_opener.Take(20'000'000), 7'000'000);
  EXPECT_EQ(late_opener.Take(20'000'000), 11'000'000);
}

}  // namespace
}  // namespace stampede
