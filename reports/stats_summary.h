// Key figures of a cell over its attempts: throughput (median, min, max), the median of each
// latency percentile, and the stop/restart durations. Pure functions.
#pragma once

#include <optional>
#include <vector>

#include "reports/suite_data.h"

namespace stampede::reports {

struct Spread {
  double median = 0, min = 0, max = 0;
  int count = 0;  // samples
};

struct CellSummary {
  std::optional<Spread> throughput_ops_s;    // over attempts with stats; absent without any
  std::optional<Latency> latency_median_us;  // each field the median over attempts with stats
  std::optional<Spread> stop_ms;             // over every stop of every attempt; absent without
};

// The median of `values` (mean of the two middle ones for an even count). Requires non-empty.
double Median(std::vector<double> values);

// Spread of `values`; absent when empty.
std::optional<Spread> SpreadOf(const std::vector<double>& values);

// Throughput and p99 samples of the attempts that have stats, in attempt order.
std::vector<double> ThroughputSamples(const Cell& cell);
std::vector<double> P99Samples(const Cell& cell);

CellSummary Summarize(const Cell& cell);

}  // namespace stampede::reports
