#include "reports/markdown_report.h"

#include <fmt/format.h>

#include "reports/report_format.h"
#include "reports/stats_summary.h"
#include "reports/text_escape.h"

namespace stampede::reports {
namespace {

constexpr std::size_t kSummaryBytes = 160;

std::string OutcomeBadge(const Cell& cell) {
  return fmt::format("{} {}", cell.as_expected ? "✅" : "❌", cell.outcome);
}

std::string Header(const Suite& suite) {
  const Totals& t = suite.totals;
  std::string md = fmt::format("## stampede: {} {} of {} cells as expected\n\n",
                               t.unexpected == 0 ? "✅" : "❌", t.as_expected, t.cells);
  md += fmt::format("{} attempts: {} passed, {} failed, {} errors, {} aborted.\n\n", t.attempts,
                    t.passed, t.failed, t.errors, t.aborted);
  for (const SuiteSource& source : suite.sources)
    md += "- " + MarkdownCell(SourceLine(source)) + "\n";
  return md + "\n";
}

std::string VerdictTable(const Suite& suite) {
  std::string md =
      "### Verdicts\n\n| scenario | cell | expect | outcome | attempts | failure kinds | first "
      "failure |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const Cell& cell : suite.cells) {
    const auto first = FirstProblemOf(cell);
    const std::string problem = first ? fmt::format("#{} {}: {}", first->attempt, first->kind,
                                                    Shorten(first->summary, kSummaryBytes))
                                      : "";
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", MarkdownCell(cell.scenario),
                      MarkdownCell(cell.id), cell.expect, OutcomeBadge(cell),
                      MarkdownCell(AttemptCountsText(cell)), MarkdownCell(KindsText(cell)),
                      MarkdownCell(problem));
  }
  return md + "\n";
}

std::string FiguresTable(const Suite& suite) {
  std::string md =
      "### Key figures\n\nMedians over attempts; throughput with its range; failure rate with its "
      "95% Wilson interval.\n\n"
      "| cell | throughput ops/s | p50 | p90 | p99 | max | failure rate | stop ms |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const Cell& cell : suite.cells) {
    const CellSummary s = Summarize(cell);
    std::string throughput = "–", p50 = "–", p90 = "–", p99 = "–", max = "–", stops = "–";
    if (s.throughput_ops_s) {
      throughput = fmt::format("{} ({}–{})", Number(s.throughput_ops_s->median),
                               Number(s.throughput_ops_s->min), Number(s.throughput_ops_s->max));
    }
    if (s.latency_median_us) {
      p50 = Micros(s.latency_median_us->p50), p90 = Micros(s.latency_median_us->p90);
      p99 = Micros(s.latency_median_us->p99), max = Micros(s.latency_median_us->max);
    }
    if (s.stop_ms)
      stops = fmt::format("{} ({}–{})", Number(s.stop_ms->median), Number(s.stop_ms->min),
                          Number(s.stop_ms->max));
    const FailureRate& r = cell.failure_rate;
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {}% ({}–{}%) | {} |\n",
                      MarkdownCell(cell.id), throughput, p50, p90, p99, max, Number(r.rate * 100),
                      Number(r.low * 100), Number(r.high * 100), stops);
  }
  return md + "\n";
}

std::string DeltaText(const std::optional<MetricDelta>& delta, bool latency) {
  if (!delta) return "–";
  auto value = [&](double v) { return latency ? Micros(v) : Number(v); };
  std::string text =
      fmt::format("{} → {} ({}, p={})", value(delta->baseline_median), value(delta->current_median),
                  SignedPercent(delta->relative), Number(delta->p, 3));
  if (delta->change != Change::kNone) text += fmt::format(" **{}**", ToString(delta->change));
  return text;
}

std::string IdList(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) text += (text.empty() ? "" : ", ") + MarkdownCell(id);
  return text;
}

std::string BaselineSection(const Comparison& c) {
  std::string md = fmt::format(
      "### Against the baseline\n\n{} verdict changes, {} regressions, {} improvements (a change "
      "is flagged when Mann–Whitney p < {} and the medians differ by at least {}%).\n\n",
      c.verdict_changes, c.regressions, c.improvements, Number(kSignificance, 2),
      Number(kMinRelativeChange * 100));
  md += "| cell | outcome | throughput ops/s | p99 |\n|---|---|---|---|\n";
  for (const CellComparison& row : c.cells) {
    const std::string outcome =
        row.outcome_changed ? fmt::format("{} → {}{}", row.baseline_outcome, row.current_outcome,
                                          row.as_expected_changed ? " ⚠️" : "")
                            : row.current_outcome;
    md += fmt::format("| {} | {} | {} | {} |\n", MarkdownCell(row.id), outcome,
                      DeltaText(row.throughput, false), DeltaText(row.p99, true));
  }
  if (!c.only_current.empty()) md += "\nOnly in this suite: " + IdList(c.only_current) + "\n";
  if (!c.only_baseline.empty()) md += "\nOnly in the baseline: " + IdList(c.only_baseline) + "\n";
  return md + "\n";
}

}  // namespace

std::string MarkdownReport(const Suite& suite, const Comparison* comparison) {
  std::string md = Header(suite) + VerdictTable(suite) + FiguresTable(suite);
  if (comparison) md += BaselineSection(*comparison);
  return md;
}

}  // namespace stampede::reports
