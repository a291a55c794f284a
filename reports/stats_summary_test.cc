#include "reports/stats_summary.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

Attempt WithStats(double throughput, double p50, double p99) {
  Attempt attempt;
  AttemptStats stats;
  stats.throughput_ops_s = throughput;
  stats.latency_us = {p50, p50 * 2, p99, p99 + 1, p50};
  attempt.stats = stats;
  return attempt;
}

TEST(MedianTest, OddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({7}), 7);
}

TEST(SummarizeTest, MediansAndRangeOverAttemptsWithStats) {
  Cell cell;
  cell.attempts = {WithStats(100, 10, 90), WithStats(300, 30, 70), Attempt{},
                   WithStats(200, 20, 80)};
  cell.attempts[0].stop_ms = {12, 15};
  cell.attempts[3].stop_ms = {30};
  const CellSummary summary = Summarize(cell);
  ASSERT_TRUE(summary.throughput_ops_s.has_value());
  EXPECT_DOUBLE_EQ(summary.throughput_ops_s->median, 200);
  EXPECT_DOUBLE_EQ(summary.throughput_ops_s->min, 100);
  EXPECT_DOUBLE_EQ(summary.throughput_ops_s->max, 300);
  EXPECT_EQ(summary.throughput_ops_s->count, 3) << "the attempt without stats is left out";
  ASSERT_TRUE(summary.latency_median_us.has_value());
  EXPECT_DOUBLE_EQ(summary.latency_median_us->p50, 20);
  EXPECT_DOUBLE_EQ(summary.latency_median_us->p90, 40);
  EXPECT_DOUBLE_EQ(summary.latency_median_us->p99, 80);
  EXPECT_DOUBLE_EQ(summary.latency_median_us->max, 81);
  ASSERT_TRUE(summary.stop_ms.has_value());
  EXPECT_DOUBLE_EQ(summary.stop_ms->median, 15);
  EXPECT_DOUBLE_EQ(summary.stop_ms->max, 30);
  EXPECT_EQ(summary.stop_ms->count, 3);
}

TEST(SummarizeTest, NothingWithoutStatsOrStops) {
  Cell cell;
  cell.attempts = {Attempt{}};
  const CellSummary summary = Summarize(cell);
  EXPECT_FALSE(summary.throughput_ops_s.has_value());
  EXPECT_FALSE(summary.latency_median_us.has_value());
  EXPECT_FALSE(summary.stop_ms.has_value());
}

}  // namespace
}  // namespace stampede::reports
