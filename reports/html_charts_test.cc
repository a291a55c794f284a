#include "reports/html_charts.h"

#include <gtest/gtest.h>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

using nlohmann::json;

Suite Sample(bool with_stops) {
  json pass = fixture::Attempt("cells/001", 1, "pass", 1000, 4000);
  if (with_stops) pass["stop_ms"] = {12, 15};
  return ParseSuite(
             fixture::Suite({fixture::Cell("rpc", json::object(), "pass", "cells/001", {pass}),
                             fixture::Cell("crashy", json::object(), "pass", "cells/002",
                                           {fixture::Attempt("cells/002", 1, "error")})}),
             "/s", "s")
      .value();
}

int Count(const std::string& text, const std::string& what) {
  int count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST(HtmlChartsTest, ChartsHaveARowPerCellWithData) {
  const Suite suite = Sample(false);
  EXPECT_EQ(Count(ThroughputChart(suite), "<rect class=\"o-pass\""), 1)
      << "the error cell has no stats";
  EXPECT_EQ(Count(LatencyChart(suite), "<rect class=\"l-p99\""), 2) << "one bar and the legend";
  const std::string rates = FailureRateChart(suite);
  EXPECT_EQ(Count(rates, "<rect class=\"o-"), 2) << "every cell has a rate";
  EXPECT_NE(rates.find("rpc: 0% failed (0 of 1 judged attempts), 95% interval 0–79.3%"),
            std::string::npos);
}

TEST(HtmlChartsTest, StopChartOnlyWhenAnAttemptStopped) {
  EXPECT_EQ(StopDurationChart(Sample(false)), "");
  const std::string chart = StopDurationChart(Sample(true));
  EXPECT_NE(chart.find("rpc: median 13.5 ms, min 12, max 15 over 2 stops"), std::string::npos)
      << chart;
}

}  // namespace
}  // namespace stampede::reports
