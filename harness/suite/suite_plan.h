// The cells of a suite: every scenario of the suite crossed with the `--matrix` axes that
// apply to it, each with the overrides it runs with and whether it is expected to fail, and
// the slice of them one shard runs. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "scenario/parameters.h"

namespace stampede {

// A scenario file of the suite and the parameters it declares (with their defaults).
struct ScenarioInfo {
  std::string file;
  std::string name;
  std::vector<Parameter> params;
};

// `--matrix key=v1,v2,...`; the single value "*" stands for the parameter's choices.
struct MatrixAxis {
  std::string key;
  std::vector<std::string> values;
};

// `--expect-fail key=value` or `--expect-fail key!=value`: the cells whose parameter `key`
// has (or has not) that value must fail. Cells of scenarios without `key` never match.
// `--expect-fail '*'` (all): every cell must fail.
struct ExpectRule {
  std::string key;
  bool equal = true;
  std::string value;
  bool all = false;
};

struct CellPlan {
  std::string id;  // "NAME" or "NAME[k=v,...]" with the matrix values
  std::string file;
  std::string scenario;
  std::vector<std::pair<std::string, std::string>> values;  // matrix values, axis order
  Overrides overrides;  // the --set overrides the scenario declares, then the matrix values
  bool expect_fail = false;
  std::string dir;  // "NNN-<id made safe for a file name>", NNN the cell's 1-based index
};

Result<MatrixAxis> ParseMatrixAxis(const std::string& text);
Result<ExpectRule> ParseExpectRule(const std::string& text);
// "K/N" with 1 <= K <= N.
Result<std::pair<int, int>> ParseShard(const std::string& text);

// The cells, scenario by scenario in the order given, matrix values varying fastest on the
// last axis. A --set or --matrix key that no scenario declares is an InvalidInput (a typo
// would otherwise run nothing different); a scenario that does not declare a key runs
// without it. "*" on a parameter without choices is an InvalidInput.
Result<std::vector<CellPlan>> PlanSuite(const std::vector<ScenarioInfo>& scenarios,
                                        const std::vector<MatrixAxis>& matrix,
                                        const Overrides& sets,
                                        const std::vector<ExpectRule>& expect_fail);

// Shard `index` of `count` (1-based): the cells whose 0-based position p has
// p % count == index - 1. Deterministic, so N jobs with 1/N ... N/N run every cell once.
std::vector<CellPlan> ShardCells(const std::vector<CellPlan>& cells, int index, int count);

}  // namespace stampede
