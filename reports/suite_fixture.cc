#include "reports/suite_fixture.h"

#include <fstream>

#include "reports/suite_data.h"

namespace stampede::reports::fixture {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string CellId(const std::string& scenario, const json& values) {
  if (values.empty()) return scenario;
  std::string id = scenario + "[";
  bool first = true;
  for (const auto& [key, value] : values.items()) {
    id += (first ? "" : ",") + key + "=" + value.get<std::string>();
    first = false;
  }
  return id + "]";
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

json Attempt(const std::string& cell_dir, int attempt, const std::string& verdict,
             double throughput, double p99, const std::string& kind, const std::string& summary) {
  char folder[32];
  std::snprintf(folder, sizeof folder, "attempt-%03d", attempt);
  const std::string dir = cell_dir + "/" + folder;
  json stats = {
      {"ops", 100},
      {"ok", 98},
      {"failed", 0},
      {"info", 2},
      {"throughput_ops_s", throughput},
      {"latency_us",
       {{"p50", p99 / 4}, {"p90", p99 / 2}, {"p99", p99}, {"max", p99 * 1.5}, {"mean", p99 / 3}}}};
  json failures = json::array();
  json kinds = json::array();
  if (verdict == "fail") {
    failures.push_back({{"kind", kind}, {"target", "server"}, {"summary", summary}});
    kinds.push_back(kind);
  }
  return {{"attempt", attempt},
          {"seed", std::uint64_t{18000000000000000000u} + static_cast<std::uint64_t>(attempt)},
          {"verdict", verdict},
          {"kinds", kinds},
          {"failures", failures},
          {"error", verdict == "error" ? json("target binary not found") : json(nullptr)},
          {"dir", dir},
          {"verdict_file", dir + "/verdict.json"},
          {"reproduce", "stampede run scenario.json --seed " + std::to_string(attempt)},
          {"duration_ms", 400 + attempt},
          {"stats", verdict == "error" ? json(nullptr) : stats},
          {"stop_ms", json::array()}};
}

json Cell(const std::string& scenario, const json& values, const std::string& expect,
          const std::string& dir, const std::vector<json>& attempts) {
  std::vector<reports::Attempt> parsed;
  json by_kind = json::object();
  std::int64_t counts[4] = {0, 0, 0, 0};
  const char* names[4] = {"pass", "fail", "error", "aborted"};
  for (const json& attempt : attempts) {
    reports::Attempt a;
    a.verdict = attempt["verdict"];
    parsed.push_back(a);
    for (int i = 0; i < 4; ++i) counts[i] += a.verdict == names[i];
    for (const auto& kind : attempt["kinds"])
      by_kind[kind.get<std::string>()] = by_kind.value(kind.get<std::string>(), 0) + 1;
  }
  const std::string outcome = CellOutcome(expect, parsed);
  const FailureRate rate = WilsonFailureRate(counts[1], counts[0] + counts[1]);
  return {{"id", CellId(scenario, values)},
          {"scenario", scenario},
          {"scenario_file", "scenarios/lab/" + scenario + ".json"},
          {"values", values},
          {"params", values.empty() ? json::object() : values},
          {"expect", expect},
          {"outcome", outcome},
          {"as_expected", outcome == "pass" || outcome == "expected-fail"},
          {"dir", dir},
          {"passed", counts[0]},
          {"failed", counts[1]},
          {"errors", counts[2]},
          {"aborted", counts[3]},
          {"failures_by_kind", by_kind},
          {"failure_rate",
           {{"rate", rate.rate}, {"low", rate.low}, {"high", rate.high}, {"confidence", 0.95}}},
          {"attempts", attempts}};
}

json Suite(const std::vector<json>& cells, const json& shard) {
  json totals = {{"cells", 0},  {"as_expected", 0}, {"unexpected", 0}, {"attempts", 0},
                 {"passed", 0}, {"failed", 0},      {"errors", 0},     {"aborted", 0}};
  for (const json& cell : cells) {
    totals["cells"] = totals["cells"].get<int>() + 1;
    const char* side = cell["as_expected"].get<bool>() ? "as_expected" : "unexpected";
    totals[side] = totals[side].get<int>() + 1;
    totals["attempts"] = totals["attempts"].get<int>() + static_cast<int>(cell["attempts"].size());
    for (const char* key : {"passed", "failed", "errors", "aborted"})
      totals[key] = totals[key].get<int>() + cell[key].get<int>();
  }
  return {{"schema", "stampede.suite/1"},
          {"started_at", "2026-11-30T23:31:05.329Z"},
          {"wall_ms", 61234},
          {"command", "stampede run scenarios/lab/ --matrix bug=* --repeat 3"},
          {"repeat", 3},
          {"shard", shard},
          {"matrix", {{"bug", {"*"}}}},
          {"sets", {"requests=100"}},
          {"cells", cells},
          {"totals", totals}};
}

void WriteSuiteFolder(const fs::path& folder, const json& suite) {
  WriteFile(folder / "suite.json", suite.dump(2));
  for (const json& cell : suite["cells"]) {
    for (const json& attempt : cell["attempts"]) {
      const fs::path dir = folder / attempt["dir"].get<std::string>();
      WriteFile(dir / "verdict.json", R"({"schema": "stampede.verdict/1"})");
      WriteFile(dir / "history.jsonl", "{}\n");
      WriteFile(dir / "server.stderr", "log\n");
    }
  }
}

}  // namespace stampede::reports::fixture
