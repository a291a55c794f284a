#include "reports/baseline_compare.h"

#include <cmath>
#include <map>
#include <set>

#include "reports/mann_whitney.h"
#include "reports/stats_summary.h"

namespace stampede::reports {
namespace {

std::optional<MetricDelta> CompareIfBoth(const std::vector<double>& baseline,
                                         const std::vector<double>& current,
                                         bool higher_is_better) {
  if (baseline.empty() || current.empty()) return std::nullopt;
  return CompareSamples(baseline, current, higher_is_better);
}

void Count(const std::optional<MetricDelta>& delta, Comparison& comparison) {
  if (!delta) return;
  if (delta->change == Change::kRegression) ++comparison.regressions;
  if (delta->change == Change::kImprovement) ++comparison.improvements;
}

}  // namespace

const char* ToString(Change change) {
  switch (change) {
    case Change::kImprovement:
      return "improvement";
    case Change::kRegression:
      return "regression";
    case Change::kNone:
      break;
  }
  return "";
}

MetricDelta CompareSamples(const std::vector<double>& baseline, const std::vector<double>& current,
                           bool higher_is_better) {
  MetricDelta delta;
  delta.baseline_median = Median(baseline);
  delta.current_median = Median(current);
  delta.baseline_samples = static_cast<int>(baseline.size());
  delta.current_samples = static_cast<int>(current.size());
  if (delta.baseline_median != 0)
    delta.relative =
        (delta.current_median - delta.baseline_median) / std::abs(delta.baseline_median);
  delta.p = MannWhitneyU(baseline, current).p;
  if (delta.p < kSignificance && std::abs(delta.relative) >= kMinRelativeChange) {
    const bool higher = delta.current_median > delta.baseline_median;
    delta.change = higher == higher_is_better ? Change::kImprovement : Change::kRegression;
  }
  return delta;
}

Comparison CompareSuites(const Suite& baseline, const Suite& current) {
  std::map<std::string, const Cell*> base_by_id;
  for (const Cell& cell : baseline.cells) base_by_id[cell.id] = &cell;
  std::set<std::string> current_ids;
  Comparison comparison;
  for (const Cell& cell : current.cells) {
    current_ids.insert(cell.id);
    auto it = base_by_id.find(cell.id);
    if (it == base_by_id.end()) {
      comparison.only_current.push_back(cell.id);
      continue;
    }
    const Cell& base = *it->second;
    CellComparison row;
    row.id = cell.id;
    row.scenario = cell.scenario;
    row.baseline_outcome = base.outcome;
    row.current_outcome = cell.outcome;
    row.baseline_as_expected = base.as_expected;
    row.current_as_expected = cell.as_expected;
    row.outcome_changed = base.outcome != cell.outcome;
    row.as_expected_changed = base.as_expected != cell.as_expected;
    row.throughput = CompareIfBoth(ThroughputSamples(base), ThroughputSamples(cell), true);
    row.p99 = CompareIfBoth(P99Samples(base), P99Samples(cell), false);
    comparison.verdict_changes += row.outcome_changed || row.as_expected_changed;
    Count(row.throughput, comparison);
    Count(row.p99, comparison);
    comparison.cells.push_back(std::move(row));
  }
  for (const Cell& cell : baseline.cells)
    if (!current_ids.contains(cell.id)) comparison.only_baseline.push_back(cell.id);
  return comparison;
}

}  // namespace stampede::reports
