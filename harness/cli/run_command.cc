#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <random>

#include "checkers/failure_rate.h"
#include "checkers/signature.h"
#include "cli/commands.h"
#include "cli/interrupts.h"
#include "cli/progress_line.h"
#include "cli/run_support.h"
#include "cli/summary.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "run/attempts.h"
#include "run/run.h"
#include "run/run_dir.h"
#include "scenario/network_check.h"

namespace stampede {
namespace {

// "attempt 3/20  fail   crash, hang  (seed 42)  DIR"
std::string AttemptLine(const AttemptRecord& record, std::int64_t planned) {
  std::string kinds;
  for (const auto& kind : record.failure_kinds) kinds += (kinds.empty() ? "" : ", ") + kind;
  return fmt::format("attempt {}/{}  {:<7} {:<14} (seed {})  {}\n", record.attempt, planned,
                     ToString(record.outcome), kinds, record.seed, record.dir.string());
}

std::string Percent(double fraction) {
  return fmt::format("{:.1f}%", 100.0 * fraction);
}

// "20 attempts in 61.2 s (19.6/min): 6 failed (crash 6), 14 passed, ended: completed" and the
// rate with its interval, then the first failure and how to repeat it.
// "failure rate below 1.0% at 95.0% confidence: proven by 268 clean attempts (upper bound
// 0.99%)", or why it was not.
std::string ProofText(const nlohmann::json& proof, const nlohmann::json& attempts) {
  const std::string claim = fmt::format("failure rate below {} at {} confidence",
                                        Percent(proof["below"]), Percent(proof["confidence"]));
  const std::string result = proof["result"].get<std::string>();
  const std::string bound = fmt::format("{:.2f}%", 100.0 * proof["upper_bound"].get<double>());
  if (result == "proven") {
    return fmt::format("  {}: proven by {} clean attempts (upper bound {})\n", claim,
                       attempts.get<std::int64_t>(), bound);
  }
  if (result == "failed") {
    return fmt::format("  {}: not proven, attempt {} failed (upper bound {})\n", claim,
                       attempts.get<std::int64_t>(), bound);
  }
  return fmt::format("  {}: not proven, stopped after {} of {} clean attempts (upper bound {})\n",
                     claim, attempts.get<std::int64_t>(),
                     proof["clean_attempts_needed"].get<std::int64_t>(), bound);
}

// "  2 distinct failures:" then "    19x crash server: f < g < h  (first: attempt 1)" each.
std::string SignaturesText(const nlohmann::json& signatures) {
  if (signatures.empty()) return "";
  std::string text = fmt::format("  {} distinct failure{}:\n", signatures.size(),
                                 signatures.size() == 1 ? "" : "s");
  for (const auto& group : signatures) {
    text +=
        fmt::format("    {}x {}  (first: attempt {}{})\n", group["attempts"].get<std::int64_t>(),
                    group["signature"].get<std::string>(), group["first_attempt"].get<int>(),
                    group.value("known", false) ? ", known" : "");
  }
  return text;
}

std::string SeriesText(const nlohmann::json& summary, const std::filesystem::path& file) {
  std::string kinds;
  for (const auto& [kind, count] : summary["failures_by_kind"].items()) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, count.get<std::int64_t>());
  }
  std::string text = fmt::format(
      "{}: {} attempts in {:.1f} s ({:.1f}/min): {} failed{}, {} passed{}; ended: {}\n",
      summary["scenario"].get<std::string>(), summary["attempts"].get<std::int64_t>(),
      summary["wall_ms"].get<std::int64_t>() / 1000.0, summary["attempts_per_minute"].get<double>(),
      summary["failed"].get<std::int64_t>(), kinds.empty() ? "" : " (" + kinds + ")",
      summary["passed"].get<std::int64_t>(),
      summary["errors"].get<std::int64_t>() > 0
          ? fmt::format(", {} errors", summary["errors"].get<std::int64_t>())
          : "",
      summary["ended"].get<std::string>());
  const auto& rate = summary["failure_rate"];
  text += fmt::format("  failure rate {} (95% interval {} to {})\n", Percent(rate["rate"]),
                      Percent(rate["low"]), Percent(rate["high"]));
  if (summary.contains("proof")) text += ProofText(summary["proof"], summary["attempts"]);
  text += SignaturesText(summary["signatures"]);
  if (const auto& first = summary["first_failure"]; !first.is_null()) {
    text += fmt::format("  first failure: attempt {}  {}\n  reproduce: {}\n",
                        first["attempt"].get<int>(), first["dir"].get<std::string>(),
                        first["reproduce"].get<std::string>());
  }
  text += "  summary: " + file.string() + "\n";
  return text;
}

