#include "reports/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/report_format.h"
#include "reports/text_escape.h"

namespace stampede::reports {
namespace {

constexpr double kWidth = 960, kLabelWidth = 300, kPlotLeft = 310, kPlotRight = 860;
constexpr double kTop = 44, kBarHeight = 12, kRowGap = 10, kAxisHeight = 34;

// Maps values to x within the plot area.
class Scale {
 public:
  Scale(double lo, double hi, bool log) : lo_(lo), hi_(hi), log_(log) {}
  double X(double value) const {
    double t = log_ ? (std::log10(std::max(value, lo_)) - std::log10(lo_)) /
                          (std::log10(hi_) - std::log10(lo_))
                    : (value - lo_) / (hi_ - lo_);
    t = std::clamp(t, 0.0, 1.0);
    return kPlotLeft + t * (kPlotRight - kPlotLeft);
  }
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double lo_, hi_;
  bool log_;
};

double DataMax(const std::vector<BarRow>& rows) {
  double max = 0;
  for (const BarRow& row : rows)
    for (const Bar& bar : row.bars) max = std::max({max, bar.value, bar.high.value_or(0)});
  return max;
}

double DataMinPositive(const std::vector<BarRow>& rows) {
  double min = 0;
  for (const BarRow& row : rows)
    for (const Bar& bar : row.bars)
      for (double v : {bar.value, bar.low.value_or(0)})
        if (v > 0 && (min == 0 || v < min)) min = v;
  return min;
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  for (double t = lo; t <= hi * 1.0001; t *= 10) ticks.push_back(t);
  return ticks;
}

std::string Axis(const Scale& scale, const std::vector<double>& ticks, double bottom,
                 const std::string& unit) {
  std::string svg;
  for (double tick : ticks) {
    const double x = scale.X(tick);
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>",
                       x, kTop - 4, bottom);
    svg +=
        fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    x, bottom + 14, HtmlEscape(Number(tick, 3)));
  }
  svg += fmt::format("<text class=\"unit\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     (kPlotLeft + kPlotRight) / 2, bottom + 30, HtmlEscape(unit));
  return svg;
}

std::string BarSvg(const Bar& bar, const Scale& scale, double y) {
  const double x0 = scale.X(scale.lo()), x1 = scale.X(bar.value);
  std::string svg = fmt::format("<g><title>{}</title>", HtmlEscape(bar.tooltip));
  svg +=
      fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"/>",
                  HtmlEscape(bar.css_class), x0, y, std::max(x1 - x0, 1.0), kBarHeight);
  double text_x = x1;
  if (bar.low && bar.high) {
    const double lx = scale.X(*bar.low), hx = scale.X(*bar.high), my = y + kBarHeight / 2;
    svg += fmt::format(
        "<path class=\"whisker\" "
        "d=\"M{0:.1f},{1:.1f}H{2:.1f}M{0:.1f},{3:.1f}V{4:.1f}M{2:.1f},{3:.1f}V{4:.1f}\"/>",
        lx, my, hx, y + 1, y + kBarHeight - 1);
    text_x = std::max(text_x, hx);
  }
  if (!bar.text.empty()) {
    svg += fmt::format("<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", text_x + 4,
                       y + kBarHeight - 2, HtmlEscape(bar.text));
  }
  return svg + "</g>";
}

std::string Legend(const std::vector<LegendEntry>& legend) {
  std::string svg;
  double x = kPlotLeft;
  for (const LegendEntry& entry : legend) {
    svg += fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"22\" width=\"10\" height=\"10\"/>",
                       HtmlEscape(entry.css_class), x);
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"31\">{}</text>", x + 14,
                       HtmlEscape(entry.name));
    x += 24 + 7.0 * static_cast<double>(entry.name.size());
  }
  return svg;
}

}  // namespace

std::vector<double> LinearTicks(double max) {
  if (!(max > 0)) return {0, 1};
  const double raw = max / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (int i = 0; ticks.empty() || ticks.back() < max; ++i) ticks.push_back(step * i);
  return ticks;
}

std::string HorizontalBarChart(const ChartSpec& spec, const std::vector<BarRow>& rows) {
  double plot_height = 0;
  for (const BarRow& row : rows)
    plot_height +=
        static_cast<double>(std::max<std::size_t>(row.bars.size(), 1)) * kBarHeight + kRowGap;
  if (rows.empty()) plot_height = 30;
  const double bottom = kTop + plot_height;
  const double height = bottom + kAxisHeight + 6;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"{0}\" "
      "width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\"><text class=\"title\" x=\"0\" "
      "y=\"16\">{0}</text>",
      HtmlEscape(spec.title), kWidth, height);
  svg += Legend(spec.legend);
  if (rows.empty()) {
    return svg + fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">no data</text></svg>",
                             kPlotLeft, kTop + 18);
  }
  const double max = spec.fixed_max.value_or(DataMax(rows));
  std::vector<double> ticks;
  Scale scale(0, 1, false);
  if (spec.log_scale) {
    const double min_positive = DataMinPositive(rows);
    const double lo = min_positive > 0 ? std::pow(10, std::floor(std::log10(min_positive))) : 1;
    const double hi = std::max(lo * 10, std::pow(10, std::ceil(std::log10(std::max(max, lo)))));
    scale = Scale(lo, hi, true);
    ticks = LogTicks(lo, hi);
  } else {
    ticks = spec.fixed_max ? LinearTicks(*spec.fixed_max) : LinearTicks(max);
    scale = Scale(0, ticks.back(), false);
  }
  svg += Axis(scale, ticks, bottom, spec.unit);
  double y = kTop;
  for (const BarRow& row : rows) {
    const double row_height =
        static_cast<double>(std::max<std::size_t>(row.bars.size(), 1)) * kBarHeight;
    svg += fmt::format("<text class=\"label\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                       kLabelWidth, y + row_height / 2 + 4, HtmlEscape(Shorten(row.label, 48)));
    for (std::size_t i = 0; i < row.bars.size(); ++i)
      svg += BarSvg(row.bars[i], scale, y + static_cast<double>(i) * kBarHeight);
    y += row_height + kRowGap;
  }
  return svg + "</svg>";
}

}  // namespace stampede::reports
