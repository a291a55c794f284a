#include "reports/report_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>

#include "reports/baseline_compare.h"
#include "reports/html_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;

std::optional<ReportError> WriteAtomically(const fs::path& path, const std::string& text) {
  auto fail = [&](const std::string& why) {
    return ReportError{ReportError::Kind::kEnvironment,
                       fmt::format("{}: cannot write: {}", path.string(), why)};
  };
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return fail(ec.message());
  }
  const fs::path temporary = path.string() + fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return fail(std::strerror(errno));
    out << text;
    out.close();
    if (!out) {
      fs::remove(temporary, ec);
      return fail("write failed");
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return fail(ec.message());
  }
  return std::nullopt;
}

}  // namespace

ReportResult<ReportSummary> RunReport(const ReportRequest& request) {
  auto current = LoadAndMerge(request.suites);
  if (!current.ok()) return current.error();
  std::optional<Comparison> comparison;
  if (!request.baseline.empty()) {
    auto baseline = LoadAndMerge(request.baseline);
    if (!baseline.ok()) return baseline.error();
    comparison = CompareSuites(baseline.value(), current.value());
  }
  const Suite& suite = current.value();
  const Comparison* compared = comparison ? &*comparison : nullptr;
  ReportSummary summary;
  summary.cells = static_cast<int>(suite.totals.cells);
  summary.unexpected = static_cast<int>(suite.totals.unexpected);
  if (comparison) {
    summary.regressions = comparison->regressions;
    summary.verdict_changes = comparison->verdict_changes;
  }
  const std::pair<const std::optional<fs::path>*, std::function<std::string(const fs::path&)>>
      outputs[] = {
          {&request.html, [&](const fs::path& path) { return HtmlReport(suite, compared, path); }},
          {&request.markdown, [&](const fs::path&) { return MarkdownReport(suite, compared); }},
          {&request.junit, [&](const fs::path&) { return JunitXml(suite); }},
      };
  for (const auto& [path, render] : outputs) {
    if (!*path) continue;
    if (auto error = WriteAtomically(**path, render(**path))) return *error;
    summary.written.push_back(**path);
  }
  return summary;
}

}  // namespace stampede::reports
