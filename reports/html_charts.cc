#include "reports/html_charts.h"

#include <fmt/format.h>

#include "reports/report_format.h"
#include "reports/stats_summary.h"
#include "reports/svg_chart.h"

namespace stampede::reports {

std::string OutcomeClass(const std::string& outcome) {
  return "o-" + outcome;
}

std::string ThroughputChart(const Suite& suite) {
  std::vector<BarRow> rows;
  for (const Cell& cell : suite.cells) {
    const auto spread = Summarize(cell).throughput_ops_s;
    if (!spread) continue;
    rows.push_back({cell.id,
                    {Bar{spread->median, spread->min, spread->max, OutcomeClass(cell.outcome),
                         fmt::format("{}: median {} ops/s, min {}, max {} over {} attempts",
                                     cell.id, Number(spread->median), Number(spread->min),
                                     Number(spread->max), spread->count),
                         Number(spread->median)}}});
  }
  return HorizontalBarChart({.title = "Throughput per cell (median, min–max over attempts)",
                             .unit = "operations per second"},
                            rows);
}

std::string LatencyChart(const Suite& suite) {
  std::vector<BarRow> rows;
  for (const Cell& cell : suite.cells) {
    const auto latency = Summarize(cell).latency_median_us;
    if (!latency) continue;
    BarRow row{cell.id, {}};
    const std::pair<const char*, double> percentiles[] = {
        {"p50", latency->p50}, {"p90", latency->p90}, {"p99", latency->p99}, {"max", latency->max}};
    for (const auto& [name, value] : percentiles) {
      row.bars.push_back(Bar{
          .value = value,
          .css_class = std::string("l-") + name,
          .tooltip = fmt::format("{} {}: {}", cell.id, name, Micros(value)),
          .text = name == std::string("p99") || name == std::string("max") ? Micros(value) : ""});
    }
    rows.push_back(std::move(row));
  }
  return HorizontalBarChart(
      {.title = "Latency percentiles per cell (medians over attempts)",
       .unit = "microseconds (log scale)",
       .log_scale = true,
       .legend = {{"p50", "l-p50"}, {"p90", "l-p90"}, {"p99", "l-p99"}, {"max", "l-max"}}},
      rows);
}

std::string FailureRateChart(const Suite& suite) {
  std::vector<BarRow> rows;
  for (const Cell& cell : suite.cells) {
    const FailureRate& r = cell.failure_rate;
    rows.push_back(
        {cell.id,
         {Bar{r.rate, r.low, r.high, OutcomeClass(cell.outcome),
              fmt::format("{}: {}% failed ({} of {} judged attempts), {}% interval {}–{}%", cell.id,
                          Number(r.rate * 100), cell.failed, cell.passed + cell.failed,
                          Number(r.confidence * 100, 0), Number(r.low * 100), Number(r.high * 100)),
              fmt::format("{}%", Number(r.rate * 100))}}});
  }
  return HorizontalBarChart({.title = "Failure rate per cell (95% Wilson interval)",
                             .unit = "failed attempts / judged attempts",
                             .fixed_max = 1.0},
                            rows);
}

std::string StopDurationChart(const Suite& suite) {
  std::vector<BarRow> rows;
  for (const Cell& cell : suite.cells) {
    const auto stops = Summarize(cell).stop_ms;
    if (!stops) continue;
    rows.push_back({cell.id,
                    {Bar{stops->median, stops->min, stops->max, OutcomeClass(cell.outcome),
                         fmt::format("{}: median {} ms, min {}, max {} over {} stops", cell.id,
                                     Number(stops->median), Number(stops->min), Number(stops->max),
                                     stops->count),
                         fmt::format("{} ms", Number(stops->median))}}});
  }
  if (rows.empty()) return "";
  return HorizontalBarChart(
      {.title = "Stop and restart durations (median, min–max)", .unit = "milliseconds"}, rows);
}

}  // namespace stampede::reports
