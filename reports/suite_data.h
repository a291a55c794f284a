// The suite model: suite.json files (schema "stampede.suite/1", docs/schemas/suite.schema.json)
// loaded, validated and merged into one Suite that the reports render. Pure except for reading
// the given files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reports/report_error.h"

namespace stampede::reports {

struct Latency {  // microseconds
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

struct AttemptStats {
  std::int64_t ops = 0, ok = 0, failed = 0, info = 0;
  double throughput_ops_s = 0;
  Latency latency_us;
};

struct Failure {
  std::string kind;
  std::optional<std::string> target;
  std::string summary;
};

struct Attempt {
  int attempt = 0;  // 1-based, as the suite numbered it
  std::uint64_t seed = 0;
  std::string verdict;  // pass | fail | error | aborted
  std::vector<std::string> kinds;
  std::vector<Failure> failures;
  std::optional<std::string> error;
  // Resolved against the folder of the suite.json that listed them (so usable as they are).
  std::filesystem::path dir;
  std::filesystem::path verdict_file;
  std::string reproduce;
  std::int64_t duration_ms = 0;
  std::optional<AttemptStats> stats;  // absent: no operations, or an error
  std::vector<double> stop_ms;
};

struct FailureRate {
  double rate = 0, low = 0, high = 1, confidence = 0.95;
};

struct Cell {
  std::string id;  // unique within a Suite
  std::string scenario;
  std::string scenario_file;
  std::map<std::string, std::string> values;
  nlohmann::json params = nlohmann::json::object();
  std::string expect;   // pass | fail
  std::string outcome;  // pass | fail | expected-fail | unexpected-pass | error | aborted
  bool as_expected = false;
  std::filesystem::path dir;  // resolved like Attempt::dir
  std::int64_t passed = 0, failed = 0, errors = 0, aborted = 0;
  std::map<std::string, std::int64_t> failures_by_kind;
  FailureRate failure_rate;
  std::vector<Attempt> attempts;
};

struct Totals {
  std::int64_t cells = 0, as_expected = 0, unexpected = 0, attempts = 0;
  std::int64_t passed = 0, failed = 0, errors = 0, aborted = 0;
};

struct Shard {
  int index = 0, count = 0;
};

// One suite.json that went into the model.
struct SuiteSource {
  std::filesystem::path file;  // the suite.json, as given (folder + "/suite.json" for a folder)
  std::string started_at;
  std::int64_t wall_ms = 0;
  std::string command;
  int repeat = 1;
  std::optional<Shard> shard;
  std::map<std::string, std::vector<std::string>> matrix;
  std::vector<std::string> sets;
};

struct Suite {
  std::vector<SuiteSource> sources;  // in the order given
  std::vector<Cell> cells;           // first appearance order
  Totals totals;                     // recomputed from `cells`
};

// Parses one suite document; `base` is the folder that relative `dir` fields are resolved
// against, `name` labels error messages ("FILE: /cells/0/seed: expected ..."). Unknown keys
// are ignored (the schema is the strict check); missing or mistyped fields are errors.
ReportResult<Suite> ParseSuite(const nlohmann::json& document, const std::filesystem::path& base,
                               const std::string& name);

// Reads `path`: a suite folder (its suite.json) or a suite.json file.
ReportResult<Suite> LoadSuite(const std::filesystem::path& path);

// Merges shards: cells are concatenated in order; a cell id seen again gets the later
// attempts appended, and its counts, failures_by_kind, failure rate, outcome and as_expected
// recomputed (rules of docs/schemas/suite.schema.json). Totals are recomputed.
Suite MergeSuites(std::vector<Suite> suites);

// Loads every path and merges them. Requires at least one path.
ReportResult<Suite> LoadAndMerge(const std::vector<std::filesystem::path>& paths);

// The outcome of a cell from its expectation and its attempts' verdicts (the suite's rules).
std::string CellOutcome(const std::string& expect, const std::vector<Attempt>& attempts);

// The failure rate with its Wilson score interval (95%): failures over judged attempts.
FailureRate WilsonFailureRate(std::int64_t failures, std::int64_t judged);

}  // namespace stampede::reports
