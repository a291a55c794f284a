// One attempt of a scenario: prepare the run folder, start the targets, drive the workload,
// stop the targets, check the history and write verdict.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "core/status.h"
#include "run/verdict.h"
#include "scenario/scenario.h"
#include "workloads/workload.h"

namespace stampede {

// A running workload's counters, for a live progress display.
struct ProgressSnapshot {
  std::int64_t done = 0;        // operations completed
  std::int64_t in_flight = 0;   // invoked, not completed
  std::int64_t errors = 0;      // failed
  std::int64_t elapsed_ms = 0;  // since the run started
};

struct RunOptions {
  std::filesystem::path out_dir;  // empty: runs_root/<scenario>/<timestamp>
  std::filesystem::path runs_root = "runs";
  std::filesystem::path targets_dir;  // value of {targets}
  std::uint64_t seed = 0;
  NetworkPolicy network;
  std::string reproduce;    // the command line that repeats this run
  bool keep_cores = false;  // keep a crashed target's core after its backtrace (core_dump.h)
  // Called on the run's thread about five times a second while a workload runs; may be empty.
  std::function<void(const ProgressSnapshot&)> progress;
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
