// Horizontal bar charts as inline SVG, written by our code (no scripts, no fonts, no network):
// one row per labelled item, one or more bars per row, each with an optional low–high whisker.
// Colours come from CSS classes the embedding page defines. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stampede::reports {

struct Bar {
  double value = 0;
  std::optional<double> low, high;  // whisker (range or interval); both or neither
  std::string css_class;            // fill colour, from the page's stylesheet
  std::string tooltip;              // <title> text (plain; escaped here)
  std::string text;                 // printed after the bar (plain; escaped here)
};

struct BarRow {
  std::string label;  // plain; escaped here
  std::vector<Bar> bars;
};

struct LegendEntry {
  std::string name, css_class;
};

struct ChartSpec {
  std::string title;                // plain; escaped here
  std::string unit;                 // axis caption
  bool log_scale = false;           // base 10; values <= 0 drawn at the axis start
  std::optional<double> fixed_max;  // linear axis end (1 for rates); else from the data
  std::vector<LegendEntry> legend;  // empty: no legend
};

// The <svg> element (with role="img" and an aria-label). An empty `rows` gives a chart that
// says "no data".
std::string HorizontalBarChart(const ChartSpec& spec, const std::vector<BarRow>& rows);

// Tick positions for a linear axis from 0 to about `max`: 0 and multiples of 1, 2 or 5 × 10^k,
// at most about 6, the last >= max.
std::vector<double> LinearTicks(double max);

}  // namespace stampede::reports