// Runs the attempts of a --repeat or --until-fail series into ROOT/attempt-NNN and writes
// ROOT/summary.json. Exit code: 130 interrupted, an attempt's error code, 1 when any attempt
// failed or a proof (--confidence) was cut short, else 0.
int RunSeries(const RunFlags& flags, const Scenario& scenario, const std::stop_token& abort) {
  auto root = PrepareRunDir(flags.out_dir, "runs", scenario.name, std::chrono::system_clock::now());
  if (!root.ok()) {
    std::cerr << "stampede: " << root.error().message << "\n";
    return kExitEnvironment;
  }
  const bool proving = flags.confidence > 0;
  SeriesInfo info{scenario.name, flags.until_fail ? "until-fail" : "repeat",
                  flags.until_fail ? flags.max_runs : flags.repeat, 0, SeriesEnd::kCompleted};
  if (!flags.known_summary.empty()) {
    auto known = KnownSignatures(flags.known_summary);
    if (!known.ok()) {
      std::cerr << "stampede: --known " << known.error().message << "\n";
      return kExitUsage;
    }
    info.known = std::move(known.value());
  }
  if (proving) {
    info.mode = "prove";
    info.planned = CleanAttemptsToProve(flags.confidence, flags.below);
    info.confidence = flags.confidence;
    info.below = flags.below;
  }
  const std::uint64_t base = flags.seed ? *flags.seed : RandomSeed();
  const std::int64_t start_ns = MonotonicNanos();
  const auto max_ns = static_cast<std::int64_t>(flags.max_time_s * 1e9);
  std::vector<AttemptRecord> records;
  ProgressLine line(ShowsProgress(flags));
  int code = kExitPass;
  for (int attempt = 1;; ++attempt) {
    if (attempt > info.planned) {
      info.end = flags.until_fail ? SeriesEnd::kMaxRuns
                 : proving        ? SeriesEnd::kProven
                                  : SeriesEnd::kCompleted;
      break;
    }
    if (max_ns > 0 && MonotonicNanos() - start_ns >= max_ns) {
      info.end = SeriesEnd::kMaxTime;
      break;
    }
    RunOptions options = BaseOptions(flags);
    options.out_dir = root.value() / fmt::format("attempt-{:03d}", attempt);
    options.seed = AttemptSeed(base, attempt);
    options.reproduce = ReproduceCommand(flags, flags.scenario_file, flags.sets, options.seed);
    options.progress = [&](const ProgressSnapshot& snapshot) {
      line.Show(ProgressText(attempt, info.planned, snapshot));
    };
    auto report = RunScenario(scenario, options, abort);
    line.Clear();
    if (!report.ok()) {
      std::cerr << "stampede: " << report.error().message << "\n";
      code = kExitEnvironment;
      info.end = SeriesEnd::kError;
      break;
    }
    const Verdict& verdict = report.value().verdict;
    records.push_back({attempt, options.seed, report.value().dir, verdict.outcome,
                       FailureKinds(verdict), options.reproduce, verdict.duration_ms,
                       AttemptSignature(verdict.failures)});
    if (!flags.json) std::cout << AttemptLine(records.back(), info.planned) << std::flush;
    if (verdict.outcome == Outcome::kAborted) {
      info.end = SeriesEnd::kInterrupted;
      code = kExitInterrupted;
      break;
    }
    if (verdict.outcome == Outcome::kError) {
      if (!verdict.error.empty()) std::cerr << "stampede: " << verdict.error << "\n";
      info.end = SeriesEnd::kError;
      code = ExitCodeFor(report.value());
      break;
    }
    if (verdict.outcome == Outcome::kFail) {
      code = kExitFail;
      if (info.known.contains(records.back().signature)) continue;  // a known bug: go on
      if (flags.until_fail || proving) {
        info.end = SeriesEnd::kFirstFailure;
        break;
      }
    }
  }
  info.wall_ms = (MonotonicNanos() - start_ns) / 1000000;
  // A proof cut short by --max-time proves nothing: not a pass.
  if (proving && code == kExitPass && info.end != SeriesEnd::kProven) code = kExitFail;
  auto summary = SummarizeAttempts(info, records);
  const auto file = root.value() / "summary.json";
  if (auto written = WriteFileAtomically(file, summary.dump(2) + "\n"); !written.ok()) {
    std::cerr << "stampede: " << written.error().message << "\n";
    return kExitEnvironment;
  }
  std::cout << (flags.json ? summary.dump(2) + "\n" : SeriesText(summary, file));
  return code;
}

}  // namespace

