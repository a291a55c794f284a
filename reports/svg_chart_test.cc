#include "reports/svg_chart.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

int Count(const std::string& text, const std::string& what) {
  int count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST(LinearTicksTest, NiceStepsCoveringTheMaximum) {
  EXPECT_EQ(LinearTicks(1), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  EXPECT_EQ(LinearTicks(4391.6), (std::vector<double>{0, 1000, 2000, 3000, 4000, 5000}));
  EXPECT_EQ(LinearTicks(0), (std::vector<double>{0, 1}));
}

TEST(HorizontalBarChartTest, OneRectPerBarAndAWhiskerWhereGiven) {
  ChartSpec spec{.title = "Throughput <ops/s>", .unit = "ops/s"};
  std::vector<BarRow> rows = {
      {"a<b>",
       {Bar{.value = 100,
            .low = 80,
            .high = 120,
            .css_class = "o-pass",
            .tooltip = "t",
            .text = "100"}}},
      {"c", {Bar{.value = 50, .css_class = "o-fail"}, Bar{.value = 60, .css_class = "o-fail"}}}};
  const std::string svg = HorizontalBarChart(spec, rows);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_EQ(Count(svg, "<rect "), 3);
  EXPECT_EQ(Count(svg, "class=\"whisker\""), 1);
  EXPECT_NE(svg.find(">a&lt;b&gt;</text>"), std::string::npos) << "labels escaped";
  EXPECT_NE(svg.find("aria-label=\"Throughput &lt;ops/s&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  // The longest bar ends where its whisker would put the axis end (ticks to 150 for max 120).
  EXPECT_NE(svg.find("x=\"310.0\" y=\"44.0\" width=\"366.7\""), std::string::npos) << svg;
}

TEST(HorizontalBarChartTest, LogScaleSpansPowersOfTen) {
  ChartSpec spec{.title = "Latency", .unit = "µs", .log_scale = true};
  const std::string svg = HorizontalBarChart(spec, {{"x", {Bar{.value = 15}, Bar{.value = 9000}}}});
  for (const char* tick : {">10<", ">100<", ">1000<", ">10000<"})
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  EXPECT_EQ(svg.find(">100000<"), std::string::npos);
}

TEST(HorizontalBarChartTest, EmptySaysNoData) {
  EXPECT_NE(HorizontalBarChart({.title = "t"}, {}).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace stampede::reports
