// `stampede run` with several scenarios, a folder, --matrix, --expect-fail or --shard: a suite.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress_line.h"
#include "cli/run_support.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "reports/report_command.h"
#include "run/attempts.h"
#include "run/run_dir.h"
#include "scenario/scenario.h"
#include "suite/suite_plan.h"
#include "suite/suite_record.h"

namespace stampede {
namespace {

namespace fs = std::filesystem;

struct SuiteFlags {
  std::vector<MatrixAxis> matrix;
  std::vector<ExpectRule> expect_fail;
  std::optional<std::pair<int, int>> shard;
};

Result<SuiteFlags> ParseSuiteFlags(const RunFlags& flags) {
  SuiteFlags parsed;
  for (const auto& text : flags.matrix) {
    auto axis = ParseMatrixAxis(text);
    if (!axis.ok()) return axis.error();
    parsed.matrix.push_back(axis.value());
  }
  for (const auto& text : flags.expect_fail) {
    auto rule = ParseExpectRule(text);
    if (!rule.ok()) return rule.error();
    parsed.expect_fail.push_back(rule.value());
  }
  if (!flags.shard.empty()) {
    auto shard = ParseShard(flags.shard);
    if (!shard.ok()) return shard.error();
    parsed.shard = shard.value();
  }
  if (flags.until_fail) return InvalidInput("--until-fail runs one scenario, not a suite");
  return parsed;
}

// Every cell's scenario must load with the cell's overrides before anything runs, so that a
// mistake in any file stops the suite at once (exit 2), not half-way through.
Result<std::vector<CellPlan>> PlanCells(const RunFlags& flags, const SuiteFlags& suite,
                                        const Overrides& sets) {
  auto files = ScenarioFiles(flags.scenario_files);
  if (!files.ok()) return InvalidInput("stampede: " + files.error().message);
  std::vector<ScenarioInfo> scenarios;
  for (const auto& file : files.value()) {
    auto scenario = LoadScenario(file, {});
    if (!scenario.ok()) return scenario.error();
    scenarios.push_back({file, scenario.value().name, scenario.value().params});
  }
  auto cells = PlanSuite(scenarios, suite.matrix, sets, suite.expect_fail);
  if (!cells.ok()) return InvalidInput("stampede: " + cells.error().message);
  for (const auto& cell : cells.value()) {
    if (auto loaded = LoadScenario(cell.file, cell.overrides); !loaded.ok()) {
      return Error{loaded.error().kind, cell.id + ": " + loaded.error().message};
    }
  }
  if (suite.shard) return ShardCells(cells.value(), suite.shard->first, suite.shard->second);
  return cells;
}

std::vector<std::string> SetTexts(const Overrides& overrides) {
  std::vector<std::string> texts;
  for (const auto& [key, value] : overrides) texts.push_back(key + "=" + value);
  return texts;
}

std::string CommandLine(const RunFlags& flags) {
  std::string line = flags.program + " run";
  for (const auto& file : flags.scenario_files) line += " " + ShellQuote(file);
  for (const auto& set : flags.sets) line += " --set " + ShellQuote(set);
  for (const auto& axis : flags.matrix) line += " --matrix " + ShellQuote(axis);
  for (const auto& rule : flags.expect_fail) line += " --expect-fail " + ShellQuote(rule);
  if (flags.repeat > 1) line += " --repeat " + std::to_string(flags.repeat);
  if (!flags.shard.empty()) line += " --shard " + flags.shard;
  if (flags.suite) line += " --suite";
  return line;
}

class SuiteRun {
 public:
  // Attempt N of every cell runs with seed AttemptSeed(base_seed, N).
  SuiteRun(const RunFlags& flags, fs::path root, std::uint64_t base_seed,
           const std::stop_token& abort)
      : flags_(flags),
        root_(std::move(root)),
        abort_(abort),
        line_(ShowsProgress(flags)),
        base_seed_(base_seed) {}