int ValidateCommand(const std::string& scenario_file, const std::vector<std::string>& sets,
                    bool allow_remote) {
  bool ok = true;
  auto overrides = ParseSets(sets, ok);
  if (!ok) return kExitUsage;
  auto scenario = LoadScenario(scenario_file, overrides);
  if (!scenario.ok()) {
    std::cerr << scenario.error().message << "\n";
    return scenario.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  const Scenario& valid = scenario.value();
  if (auto addresses = CheckScenarioAddresses(valid, NetworkPolicy{allow_remote});
      !addresses.ok()) {
    std::cerr << scenario_file << ": " << addresses.error().message << "\n";
    return addresses.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  std::string loads = std::string("workload ") + WorkloadTypeName(valid.workload);
  if (!valid.loads.empty()) {
    loads = "loads";
    for (const auto& stream : valid.loads) {
      loads += std::string(" ") + stream.name + " (" + WorkloadTypeName(stream.workload) + ")";
    }
  }
  if (!valid.actions.empty()) loads += ", " + std::to_string(valid.actions.size()) + " actions";
  std::cout << scenario_file << ": ok (" << valid.targets.size() << " targets, " << loads << ")\n";
  return kExitPass;
}

int RunCommand(const RunFlags& flags) {
  InterruptWatcher interrupts;  // first, so every later thread inherits the signal mask
  if (IsSuite(flags)) return SuiteCommand(flags, interrupts.token());
  bool ok = true;
  auto overrides = ParseSets(flags.sets, ok);
  if (!ok) return kExitUsage;
  auto scenario = LoadForRun(flags, flags.scenario_file, overrides);
  if (!scenario.ok()) {
    std::cerr << scenario.error().message << "\n";
    return scenario.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  if (flags.repeat > 1 || flags.until_fail || flags.confidence > 0) {
    return RunSeries(flags, scenario.value(), interrupts.token());
  }
  RunOptions options = BaseOptions(flags);
  options.out_dir = flags.out_dir;
  options.seed = flags.seed ? *flags.seed : RandomSeed();
  options.reproduce = ReproduceCommand(flags, flags.scenario_file, flags.sets, options.seed);
  ProgressLine line(ShowsProgress(flags));
  options.progress = [&](const ProgressSnapshot& snapshot) {
    line.Show(ProgressText(1, 1, snapshot));
  };
  auto report = RunScenario(scenario.value(), options, interrupts.token());
  line.Clear();
  if (!report.ok()) {
    std::cerr << "stampede: " << report.error().message << "\n";
    return kExitEnvironment;
  }
  const auto& verdict = report.value().verdict;
  if (flags.json) {
    std::cout << VerdictText(verdict);
  } else {
    bool color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    std::cout << FormatSummary(verdict, report.value().dir.string(), color);
  }
  if (!verdict.error.empty()) std::cerr << "stampede: " << verdict.error << "\n";
  return ExitCodeFor(report.value());
}

}  // namespace stampede
