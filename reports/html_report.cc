#include "reports/html_report.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "reports/html_charts.h"
#include "reports/report_format.h"
#include "reports/report_links.h"
#include "reports/text_escape.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSummaryBytes = 400;

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f5}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;margin-right:6px}
td.o-pass,tr.o-pass>td.outcome,.badge.o-pass{background:#d7f0d9;color:#11521a}
td.o-fail,tr.o-fail>td.outcome,.badge.o-fail{background:#f8d3d0;color:#7a1209}
td.o-expected-fail,tr.o-expected-fail>td.outcome,.badge.o-expected-fail{background:#d5e8f7;color:#0d3c61}
td.o-unexpected-pass,tr.o-unexpected-pass>td.outcome,.badge.o-unexpected-pass{background:#fde6c4;color:#6b3b00}
td.o-error,tr.o-error>td.outcome,.badge.o-error{background:#e6d9f2;color:#46206b}
td.o-aborted,tr.o-aborted>td.outcome,.badge.o-aborted{background:#e4e4e4;color:#333}
.matrix td{text-align:center;min-width:90px}.matrix td.none{background:#fafafa}
.matrix a,.cells a{color:inherit}
rect.o-pass{fill:#43a047}rect.o-fail{fill:#e53935}rect.o-expected-fail{fill:#1e88e5}
rect.o-unexpected-pass{fill:#fb8c00}rect.o-error{fill:#8e24aa}rect.o-aborted{fill:#9e9e9e}
rect.l-p50{fill:#90caf9}rect.l-p90{fill:#42a5f5}rect.l-p99{fill:#1565c0}rect.l-max{fill:#0d2c54}
svg.chart{display:block;margin:12px 0;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}svg text.title{font-weight:600;font-size:14px}
svg .grid{stroke:#e2e2e2}svg .whisker{stroke:#222;stroke-width:1.5;fill:none}svg text.tick,svg text.unit{fill:#555}
.regression{color:#b71c1c;font-weight:600}.improvement{color:#1b5e20;font-weight:600}
details summary{cursor:pointer}ul.attempts{margin:4px 0;padding-left:18px}
)";

std::string Badge(const std::string& outcome, const std::string& text) {
  return fmt::format("<span class=\"badge {}\">{}</span>", OutcomeClass(outcome), HtmlEscape(text));
}

std::string Link(const fs::path& target, const fs::path& document, const std::string& text) {
  return fmt::format("<a href=\"{}\">{}</a>", HtmlEscape(RelativeHref(target, document)),
                     HtmlEscape(text));
}

// The part of a cell id after the scenario name ("[bug=x]"), or "(default)".
std::string ValuesLabel(const Cell& cell) {
  if (cell.values.empty()) return "(default)";
  std::string label;
  for (const auto& [key, value] : cell.values)
    label += (label.empty() ? "" : ", ") + key + "=" + value;
  return label;
}

std::string Header(const Suite& suite) {
  const Totals& t = suite.totals;
  std::string html =
      fmt::format("<h1>stampede report</h1>\n<p>{}{}</p>\n",
                  Badge(t.unexpected == 0 ? "pass" : "fail",
                        fmt::format("{} of {} cells as expected", t.as_expected, t.cells)),
                  HtmlEscape(fmt::format("{} attempts: {} passed, {} failed, {} errors, {} aborted",
                                         t.attempts, t.passed, t.failed, t.errors, t.aborted)));
  html += "<ul class=\"sources\">\n";
  for (const SuiteSource& source : suite.sources)
    html += fmt::format("<li><code>{}</code></li>\n", HtmlEscape(SourceLine(source)));
  return html + "</ul>\n";
}

std::string MatrixCell(const Cell& cell, std::size_t index, bool labelled) {
  return fmt::format(
      "<td class=\"{}\" title=\"{}\">{}<a href=\"#cell-{}\">{}</a><br><small>{}</small></td>",
      OutcomeClass(cell.outcome), HtmlEscape(cell.id),
      labelled ? "<small>" + HtmlEscape(ValuesLabel(cell)) + "</small><br>" : "", index,
      HtmlEscape(cell.outcome), HtmlEscape(KindsText(cell)));
}

// Scenario rows × value columns when most of that grid is filled (a backend comparison);
// otherwise (every scenario with values of its own, as bug modes are) one row per scenario
// with its cells in order, each labelled with its values.
std::string Matrix(const Suite& suite) {
  std::vector<std::string> scenarios, columns;
  std::map<std::pair<std::string, std::string>, std::size_t> at;
  std::map<std::string, std::vector<std::size_t>> by_scenario;
  for (std::size_t i = 0; i < suite.cells.size(); ++i) {
    const Cell& cell = suite.cells[i];
    const std::string column = ValuesLabel(cell);
    if (std::find(scenarios.begin(), scenarios.end(), cell.scenario) == scenarios.end())
      scenarios.push_back(cell.scenario);
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
    at[{cell.scenario, column}] = i;
    by_scenario[cell.scenario].push_back(i);
  }
  const bool aligned = 2 * suite.cells.size() >= scenarios.size() * columns.size();
  std::string html =
      "<h2 id=\"matrix\">Verdict matrix</h2>\n<table class=\"matrix\">\n<tr><th>scenario</th>";
  if (aligned) {
    for (const std::string& column : columns)
      html += fmt::format("<th>{}</th>", HtmlEscape(column));
  } else {
    html += "<th colspan=\"99\">cells</th>";
  }
  html += "</tr>\n";
  for (const std::string& scenario : scenarios) {
    html += fmt::format("<tr class=\"scenario\"><th>{}</th>", HtmlEscape(scenario));
    if (!aligned) {
      for (std::size_t index : by_scenario[scenario]) {
        html += MatrixCell(suite.cells[index], index, true);
      }
      html += "</tr>\n";
      continue;
    }
    for (const std::string& column : columns) {
      auto it = at.find({scenario, column});
      if (it == at.end()) {
        html += "<td class=\"none\"></td>";
        continue;
      }
      html += MatrixCell(suite.cells[it->second], it->second, false);
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

std::string AttemptItem(const Attempt& attempt, const fs::path& document) {
  std::error_code ec;
  std::string html = fmt::format(
      "<li>#{} <b>{}</b>{} · seed {} · {} ms", attempt.attempt, HtmlEscape(attempt.verdict),
      attempt.kinds.empty()
          ? ""
          : " (" + HtmlEscape(fmt::format("{}", fmt::join(attempt.kinds, ", "))) + ")",
      attempt.seed, attempt.duration_ms);
  if (fs::is_directory(attempt.dir, ec)) html += " · " + Link(attempt.dir, document, "run folder");
  if (fs::is_regular_file(attempt.verdict_file, ec))
    html += " · " + Link(attempt.verdict_file, document, "verdict.json");
  for (const fs::path& file : EvidenceFiles(attempt.dir)) {
    if (fs::equivalent(file, attempt.verdict_file, ec)) continue;
    html += " · " + Link(file, document, file.filename().string());
  }
  if (attempt.error)
    html += fmt::format("<pre>error: {}</pre>", HtmlEscape(Shorten(*attempt.error, kSummaryBytes)));
  return html + fmt::format("<br><code>{}</code></li>\n", HtmlEscape(attempt.reproduce));
}

std::string CellRow(const Cell& cell, std::size_t index, const fs::path& document) {
  const auto first = FirstProblemOf(cell);
  std::string problem;
  if (first)
    problem = fmt::format("<pre>#{} {}: {}</pre>", first->attempt, HtmlEscape(first->kind),
                          HtmlEscape(Shorten(first->summary, kSummaryBytes)));
  std::string attempts = fmt::format(
      "<details><summary>{} attempts</summary><ul class=\"attempts\">\n", cell.attempts.size());
  for (const Attempt& attempt : cell.attempts) attempts += AttemptItem(attempt, document);
  attempts += "</ul></details>";
  std::error_code ec;
  const std::string folder =
      fs::is_directory(cell.dir, ec) ? "<br>" + Link(cell.dir, document, "cell folder") : "";
  return fmt::format(
      "<tr class=\"cell {}\" id=\"cell-{}\"><td>{}</td><td><b>{}</b>{}</td><td>{}</td><td "
      "class=\"outcome\">{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      OutcomeClass(cell.outcome), index, HtmlEscape(cell.scenario), HtmlEscape(cell.id), folder,
      HtmlEscape(cell.expect), HtmlEscape(cell.outcome), HtmlEscape(AttemptCountsText(cell)),
      HtmlEscape(KindsText(cell)), problem, attempts);
}

std::string CellsTable(const Suite& suite, const fs::path& document) {
  std::string html =
      "<h2 id=\"cells\">Cells</h2>\n<table "
      "class=\"cells\">\n<tr><th>scenario</th><th>cell</th><th>expect</th>"
      "<th>outcome</th><th>attempts</th><th>failure kinds</th><th>first failure</th><th>runs and "
      "evidence</th></tr>\n";
  for (std::size_t i = 0; i < suite.cells.size(); ++i) html += CellRow(suite.cells[i], i, document);
  return html + "</table>\n";
}

std::string Charts(const Suite& suite) {
  return "<h2 id=\"charts\">Charts</h2>\n" + ThroughputChart(suite) + "\n" + LatencyChart(suite) +
         "\n" + FailureRateChart(suite) + "\n" + StopDurationChart(suite) + "\n";
}

std::string DeltaCell(const std::optional<MetricDelta>& delta, bool latency) {
  if (!delta) return "<td>–</td>";
  auto value = [&](double v) { return latency ? Micros(v) : Number(v); };
  std::string text =
      HtmlEscape(fmt::format("{} → {} ({}, p={}, n={}/{})", value(delta->baseline_median),
                             value(delta->current_median), SignedPercent(delta->relative),
                             Number(delta->p, 3), delta->baseline_samples, delta->current_samples));
  if (delta->change != Change::kNone)
    text += fmt::format(" <span class=\"{0}\">{0}</span>", ToString(delta->change));
  return "<td>" + text + "</td>";
}

std::string IdList(const std::vector<std::string>& ids) {
  std::string html;
  for (const std::string& id : ids) html += fmt::format("<li>{}</li>", HtmlEscape(id));
  return "<ul>" + html + "</ul>\n";
}

std::string Baseline(const Comparison& c) {
  std::string html = fmt::format(
      "<h2 id=\"baseline\">Against the baseline</h2>\n<p>{} verdict changes, {} regressions, {} "
      "improvements. "
      "A change is flagged when the Mann–Whitney p-value over the attempts is below {} and the "
      "medians differ by at "
      "least {}%.</p>\n<table class=\"baseline\">\n<tr><th>cell</th><th>outcome</th><th>throughput "
      "ops/s</th><th>p99</th></tr>\n",
      c.verdict_changes, c.regressions, c.improvements, Number(kSignificance, 2),
      Number(kMinRelativeChange * 100));
  for (const CellComparison& row : c.cells) {
    const std::string outcome = row.outcome_changed
                                    ? Badge(row.baseline_outcome, row.baseline_outcome) + "→ " +
                                          Badge(row.current_outcome, row.current_outcome)
                                    : Badge(row.current_outcome, row.current_outcome);
    html += fmt::format("<tr><td>{}</td><td>{}</td>{}{}</tr>\n", HtmlEscape(row.id), outcome,
                        DeltaCell(row.throughput, false), DeltaCell(row.p99, true));
  }
  html += "</table>\n";
  if (!c.only_current.empty()) html += "<p>Only in this suite:</p>" + IdList(c.only_current);
  if (!c.only_baseline.empty()) html += "<p>Only in the baseline:</p>" + IdList(c.only_baseline);
  return html;
}

}  // namespace

std::string HtmlReport(const Suite& suite, const Comparison* comparison, const fs::path& document) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += fmt::format("<title>stampede report: {} of {} cells as expected</title>\n",
                      suite.totals.as_expected, suite.totals.cells);
  html += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
  html += Header(suite) + Matrix(suite) + CellsTable(suite, document) + Charts(suite);
  if (comparison) html += Baseline(*comparison);
  return html + "</body>\n</html>\n";
}

}  // namespace stampede::reports
