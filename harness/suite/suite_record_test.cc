#include "suite/suite_record.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

using nlohmann::json;

AttemptResult Attempt(int n, const std::string& verdict, const std::string& kind = "") {
  json v = json::parse(R"({
    "duration_ms": 10, "params": {"bug": "race"},
    "stats": {"ops": 4, "ok": 4, "failed": 0, "info": 0, "throughput_ops_s": 100.0,
              "latency_us": {"p50": 1, "p90": 2, "p99": 3, "max": 4, "mean": 1.5}},
    "timeline": {"downtime": {"windows": [{"target": "s", "from_ms": 100, "to_ms": 130}]}}
  })");
  v["verdict"] = verdict;
  v["failures"] = json::array();
  if (!kind.empty()) {
    v["failures"].push_back({{"kind", kind}, {"target", "server"}, {"summary", "s"}});
  }
  return {n,  static_cast<std::uint64_t>(40 + n), "cells/001-x/attempt-00" + std::to_string(n), v,
          "", "stampede run x.json --seed 41"};
}

CellResult Cell(bool expect_fail, std::vector<AttemptResult> attempts) {
  CellPlan plan{"x[bug=race]", "x.json",         "x", {{"bug", "race"}}, {{"bug", "race"}},
                expect_fail,   "001-x_bug=race_"};
  return {plan, std::move(attempts)};
}

TEST(SuiteRecordTest, OutcomesFollowTheExpectation) {
  EXPECT_EQ(CellOutcome(Cell(false, {Attempt(1, "pass"), Attempt(2, "pass")})), "pass");
  EXPECT_EQ(CellOutcome(Cell(false, {Attempt(1, "pass"), Attempt(2, "fail", "crash")})), "fail");
  EXPECT_EQ(CellOutcome(Cell(true, {Attempt(1, "pass"), Attempt(2, "fail", "crash")})),
            "expected-fail");
  EXPECT_EQ(CellOutcome(Cell(true, {Attempt(1, "pass")})), "unexpected-pass");
  EXPECT_EQ(CellOutcome(Cell(true, {Attempt(1, "fail", "crash"), Attempt(2, "aborted")})),
            "aborted");
  AttemptResult broken{3, 43, "cells/001-x/attempt-003", nullptr, "cannot start", ""};
  EXPECT_EQ(CellOutcome(Cell(false, {Attempt(1, "pass"), broken})), "error");
  EXPECT_TRUE(AsExpected("expected-fail"));
  EXPECT_FALSE(AsExpected("unexpected-pass"));
}

TEST(SuiteRecordTest, ACellCarriesItsAttemptsKindsStatsAndRate) {
  auto cell = CellJson(Cell(true, {Attempt(1, "fail", "crash"), Attempt(2, "pass")}));
  EXPECT_EQ(cell["id"], "x[bug=race]");
  EXPECT_EQ(cell["expect"], "fail");
  EXPECT_EQ(cell["outcome"], "expected-fail");
  EXPECT_EQ(cell["as_expected"], true);
  EXPECT_EQ(cell["values"], json({{"bug", "race"}}));
  EXPECT_EQ(cell["params"], json({{"bug", "race"}}));
  EXPECT_EQ(cell["failures_by_kind"], json({{"crash", 1}}));
  EXPECT_EQ(cell["failed"], 1);
  EXPECT_EQ(cell["passed"], 1);
  EXPECT_DOUBLE_EQ(cell["failure_rate"]["rate"].get<double>(), 0.5);
  const auto& first = cell["attempts"][0];
  EXPECT_EQ(first["kinds"], json({"crash"}));
  EXPECT_EQ(first["failures"][0]["target"], "server");
  EXPECT_EQ(first["verdict_file"], "cells/001-x/attempt-001/verdict.json");
  EXPECT_EQ(first["stats"]["latency_us"]["p99"], 3);
  EXPECT_EQ(first["stop_ms"], json({30}));
  EXPECT_EQ(first["seed"], 41u);
}

TEST(SuiteRecordTest, StatsWithoutALatencyAreNull) {
  auto attempt = Attempt(1, "fail", "errors");
  attempt.verdict["stats"]["ok"] = 0;
  attempt.verdict["stats"]["latency_us"] = {
      {"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  auto cell = CellJson(Cell(false, {attempt}));
  EXPECT_TRUE(cell["attempts"][0]["stats"].is_null());
  attempt.verdict["stats"] = "garbage";
  EXPECT_TRUE(CellJson(Cell(false, {attempt}))["attempts"][0]["stats"].is_null());
}

TEST(SuiteRecordTest, TotalsCountCellsAndAttempts) {
  SuiteInfo info{"2026-11-30T00:00:00.000Z", 5,      "stampede run x.json", 2, std::pair{1, 2},
                 {{"bug", {"*"}}},           {"n=1"}};
  auto suite = SuiteJson(info, {Cell(false, {Attempt(1, "pass"), Attempt(2, "pass")}),
                                Cell(false, {Attempt(1, "fail", "hang"), Attempt(2, "pass")})});
  EXPECT_EQ(suite["schema"], "stampede.suite/1");
  EXPECT_EQ(suite["shard"], json({{"index", 1}, {"count", 2}}));
  EXPECT_EQ(suite["matrix"], json({{"bug", {"*"}}}));
  EXPECT_EQ(suite["totals"]["cells"], 2);
  EXPECT_EQ(suite["totals"]["as_expected"], 1);
  EXPECT_EQ(suite["totals"]["unexpected"], 1);
  EXPECT_EQ(suite["totals"]["attempts"], 4);
  EXPECT_EQ(suite["totals"]["failed"], 1);
}

}  // namespace
}  // namespace stampede