  // Runs the cell's attempts; false when the user interrupted.
  bool RunCell(const CellPlan& plan, std::size_t index, std::size_t count);
  const std::vector<CellResult>& results() const { return results_; }

 private:
  AttemptResult RunAttempt(const CellPlan& plan, int attempt, std::size_t index, std::size_t count);

  const RunFlags& flags_;
  fs::path root_;
  std::stop_token abort_;
  ProgressLine line_;
  std::uint64_t base_seed_;
  std::vector<CellResult> results_;
};

AttemptResult SuiteRun::RunAttempt(const CellPlan& plan, int attempt, std::size_t index,
                                   std::size_t count) {
  AttemptResult result;
  result.attempt = attempt;
  result.seed = AttemptSeed(base_seed_, attempt);
  result.dir = fmt::format("cells/{}/attempt-{:03d}", plan.dir, attempt);
  result.reproduce = ReproduceCommand(flags_, plan.file, SetTexts(plan.overrides), result.seed);
  auto scenario = LoadForRun(flags_, plan.file, plan.overrides);
  if (!scenario.ok()) {
    result.error = scenario.error().message;
    return result;
  }
  RunOptions options = BaseOptions(flags_);
  options.out_dir = root_ / result.dir;
  options.seed = result.seed;
  options.reproduce = result.reproduce;
  options.progress = [&](const ProgressSnapshot& snapshot) {
    line_.Show(fmt::format("[{}/{}] {}  {}", index + 1, count, plan.id,
                           ProgressText(attempt, flags_.repeat, snapshot)));
  };
  auto report = RunScenario(scenario.value(), options, abort_);
  line_.Clear();
  if (!report.ok()) {
    result.error = report.error().message;
  } else {
    result.verdict = nlohmann::json::parse(VerdictText(report.value().verdict));
  }
  return result;
}

bool SuiteRun::RunCell(const CellPlan& plan, std::size_t index, std::size_t count) {
  CellResult cell{plan, {}};
  bool interrupted = false;
  for (int attempt = 1; attempt <= flags_.repeat && !interrupted; ++attempt) {
    cell.attempts.push_back(RunAttempt(plan, attempt, index, count));
    interrupted = abort_.stop_requested();
  }
  const auto json = CellJson(cell);
  std::string kinds;
  for (const auto& [kind, n] : json["failures_by_kind"].items()) {
    kinds += fmt::format("{}{} {}/{}", kinds.empty() ? "" : ", ", kind, n.get<int>(),
                         cell.attempts.size());
  }
  if (!flags_.json) {
    std::cout << fmt::format("[{}/{}] {:<40} {:<16} {:<24} {}\n", index + 1, count, plan.id,
                             json["outcome"].get<std::string>(), kinds,
                             (root_ / "cells" / plan.dir).string())
              << std::flush;
  }
  results_.push_back(std::move(cell));
  return !interrupted;
}

int ExitCodeOf(const nlohmann::json& suite, bool interrupted) {
  if (interrupted) return kExitInterrupted;
  for (const auto& cell : suite["cells"]) {
    if (cell["outcome"] == "error") return kExitEnvironment;
  }
  return suite["totals"]["unexpected"].get<int>() > 0 ? kExitFail : kExitPass;
}

// report.html and report.md beside suite.json; a report that cannot be written is only a
// warning, the suite's verdicts stand.
void WriteReports(const fs::path& root) {
  reports::ReportRequest request;
  request.suites = {root};
  request.html = root / "report.html";
  request.markdown = root / "report.md";
  auto written = reports::RunReport(request);
  if (!written.ok()) std::cerr << "stampede: report: " << written.error().message << "\n";
}

}  // namespace

bool IsSuite(const RunFlags& flags) {
  std::error_code ec;
  return flags.suite || flags.scenario_files.size() > 1 ||
         (!flags.scenario_files.empty() && fs::is_directory(flags.scenario_files.front(), ec)) ||
         !flags.matrix.empty() || !flags.expect_fail.empty() || !flags.shard.empty();
}

int SuiteCommand(const RunFlags& flags, const std::stop_token& abort) {
  bool ok = true;
  auto sets = ParseSets(flags.sets, ok);
  auto suite_flags = ParseSuiteFlags(flags);
  if (!ok || !suite_flags.ok()) {
    if (!suite_flags.ok()) std::cerr << "stampede: " << suite_flags.error().message << "\n";
    return kExitUsage;
  }
  auto cells = PlanCells(flags, suite_flags.value(), sets);
  if (!cells.ok()) {
    std::cerr << cells.error().message << "\n";
    return cells.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  const auto started = std::chrono::system_clock::now();
  auto root = PrepareRunDir(flags.out_dir, "runs", "suite", started);
  if (!root.ok()) {
    std::cerr << "stampede: " << root.error().message << "\n";
    return kExitEnvironment;
  }
  const std::int64_t start_ns = MonotonicNanos();
  SuiteRun run(flags, fs::absolute(root.value()), flags.seed ? *flags.seed : RandomSeed(), abort);
  bool interrupted = false;
  for (std::size_t i = 0; i < cells.value().size() && !interrupted; ++i) {
    interrupted = !run.RunCell(cells.value()[i], i, cells.value().size());
  }
  const SuiteInfo info{Iso8601(started),
                       (MonotonicNanos() - start_ns) / 1000000,
                       CommandLine(flags),
                       flags.repeat,
                       suite_flags.value().shard,
                       suite_flags.value().matrix,
                       flags.sets};
  const auto suite = SuiteJson(info, run.results());
  const auto file = root.value() / "suite.json";
  if (auto written = WriteFileAtomically(file, suite.dump(2) + "\n"); !written.ok()) {
    std::cerr << "stampede: " << written.error().message << "\n";
    return kExitEnvironment;
  }
  WriteReports(root.value());
  const auto& totals = suite["totals"];
  if (flags.json) {
    std::cout << suite.dump(2) << "\n";
  } else {
    std::cout << fmt::format(
        "{} cells ({} attempts): {} as expected, {} not{}\n  suite: {}\n  report: {}\n",
        totals["cells"].get<int>(), totals["attempts"].get<int>(), totals["as_expected"].get<int>(),
        totals["unexpected"].get<int>(), interrupted ? "; interrupted" : "", file.string(),
        (root.value() / "report.html").string());
  }
  return ExitCodeOf(suite, interrupted);
}

int ReportCommand(const ReportFlags& flags) {
  reports::ReportRequest request;
  for (const auto& suite : flags.suites) request.suites.emplace_back(suite);
  for (const auto& suite : flags.baseline) request.baseline.emplace_back(suite);
  if (!flags.html.empty()) request.html = flags.html;
  if (!flags.markdown.empty()) request.markdown = flags.markdown;
  if (!flags.junit.empty()) request.junit = flags.junit;
  if (!request.html && !request.markdown && !request.junit) {
    fs::path first = request.suites.front();
    if (!fs::is_directory(first)) first = first.parent_path();
    request.html = first / "report.html";
    request.markdown = first / "report.md";
  }
  auto summary = reports::RunReport(request);
  if (!summary.ok()) {
    std::cerr << "stampede: " << summary.error().message << "\n";
    return summary.error().kind == reports::ReportError::Kind::kInvalidInput ? kExitUsage
                                                                             : kExitEnvironment;
  }
  const auto& s = summary.value();
  std::cout << fmt::format("{} cells, {} not as expected", s.cells, s.unexpected);
  if (!request.baseline.empty()) {
    std::cout << fmt::format("; against the baseline: {} verdict changes, {} regressions",
                             s.verdict_changes, s.regressions);
  }
  std::cout << "\n";
  for (const auto& path : s.written) std::cout << "  wrote " << path.string() << "\n";
  return kExitPass;
}

}  // namespace stampede
