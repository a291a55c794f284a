#include "cli/run_support.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <random>

namespace stampede {
namespace {

// build/targets beside the stampede binary, where the build puts the sample targets.
std::filesystem::path DefaultTargetsDir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("targets") : self.parent_path() / "targets";
}

}  // namespace

std::string ShellQuote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=:,+@%") == std::string::npos) {
    return word;
  }
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string ReproduceCommand(const RunFlags& flags, const std::string& scenario_file,
                             const std::vector<std::string>& sets,
                             std::optional<std::uint64_t> seed) {
  std::string command = ShellQuote(flags.program) + " run " + ShellQuote(scenario_file);
  for (const auto& set : sets) command += " --set " + ShellQuote(set);
  for (const auto& setting : flags.perturb) command += " --perturb " + ShellQuote(setting);
  if (seed) command += " --seed " + std::to_string(*seed);
  if (!flags.targets_dir.empty()) command += " --targets-dir " + ShellQuote(flags.targets_dir);
  if (flags.allow_remote) command += " --allow-remote";
  if (flags.isolate_network) command += " --isolate-network";
  return command;
}

Result<Scenario> LoadForRun(const RunFlags& flags, const std::string& file,
                            const Overrides& overrides) {
  auto scenario = LoadScenario(file, overrides);
  if (!scenario.ok()) return scenario;
  for (const auto& setting : flags.perturb) {
    if (auto applied = ApplyPerturbSetting(scenario.value().perturb, setting); !applied.ok()) {
      return applied.error();
    }
  }
  for (const auto& name : scenario.value().perturb.targets) {
    const auto& targets = scenario.value().targets;
    if (std::none_of(targets.begin(), targets.end(),
                     [&](const TargetSpec& target) { return target.name == name; })) {
      return InvalidInput("--perturb targets: " + file + " has no target named \"" + name + "\"");
    }
  }
  return scenario;
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

std::uint64_t RandomSeed() {
  const std::uint64_t bits = std::random_device{}() * 4294967296ULL + std::random_device{}();
  return bits >> 12;  // 52 bits: a series of a million attempts stays within 2^53 - 1
}

bool ShowsProgress(const RunFlags& flags) {
  return !flags.json && isatty(STDOUT_FILENO);
}

RunOptions BaseOptions(const RunFlags& flags) {
  RunOptions options;
  options.targets_dir =
      flags.targets_dir.empty() ? DefaultTargetsDir() : std::filesystem::path(flags.targets_dir);
  options.network.allow_remote = flags.allow_remote;
  options.keep_cores = flags.keep_cores;
  return options;
}

std::vector<std::string> FailureKinds(const Verdict& verdict) {
  std::vector<std::string> kinds;
  for (const auto& failure : verdict.failures) {
    std::string kind = ToString(failure.kind);
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
  }
  return kinds;
}

// The scenario files the arguments name: files as given, folders as every *.json below them,
// sorted; a missing path is an InvalidInput.
Result<std::vector<std::string>> ScenarioFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) return InvalidInput(path + ": no *.json scenario files in this folder");
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, ec)) {
      files.push_back(path);
    } else {
      return InvalidInput(path + ": no such file or folder");
    }
  }
  return files;
}

bool WantsNetworkIsolation(const std::vector<std::string>& paths) {
  auto files = ScenarioFiles(paths);
  if (!files.ok()) return false;
  return std::any_of(files.value().begin(), files.value().end(), [](const std::string& file) {
    auto scenario = LoadScenario(file, {});
    return scenario.ok() && scenario.value().isolate_network;
  });
}

}  // namespace stampede
