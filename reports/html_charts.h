// The charts of the HTML report, as inline SVG built from a suite (svg_chart.h): throughput
// per cell (median bar, min–max whisker), latency percentiles per cell (p50/p90/p99/max bars of
// medians, log scale), failure rate per cell with its Wilson interval, and stop/restart
// durations for the cells that have any. Pure functions.
#pragma once

#include <string>

#include "reports/suite_data.h"

namespace stampede::reports {

std::string ThroughputChart(const Suite& suite);
std::string LatencyChart(const Suite& suite);
std::string FailureRateChart(const Suite& suite);
// Empty when no attempt of any cell has stop_ms.
std::string StopDurationChart(const Suite& suite);

// CSS class of an outcome's colour: "o-pass", "o-fail", "o-expected-fail", ...
std::string OutcomeClass(const std::string& outcome);

}  // namespace stampede::reports
