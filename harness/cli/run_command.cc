#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <random>

#include "cli/commands.h"
#include "cli/interrupts.h"
#include "cli/summary.h"
#include "run/run.h"

namespace stampede {
namespace {

std::string ShellQuote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=:,+@%") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string ReproduceCommand(const RunFlags& flags, std::uint64_t seed) {
  std::string command = ShellQuote(flags.program) + " run " + ShellQuote(flags.scenario_file);
  for (const auto& set : flags.sets) command += " --set " + ShellQuote(set);
  command += " --seed " + std::to_string(seed);
  if (!flags.targets_dir.empty()) command += " --targets-dir " + ShellQuote(flags.targets_dir);
  if (flags.allow_remote) command += " --allow-remote";
  return command;
}

// build/targets beside the stampede binary, where the build puts the sample targets.
std::filesystem::path DefaultTargetsDir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("targets") : self.parent_path() / "targets";
}

int ExitCodeFor(const RunReport& report) {
  switch (report.verdict.outcome) {
    case Outcome::kPass:
      return kExitPass;
    case Outcome::kFail:
      return kExitFail;
    case Outcome::kAborted:
      return kExitInterrupted;
    case Outcome::kError:
      return report.error_kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  return kExitEnvironment;
}

Overrides ParseSets(const std::vector<std::string>& sets, bool& ok) {
  Overrides overrides;
  ok = true;
  for (const auto& set : sets) {
    auto parsed = ParseOverride(set);
    if (!parsed.ok()) {
      std::cerr << "stampede: " << parsed.error().message << "\n";
      ok = false;
    } else {
      overrides.push_back(parsed.value());
    }
  }
  return overrides;
}

}  // namespace

int ValidateCommand(const std::string& scenario_file, const std::vector<std::string>& sets) {
  bool ok = true;
  auto overrides = ParseSets(sets, ok);
  if (!ok) return kExitUsage;
  auto scenario = LoadScenario(scenario_file, overrides);
  if (!scenario.ok()) {
    std::cerr << scenario.error().message << "\n";
    return scenario.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  std::cout << scenario_file << ": ok (" << scenario.value().targets.size() << " targets, workload "
            << WorkloadTypeName(scenario.value().workload) << ")\n";
  return kExitPass;
}

int RunCommand(const RunFlags& flags) {
  InterruptWatcher interrupts;  // first, so every later thread inherits the signal mask
  bool ok = true;
  auto overrides = ParseSets(flags.sets, ok);
  if (!ok) return kExitUsage;
  auto scenario = LoadScenario(flags.scenario_file, overrides);
  if (!scenario.ok()) {
    std::cerr << scenario.error().message << "\n";
    return scenario.error().kind == ErrorKind::kInvalidInput ? kExitUsage : kExitEnvironment;
  }
  RunOptions options;
  options.out_dir = flags.out_dir;
  options.targets_dir =
      flags.targets_dir.empty() ? DefaultTargetsDir() : std::filesystem::path(flags.targets_dir);
  options.seed =
      flags.seed ? *flags.seed : std::random_device{}() * 4294967296ULL + std::random_device{}();
  options.network.allow_remote = flags.allow_remote;
  options.reproduce = ReproduceCommand(flags, options.seed);
  auto report = RunScenario(scenario.value(), options, interrupts.token());
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
