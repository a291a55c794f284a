// One pass over a run's whole history, in time order, with memory bounded by what was in flight:
// the operations kept in memory (the nemesis's, the fault proxies', the fixture's, start-stop
// cycles') merged by time with those each load stream spilled to disk. The pass writes
// history.jsonl in time order, process events interleaved, and feeds every streaming checker.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkers/errors_checker.h"
#include "checkers/failure.h"
#include "checkers/stats.h"
#include "checkers/unanswered_checker.h"
#include "core/status.h"
#include "history/history.h"

namespace stampede {

struct HistoryPassOptions {
  std::int64_t stall_ms = 0;  // as in HangOptions; 0 disables the stall check
  ErrorOptions errors;
  UnansweredOptions unanswered;
};

struct HistoryPassResult {
  std::optional<Failure> stall;       // CheckHangs' stall
  std::optional<Failure> mismatch;    // CheckMismatches
  std::optional<Failure> errors;      // CheckErrors
  std::optional<Failure> unanswered;  // CheckUnanswered
  std::int64_t excused_failures = 0;  // CountExcusedFailures with options.errors
  std::int64_t ops = 0;               // operation records read
  Stats loads;                        // ComputeStats, scope kLoads
  // ComputeStats of each load stream (LoadStreamNames' order).
  std::vector<std::pair<std::string, Stats>> streams;
};

// The verdict's stats: the loads' figures, per stream under "streams" when the run has named
// loads, and "rate": {"asked", "achieved"} for each load in `asked_rates` (stream name ->
// requests per second it asked for; "" for the single workload).
nlohmann::json StatsJson(const HistoryPassResult& pass,
                         const std::vector<std::pair<std::string, double>>& asked_rates);

// Runs the pass over `in_memory` (ops sorted by time; process events in any order) and the
// spill files (each in time order), writing the history to `history_path` (replaced
// atomically). An error when a spill file cannot be read or the history cannot be written.
Result<HistoryPassResult> RunHistoryPass(const History& in_memory,
                                         const std::vector<std::filesystem::path>& spills,
                                         const HistoryPassOptions& options,
                                         const std::filesystem::path& history_path);

}  // namespace stampede
