// suite.json (schema "stampede.suite/1", docs/schemas/suite.schema.json): every cell of a suite
// with its attempts' verdicts, failure kinds, stats and failure rate, and the cell's outcome
// against what it was expected to do. Pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "suite/suite_plan.h"

namespace stampede {

// One attempt of a cell as it ended.
struct AttemptResult {
  int attempt = 0;  // 1-based
  std::uint64_t seed = 0;
  std::string dir;         // run folder, relative to the suite folder
  nlohmann::json verdict;  // the verdict as written to verdict.json; null when none was written
  std::string error;       // why there is no verdict (the harness could not run the attempt)
  std::string reproduce;
};

struct CellResult {
  CellPlan plan;
  std::vector<AttemptResult> attempts;
};

struct SuiteInfo {
  std::string started_at;
  std::int64_t wall_ms = 0;
  std::string command;
  int repeat = 1;
  std::optional<std::pair<int, int>> shard;  // index, count
  std::vector<MatrixAxis> matrix;
  std::vector<std::string> sets;
};

// The cell's outcome: "error" when an attempt could not run or ended in error, "aborted" when
// one was interrupted; else, expected to pass: "pass" when every attempt passed, "fail";
// expected to fail: "expected-fail" when an attempt failed, "unexpected-pass".
std::string CellOutcome(const CellResult& cell);

// True for the outcomes that keep a suite green: pass and expected-fail.
bool AsExpected(const std::string& outcome);

// One cell of suite.json.
nlohmann::json CellJson(const CellResult& cell);

// The whole of suite.json.
nlohmann::json SuiteJson(const SuiteInfo& info, const std::vector<CellResult>& cells);

}  // namespace stampede
