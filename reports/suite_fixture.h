// Builders of suite.json documents for the report tests and the sample report (a suite is plain
// data, so tests construct it rather than running scenarios). Not part of stampede_reports.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stampede::reports::fixture {

// An attempt of cell folder `cell_dir` (relative to the suite folder). `verdict` "fail" gets
// one failure of `kind` with `summary`; "error" gets an error message and no stats.
// `throughput` and `p99` fill the stats (other percentiles derived from them).
nlohmann::json Attempt(const std::string& cell_dir, int attempt, const std::string& verdict,
                       double throughput = 1000, double p99 = 5000,
                       const std::string& kind = "mismatch",
                       const std::string& summary = "expected seq 4, got 5");

// A cell with the given attempts; counts, outcome, as_expected and failure rate derived from
// them by the suite's rules. `values` become the "[k=v,...]" part of the id.
nlohmann::json Cell(const std::string& scenario, const nlohmann::json& values,
                    const std::string& expect, const std::string& dir,
                    const std::vector<nlohmann::json>& attempts);

// A whole suite.json document around `cells` (totals derived).
nlohmann::json Suite(const std::vector<nlohmann::json>& cells,
                     const nlohmann::json& shard = nullptr);

// Writes `suite` to `folder`/suite.json and, for each attempt, its run folder with a
// verdict.json, history.jsonl and server.stderr (so reports have evidence to link).
void WriteSuiteFolder(const std::filesystem::path& folder, const nlohmann::json& suite);

}  // namespace stampede::reports::fixture
