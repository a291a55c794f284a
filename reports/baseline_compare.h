// A suite against a baseline suite, cell by cell (matched by id): verdict changes, and
// throughput and p99 latency changes that are significant. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/suite_data.h"

namespace stampede::reports {

// A change is flagged only when the Mann–Whitney p-value over the attempts' samples is below
// kSignificance AND the medians differ by at least kMinRelativeChange of the baseline's.
inline constexpr double kSignificance = 0.05;
inline constexpr double kMinRelativeChange = 0.05;

enum class Change { kNone, kImprovement, kRegression };
const char* ToString(Change change);  // "", "improvement", "regression"

// One figure (throughput or p99) of a cell on both sides.
struct MetricDelta {
  double baseline_median = 0, current_median = 0;
  double relative = 0;  // (current - baseline) / baseline; 0 when the baseline median is 0
  double p = 1;         // Mann–Whitney two-sided p-value
  int baseline_samples = 0, current_samples = 0;
  Change change = Change::kNone;
};

struct CellComparison {
  std::string id;
  std::string scenario;
  std::string baseline_outcome, current_outcome;
  bool baseline_as_expected = false, current_as_expected = false;
  bool outcome_changed = false;
  bool as_expected_changed = false;
  std::optional<MetricDelta> throughput;  // absent unless both sides have stats
  std::optional<MetricDelta> p99;         // lower is better
};

struct Comparison {
  std::vector<CellComparison> cells;       // in the current suite's order
  std::vector<std::string> only_current;   // ids new in the current suite
  std::vector<std::string> only_baseline;  // ids missing from the current suite
  int regressions = 0, improvements = 0, verdict_changes = 0;
};

// `higher_is_better` decides which direction is an improvement.
MetricDelta CompareSamples(const std::vector<double>& baseline, const std::vector<double>& current,
                           bool higher_is_better);

Comparison CompareSuites(const Suite& baseline, const Suite& current);

}  // namespace stampede::reports
