#include "reports/baseline_compare.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

Cell CellWith(const std::string& id, const std::string& outcome, std::vector<double> throughputs,
              std::vector<double> p99s) {
  Cell cell;
  cell.id = id;
  cell.scenario = id;
  cell.outcome = outcome;
  cell.as_expected = outcome == "pass" || outcome == "expected-fail";
  for (std::size_t i = 0; i < throughputs.size(); ++i) {
    Attempt attempt;
    AttemptStats stats;
    stats.throughput_ops_s = throughputs[i];
    stats.latency_us.p99 = p99s[i];
    attempt.stats = stats;
    cell.attempts.push_back(attempt);
  }
  return cell;
}

TEST(CompareSamplesTest, SignificantAndLargeIsFlagged) {
  const MetricDelta slower = CompareSamples({100, 101, 102, 103, 104}, {80, 81, 82, 83, 84}, true);
  EXPECT_EQ(slower.change, Change::kRegression);
  EXPECT_NEAR(slower.relative, -0.1961, 1e-3);
  EXPECT_NEAR(slower.p, 2.0 / 252, 1e-9);
  EXPECT_EQ(CompareSamples({100, 101, 102, 103, 104}, {80, 81, 82, 83, 84}, false).change,
            Change::kImprovement)
      << "for latency, lower is better";
}

TEST(CompareSamplesTest, SignificantButSmallIsNotFlagged) {
  const MetricDelta delta =
      CompareSamples({100, 101, 102, 103, 104}, {105, 106, 107, 108, 109}, true);
  EXPECT_LT(delta.p, 0.05);
  EXPECT_LT(delta.relative, 0.05);
  EXPECT_EQ(delta.change, Change::kNone);
}

TEST(CompareSamplesTest, LargeButNotSignificantIsNotFlagged) {
  const MetricDelta delta = CompareSamples({100, 200, 300}, {150, 250, 350}, true);
  EXPECT_GE(delta.relative, 0.05);
  EXPECT_GE(delta.p, 0.05) << "three attempts a side cannot reach p < 0.05";
  EXPECT_EQ(delta.change, Change::kNone);
}

TEST(CompareSuitesTest, MatchesCellsByIdAndListsTheRest) {
  Suite baseline, current;
  baseline.cells = {CellWith("a", "pass", {100, 101, 102, 103}, {10, 11, 12, 13}),
                    CellWith("gone", "pass", {1}, {1}), CellWith("b", "pass", {50, 50}, {5, 5})};
  current.cells = {CellWith("b", "fail", {50, 50}, {5, 5}), CellWith("new", "pass", {1}, {1}),
                   CellWith("a", "pass", {200, 201, 202, 203}, {30, 31, 32, 33})};
  const Comparison comparison = CompareSuites(baseline, current);
  ASSERT_EQ(comparison.cells.size(), 2u);
  EXPECT_EQ(comparison.cells[0].id, "b");
  EXPECT_TRUE(comparison.cells[0].outcome_changed);
  EXPECT_TRUE(comparison.cells[0].as_expected_changed);
  EXPECT_EQ(comparison.cells[0].throughput->change, Change::kNone);
  const CellComparison& a = comparison.cells[1];
  EXPECT_FALSE(a.outcome_changed);
  EXPECT_EQ(a.throughput->change, Change::kImprovement);
  EXPECT_EQ(a.p99->change, Change::kRegression);
  EXPECT_DOUBLE_EQ(a.p99->baseline_median, 11.5);
  EXPECT_EQ(comparison.only_current, std::vector<std::string>{"new"});
  EXPECT_EQ(comparison.only_baseline, std::vector<std::string>{"gone"});
  EXPECT_EQ(comparison.regressions, 1);
  EXPECT_EQ(comparison.improvements, 1);
  EXPECT_EQ(comparison.verdict_changes, 1);
}

TEST(CompareSuitesTest, NoStatsNoDelta) {
  Suite baseline, current;
  baseline.cells = {CellWith("a", "error", {}, {})};
  current.cells = {CellWith("a", "pass", {1, 2}, {1, 2})};
  const Comparison comparison = CompareSuites(baseline, current);
  EXPECT_FALSE(comparison.cells[0].throughput.has_value());
  EXPECT_FALSE(comparison.cells[0].p99.has_value());
}

}  // namespace
}  // namespace stampede::reports
