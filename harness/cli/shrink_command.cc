// `stampede shrink FILE`: the smallest load parameters at which a scenario's failure still
// shows (run/shrink.h), with the attempts it took and the command that reproduces it.
#include <fmt/format.h>

#include <iostream>

#include "checkers/signature.h"
#include "cli/commands.h"
#include "cli/interrupts.h"
#include "cli/run_support.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "run/attempts.h"
#include "run/run.h"
#include "run/run_dir.h"
#include "run/shrink.h"

namespace stampede {
namespace {

std::string ValuesText(const ParameterValuesList& values) {
  std::string text;
  for (const auto& [name, value] : values) {
    text += fmt::format("{}{}={}", text.empty() ? "" : " ", name, value);
  }
  return text;
}

nlohmann::json ValuesJson(const ParameterValuesList& values) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, value] : values) json[name] = value;
  return json;
}

// The user's --set list with the shrunk parameters replaced by `values`.
std::vector<std::string> SetsWith(const std::vector<std::string>& sets,
                                  const ParameterValuesList& values) {
  std::vector<std::string> result;
  for (const auto& set : sets) {
    const std::string key = set.substr(0, set.find('='));
    const bool replaced = std::any_of(values.begin(), values.end(),
                                      [&](const auto& entry) { return entry.first == key; });
    if (!replaced) result.push_back(set);
  }
  for (const auto& [name, value] : values) result.push_back(fmt::format("{}={}", name, value));
  return result;
}

// Runs the scenario attempt by attempt, each into ROOT/run-NNN with its own seed.
class ShrinkRunner {
 public:
  ShrinkRunner(const ShrinkFlags& flags, std::filesystem::path root, std::uint64_t base,
               std::stop_token abort)
      : flags_(flags), root_(std::move(root)), base_(base), abort_(std::move(abort)) {}

  // One attempt with `values`: its verdict, or an error (printed) when it could not run.
  std::optional<Verdict> Attempt(const ParameterValuesList& values) {
    const auto sets = SetsWith(flags_.run.sets, values);
    bool ok = true;
    auto overrides = ParseSets(sets, ok);
    auto scenario = LoadForRun(flags_.run, flags_.run.scenario_file, overrides);
    if (!ok || !scenario.ok()) {
      if (!scenario.ok()) std::cerr << scenario.error().message << "\n";
      error_code_ = kExitUsage;
      return std::nullopt;
    }
    ++attempts_;
    RunOptions options = BaseOptions(flags_.run);
    options.out_dir = root_ / fmt::format("run-{:03d}", attempts_);
    options.seed = AttemptSeed(base_, attempts_);
    options.reproduce = ReproduceCommand(flags_.run, flags_.run.scenario_file, sets, options.seed);
    auto report = RunScenario(scenario.value(), options, abort_);
    if (!report.ok()) {
      std::cerr << "stampede: " << report.error().message << "\n";
      error_code_ = kExitEnvironment;
      return std::nullopt;
    }
    if (report.value().verdict.outcome == Outcome::kAborted) {
      error_code_ = kExitInterrupted;
      return std::nullopt;
    }
    if (report.value().verdict.outcome == Outcome::kError) {
      std::cerr << "stampede: " << report.value().verdict.error << "\n";
      error_code_ = ExitCodeFor(report.value());
      return std::nullopt;
    }
    return std::move(report.value().verdict);
  }

  // Whether `signature` shows in `need` of `attempts` attempts with `values` (stopping as soon
  // as the answer is known); nullopt when an attempt could not run or time is up.
  std::optional<bool> Reproduces(const ParameterValuesList& values, const std::string& signature) {
    if (OutOfTime()) return std::nullopt;
    int hits = 0;
    int tried = 0;
    std::string last_dir;
    while (hits < flags_.need && hits + (flags_.attempts - tried) >= flags_.need) {
      auto verdict = Attempt(values);
      if (!verdict) return std::nullopt;
      ++tried;
      if (HasSignature(*verdict, signature)) {
        ++hits;
        last_reproduce_ = verdict->reproduce;
      }
    }
    const bool reproduced = hits >= flags_.need;
    if (!flags_.run.json) {
      std::cout << fmt::format("  {:<40} {} in {} of {}\n", ValuesText(values),
                               reproduced ? "reproduced" : "passed   ", hits, tried)
                << std::flush;
    }
    trials_.push_back({{"values", ValuesJson(values)},
                       {"reproduced", reproduced},
                       {"hits", hits},
                       {"attempts", tried}});
    return reproduced;
  }

  static bool HasSignature(const Verdict& verdict, const std::string& signature) {
    return std::any_of(verdict.failures.begin(), verdict.failures.end(),
                       [&](const Failure& failure) { return failure.signature == signature; });
  }

  bool OutOfTime() const {
    return flags_.run.max_time_s > 0 &&
           MonotonicNanos() - start_ns_ >= static_cast<std::int64_t>(flags_.run.max_time_s * 1e9);
  }

