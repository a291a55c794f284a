#include "reports/stats_summary.h"

#include <algorithm>

namespace stampede::reports {
namespace {

template <typename Field>
std::vector<double> Samples(const Cell& cell, Field field) {
  std::vector<double> samples;
  for (const Attempt& attempt : cell.attempts)
    if (attempt.stats) samples.push_back(field(*attempt.stats));
  return samples;
}

}  // namespace

double Median(std::vector<double> values) {
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                   values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2;
}

std::optional<Spread> SpreadOf(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  const auto [min, max] = std::minmax_element(values.begin(), values.end());
  return Spread{Median(values), *min, *max, static_cast<int>(values.size())};
}

std::vector<double> ThroughputSamples(const Cell& cell) {
  return Samples(cell, [](const AttemptStats& s) { return s.throughput_ops_s; });
}

std::vector<double> P99Samples(const Cell& cell) {
  return Samples(cell, [](const AttemptStats& s) { return s.latency_us.p99; });
}

CellSummary Summarize(const Cell& cell) {
  CellSummary summary;
  summary.throughput_ops_s = SpreadOf(ThroughputSamples(cell));
  if (summary.throughput_ops_s) {
    Latency median;
    median.p50 = Median(Samples(cell, [](const AttemptStats& s) { return s.latency_us.p50; }));
    median.p90 = Median(Samples(cell, [](const AttemptStats& s) { return s.latency_us.p90; }));
    median.p99 = Median(P99Samples(cell));
    median.max = Median(Samples(cell, [](const AttemptStats& s) { return s.latency_us.max; }));
    median.mean = Median(Samples(cell, [](const AttemptStats& s) { return s.latency_us.mean; }));
    summary.latency_median_us = median;
  }
  std::vector<double> stops;
  for (const Attempt& attempt : cell.attempts)
    stops.insert(stops.end(), attempt.stop_ms.begin(), attempt.stop_ms.end());
  summary.stop_ms = SpreadOf(stops);
  return summary;
}

}  // namespace stampede::reports
