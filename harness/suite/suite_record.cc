#include "suite/suite_record.h"

#include <algorithm>
#include <map>

#include "checkers/failure_rate.h"

namespace stampede {
namespace {

using nlohmann::json;

// object[key] when it is a string, else "" (missing, null or another type).
std::string Text(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

// object[key] when it is an array, else an empty one.
json ArrayAt(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_array()) {
    return json::array();
  }
  return object[key];
}

std::string VerdictWord(const AttemptResult& attempt) {
  const std::string word = Text(attempt.verdict, "verdict");
  return word.empty() ? "error" : word;
}

std::vector<std::string> Kinds(const json& verdict) {
  std::vector<std::string> kinds;
  if (!verdict.is_object()) return kinds;
  for (const auto& failure : ArrayAt(verdict, "failures")) {
    std::string kind = Text(failure, "kind");
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
  }
  return kinds;
}

json Failures(const json& verdict) {
  json failures = json::array();
  if (!verdict.is_object()) return failures;
  for (const auto& failure : ArrayAt(verdict, "failures")) {
    const auto target = Text(failure, "target");
    failures.push_back({{"kind", Text(failure, "kind")},
                        {"target", target.empty() ? json(nullptr) : json(target)},
                        {"summary", Text(failure, "summary")}});
  }
  return failures;
}

// The verdict's stats as suite.json keeps them; null without operations, or without a
// latency (no operation succeeded), or when the verdict's stats are not what they should be.
json Stats(const json& verdict) {
  if (!verdict.is_object() || !verdict.contains("stats") || !verdict["stats"].is_object()) {
    return nullptr;
  }
  const auto& stats = verdict["stats"];
  if (!stats.contains("ops") || !stats["ops"].is_number() || stats["ops"] == 0) return nullptr;
  json latency = json::object();
  const json source = stats.contains("latency_us") ? stats["latency_us"] : json();
  for (const char* key : {"p50", "p90", "p99", "max", "mean"}) {
    if (!source.is_object() || !source.contains(key) || !source[key].is_number()) return nullptr;
    latency[key] = source[key];
  }
  for (const char* key : {"ok", "failed", "info", "throughput_ops_s"}) {
    if (!stats.contains(key) || !stats[key].is_number()) return nullptr;
  }
  return {{"ops", stats["ops"]},
          {"ok", stats["ok"]},
          {"failed", stats["failed"]},
          {"info", stats["info"]},
          {"throughput_ops_s", stats["throughput_ops_s"]},
          {"latency_us", std::move(latency)}};
}

// How long each stop or restart action kept a target down (the verdict's downtime windows).
json StopDurations(const json& verdict) {
  json durations = json::array();
  if (!verdict.is_object()) return durations;
  if (!verdict.contains("timeline") || !verdict["timeline"].is_object()) return durations;
  const auto& timeline = verdict["timeline"];
  if (!timeline.contains("downtime") || !timeline["downtime"].is_object()) return durations;
  for (const auto& window : ArrayAt(timeline["downtime"], "windows")) {
    if (window.is_object() && window.contains("to_ms") && window["to_ms"].is_number() &&
        window.contains("from_ms") && window["from_ms"].is_number()) {
      durations.push_back(window["to_ms"].get<std::int64_t>() -
                          window["from_ms"].get<std::int64_t>());
    }
  }
  return durations;
}

json AttemptJson(const AttemptResult& attempt) {
  const json& verdict = attempt.verdict;
  std::string error = attempt.error;
  if (error.empty()) error = Text(verdict, "error");
  return {{"attempt", attempt.attempt},
          {"seed", attempt.seed},
          {"verdict", VerdictWord(attempt)},
          {"kinds", Kinds(verdict)},
          {"failures", Failures(verdict)},
          {"error", error.empty() ? json(nullptr) : json(error)},
          {"dir", attempt.dir},
          {"verdict_file", attempt.dir + "/verdict.json"},
          {"reproduce", attempt.reproduce},
          {"duration_ms", verdict.is_object() && verdict.contains("duration_ms") &&
                                  verdict["duration_ms"].is_number_integer()
                              ? verdict["duration_ms"]
                              : json(0)},
          {"stats", Stats(verdict)},
          {"stop_ms", StopDurations(verdict)}};
}

}  // namespace

std::string CellOutcome(const CellResult& cell) {
  std::map<std::string, int> count;
  for (const auto& attempt : cell.attempts) ++count[VerdictWord(attempt)];
  if (count["error"] > 0 || cell.attempts.empty()) return "error";
  if (count["aborted"] > 0) return "aborted";
  if (cell.plan.expect_fail) return count["fail"] > 0 ? "expected-fail" : "unexpected-pass";
  return count["fail"] > 0 ? "fail" : "pass";
}

bool AsExpected(const std::string& outcome) {
  return outcome == "pass" || outcome == "expected-fail";
}

json CellJson(const CellResult& cell) {
  std::map<std::string, std::int64_t> count;
  json by_kind = json::object();
  json attempts = json::array();
  for (const auto& attempt : cell.attempts) {
    ++count[VerdictWord(attempt)];
    for (const auto& kind : Kinds(attempt.verdict)) {
      by_kind[kind] = by_kind.value(kind, std::int64_t{0}) + 1;
    }
    attempts.push_back(AttemptJson(attempt));
  }
  const FailureRate rate = WilsonInterval(count["fail"], count["pass"] + count["fail"]);
  json values = json::object();
  for (const auto& [key, value] : cell.plan.values) values[key] = value;
  json params = json::object();
  for (const auto& attempt : cell.attempts) {
    if (attempt.verdict.is_object() && attempt.verdict.contains("params")) {
      params = attempt.verdict["params"];
      break;
    }
  }
  const std::string outcome = CellOutcome(cell);
  return {{"id", cell.plan.id},
          {"scenario", cell.plan.scenario},
          {"scenario_file", cell.plan.file},
          {"values", std::move(values)},
          {"params", std::move(params)},
          {"expect", cell.plan.expect_fail ? "fail" : "pass"},
          {"outcome", outcome},
          {"as_expected", AsExpected(outcome)},
          {"dir", cell.plan.dir},
          {"passed", count["pass"]},
          {"failed", count["fail"]},
          {"errors", count["error"]},
          {"aborted", count["aborted"]},
          {"failures_by_kind", std::move(by_kind)},
          {"failure_rate",
           {{"rate", rate.rate}, {"low", rate.low}, {"high", rate.high}, {"confidence", 0.95}}},
          {"attempts", std::move(attempts)}};
}

json SuiteJson(const SuiteInfo& info, const std::vector<CellResult>& cells) {
  json matrix = json::object();
  for (const auto& axis : info.matrix) matrix[axis.key] = axis.values;
  json list = json::array();
  std::int64_t as_expected = 0, attempts = 0, passed = 0, failed = 0, errors = 0, aborted = 0;
  for (const auto& cell : cells) {
    list.push_back(CellJson(cell));
    const auto& last = list.back();
    as_expected += last["as_expected"].get<bool>() ? 1 : 0;
    attempts += static_cast<std::int64_t>(cell.attempts.size());
    passed += last["passed"].get<std::int64_t>();
    failed += last["failed"].get<std::int64_t>();
    errors += last["errors"].get<std::int64_t>();
    aborted += last["aborted"].get<std::int64_t>();
  }
  json shard = nullptr;
  if (info.shard) shard = {{"index", info.shard->first}, {"count", info.shard->second}};
  const auto total = static_cast<std::int64_t>(cells.size());
  return {{"schema", "stampede.suite/1"},
          {"started_at", info.started_at},
          {"wall_ms", info.wall_ms},
          {"command", info.command},
          {"repeat", info.repeat},
          {"shard", std::move(shard)},
          {"matrix", std::move(matrix)},
          {"sets", info.sets},
          {"cells", std::move(list)},
          {"totals",
           {{"cells", total},
            {"as_expected", as_expected},
            {"unexpected", total - as_expected},
            {"attempts", attempts},
            {"passed", passed},
            {"failed", failed},
            {"errors", errors},
            {"aborted", aborted}}}};
}

}  // namespace stampede