  int attempts() const { return attempts_; }
  int error_code() const { return error_code_; }
  const std::string& last_reproduce() const { return last_reproduce_; }
  void set_last_reproduce(std::string reproduce) { last_reproduce_ = std::move(reproduce); }
  nlohmann::json& trials() { return trials_; }
  std::int64_t elapsed_ms() const { return (MonotonicNanos() - start_ns_) / 1000000; }

 private:
  const ShrinkFlags& flags_;
  std::filesystem::path root_;
  std::uint64_t base_;
  const std::stop_token abort_;
  const std::int64_t start_ns_ = MonotonicNanos();
  int attempts_ = 0;
  int error_code_ = 0;
  std::string last_reproduce_;
  nlohmann::json trials_ = nlohmann::json::array();
};

// The first failure's signature within `flags.attempts` attempts at the starting values.
std::optional<std::string> FindFailure(ShrinkRunner& runner, const ShrinkFlags& flags,
                                       const ParameterValuesList& values) {
  for (int i = 0; i < flags.attempts; ++i) {
    auto verdict = runner.Attempt(values);
    if (!verdict) return std::nullopt;
    if (verdict->outcome == Outcome::kFail && !verdict->failures.empty()) {
      runner.set_last_reproduce(verdict->reproduce);
      return verdict->failures.front().signature;
    }
  }
  return std::string();
}

}  // namespace

int ShrinkCommand(const ShrinkFlags& flags) {
  InterruptWatcher interrupts;
  bool ok = true;
  auto overrides = ParseSets(flags.run.sets, ok);
  if (!ok) return kExitUsage;
  auto scenario = LoadForRun(flags.run, flags.run.scenario_file, overrides);
  if (!scenario.ok()) {
    std::cerr << scenario.error().message << "\n";
    return scenario.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  auto initial = ShrinkableParameters(scenario.value().params, flags.params);
  if (!initial.ok()) {
    std::cerr << "stampede: " << initial.error().message << "\n";
    return kExitUsage;
  }
  if (initial.value().empty()) {
    std::cerr << "stampede: " << flags.run.scenario_file
              << " has no integer parameter of at least 2 to shrink (name some with --param)\n";
    return kExitUsage;
  }
  auto root = PrepareRunDir(flags.run.out_dir, "runs", scenario.value().name + "-shrink",
                            std::chrono::system_clock::now());
  if (!root.ok()) {
    std::cerr << "stampede: " << root.error().message << "\n";
    return kExitEnvironment;
  }
  const std::uint64_t base = flags.run.seed ? *flags.run.seed : RandomSeed();
  ShrinkRunner runner(flags, root.value(), base, interrupts.token());
  auto signature = FindFailure(runner, flags, initial.value());
  if (!signature) return runner.error_code();
  if (signature->empty()) {
    std::cout << fmt::format("{}: no failure in {} attempts with {}: nothing to shrink\n",
                             flags.run.scenario_file, flags.attempts, ValuesText(initial.value()));
    return kExitFail;
  }
  if (!flags.run.json) {
    std::cout << fmt::format("failure to keep: {}  (attempt {})\n", *signature, runner.attempts());
  }
  auto result = ShrinkParameters(initial.value(), [&](const ParameterValuesList& values) {
    return runner.Reproduces(values, *signature);
  });
  const auto sets = SetsWith(flags.run.sets, result.after);
  nlohmann::json summary = {
      {"schema", "stampede.shrink/1"},
      {"scenario", scenario.value().name},
      {"scenario_file", flags.run.scenario_file},
      {"signature", *signature},
      {"before", ValuesJson(result.before)},
      {"after", ValuesJson(result.after)},
      {"reproduce_k_of_n", {flags.need, flags.attempts}},
      {"attempts", runner.attempts()},
      {"wall_ms", runner.elapsed_ms()},
      {"cut_short", result.cut_short},
      {"trials", runner.trials()},
      {"reproduce", runner.last_reproduce()},
      {"until_fail",
       ReproduceCommand(flags.run, flags.run.scenario_file, sets, std::nullopt) + " --until-fail"}};
  const auto file = root.value() / "shrink.json";
  if (auto written = WriteFileAtomically(file, summary.dump(2) + "\n"); !written.ok()) {
    std::cerr << "stampede: " << written.error().message << "\n";
    return kExitEnvironment;
  }
  if (flags.run.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    std::string changes;
    for (std::size_t i = 0; i < result.before.size(); ++i) {
      changes += fmt::format("{}{} {} -> {}", changes.empty() ? "" : ", ", result.before[i].first,
                             result.before[i].second, result.after[i].second);
    }
    std::cout << fmt::format(
        "{}: {} in {} attempts ({:.1f} s){}\n  reproduce: {}\n  until it fails: {}\n  summary: "
        "{}\n",
        scenario.value().name, changes, runner.attempts(), runner.elapsed_ms() / 1000.0,
        result.cut_short ? " (cut short: these reproduce, smaller ones were not all tried)" : "",
        runner.last_reproduce(), summary["until_fail"].get<std::string>(), file.string());
  }
  if (runner.error_code() != 0) return runner.error_code();
  return kExitPass;
}

}  // namespace stampede
