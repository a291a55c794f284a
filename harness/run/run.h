// One attempt of a scenario: prepare the run folder, start the targets, drive the workload,
// stop the targets, check the history and write verdict.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>

#include "core/status.h"
#include "run/verdict.h"
#include "scenario/scenario.h"
#include "workloads/workload.h"

namespace stampede {

struct RunOptions {
  std::filesystem::path out_dir;  // empty: runs_root/<scenario>/<timestamp>
  std::filesystem::path runs_root = "runs";
  std::filesystem::path targets_dir;  // value of {targets}
  std::uint64_t seed = 0;
  NetworkPolicy network;
  std::string reproduce;  // the command line that repeats this run
};

struct RunReport {
  Verdict verdict;
  std::filesystem::path dir;
  std::optional<ErrorKind> error_kind;  // set when verdict.outcome is kError
};

// Runs `scenario` once. `abort` (Ctrl-C) stops the targets and yields verdict "aborted".
// Every child is gone when this returns. Fails only when no run folder can be written;
// every other problem becomes the verdict.
Result<RunReport> RunScenario(const Scenario& scenario, const RunOptions& options,
                              const std::stop_token& abort);

}  // namespace stampede
