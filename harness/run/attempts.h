// Repeated attempts of one scenario (`stampede run --repeat N`, `--until-fail`): each attempt's
// seed, and the aggregate verdict over them (summary.json). Pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "run/verdict.h"

namespace stampede {

// The seed of attempt `attempt` (1-based) of a series started with `base`: base, base + 1, ...
// so that a failing attempt is repeated alone with `--seed` and that seed.
std::uint64_t AttemptSeed(std::uint64_t base, int attempt);

// One finished attempt, as the aggregate needs it.
struct AttemptRecord {
  int attempt = 0;  // 1-based
  std::uint64_t seed = 0;
  std::filesystem::path dir;
  Outcome outcome = Outcome::kPass;
  std::vector<std::string> failure_kinds;  // each kind once, in the verdict's order
  std::string reproduce;
  std::int64_t duration_ms = 0;
  std::string signature;  // AttemptSignature of its failures; empty: none
};

// Why a series ended.
enum class SeriesEnd {
  kCompleted,
  kFirstFailure,
  kMaxRuns,
  kMaxTime,
  kInterrupted,
  kError,
  kProven  // a "prove" series: every attempt needed passed
};

const char* ToString(SeriesEnd end);

struct SeriesInfo {
  std::string scenario;
  std::string mode;          // "repeat", "until-fail" or "prove"
  std::int64_t planned = 0;  // --repeat N, --max-runs for until-fail, the attempts to prove
  std::int64_t wall_ms = 0;  // from the first attempt's start to the last one's end
  SeriesEnd end = SeriesEnd::kCompleted;
  // "prove" (--confidence C --below P): the failure rate is to be shown below `below` at
  // `confidence` (one-sided Wilson upper bound); the series stops at the first failure.
  double confidence = 0;
  double below = 0;
  std::set<std::string> known;  // --known: signatures marked "known" in "signatures"
};

// The aggregate verdict, schema "stampede.summary/1":
//   scenario, mode, planned, ended ("completed" | "first_failure" | "max_runs" | "max_time" |
//   "interrupted" | "error"), attempts, passed, failed, errors (kError), aborted,
//   failures_by_kind {kind: attempts whose verdict has it},
//   failure_rate {rate, low, high, confidence 0.95} over the judged attempts (pass + fail),
//   first_failure {attempt, seed, dir, kinds, reproduce} or null,
//   attempts_per_minute, wall_ms,
//   signatures [{signature, attempts, first_attempt, dir, reproduce, known}]: failing attempts
//   grouped by AttemptSignature, in the order each first appeared (known: in info.known),
//   runs [{attempt, seed, verdict, kinds, signature, dir, duration_ms}] in attempt order;
//   and for mode "prove": proof {confidence, below, clean_attempts_needed, upper_bound (the
//   one-sided bound at `confidence` over the judged attempts), result ("proven" | "failed" |
//   "incomplete")}.
nlohmann::json SummarizeAttempts(const SeriesInfo& info, const std::vector<AttemptRecord>& records);

// The signatures an earlier summary.json lists (its "signatures"); an InvalidInput naming the
// file when it cannot be read or is not a summary.
Result<std::set<std::string>> KnownSignatures(const std::filesystem::path& summary_file);

}  // namespace stampede
