#include "run/attempts.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

AttemptRecord Record(int attempt, Outcome outcome, std::vector<std::string> kinds = {}) {
  AttemptRecord record;
  record.attempt = attempt;
  record.seed = AttemptSeed(100, attempt);
  record.dir = "runs/x/attempt-" + std::to_string(attempt);
  record.outcome = outcome;
  record.failure_kinds = std::move(kinds);
  record.reproduce = "stampede run x.json --seed " + std::to_string(record.seed);
  record.duration_ms = 500;
  return record;
}

TEST(AttemptSeedTest, CountsUpFromTheBase) {
  EXPECT_EQ(AttemptSeed(7, 1), 7u);
  EXPECT_EQ(AttemptSeed(7, 20), 26u);
  EXPECT_EQ(AttemptSeed(~std::uint64_t{0}, 2), 0u) << "wraps around";
}

TEST(SummarizeAttemptsTest, CountsOutcomesKindsAndTheRate) {
  std::vector<AttemptRecord> records = {
      Record(1, Outcome::kPass), Record(2, Outcome::kFail, {"crash"}), Record(3, Outcome::kPass),
      Record(4, Outcome::kFail, {"hang", "errors"}), Record(5, Outcome::kError)};
  auto summary = SummarizeAttempts({"lab", "repeat", 5, 30000, SeriesEnd::kCompleted}, records);
  EXPECT_EQ(summary["schema"], "stampede.summary/1");
  EXPECT_EQ(summary["ended"], "completed");
  EXPECT_EQ(summary["attempts"], 5);
  EXPECT_EQ(summary["passed"], 2);
  EXPECT_EQ(summary["failed"], 2);
  EXPECT_EQ(summary["errors"], 1);
  EXPECT_EQ(summary["failures_by_kind"],
            (nlohmann::json{{"crash", 1}, {"errors", 1}, {"hang", 1}}));
  EXPECT_DOUBLE_EQ(summary["failure_rate"]["rate"], 0.5) << "errors are not judged";
  EXPECT_NEAR(summary["failure_rate"]["low"], 0.15, 0.01);
  EXPECT_NEAR(summary["failure_rate"]["high"], 0.85, 0.01);
  EXPECT_EQ(summary["first_failure"]["attempt"], 2);
  EXPECT_EQ(summary["first_failure"]["seed"], 101);
  EXPECT_EQ(summary["first_failure"]["dir"], "runs/x/attempt-2");
  EXPECT_EQ(summary["first_failure"]["reproduce"], "stampede run x.json --seed 101");
  EXPECT_DOUBLE_EQ(summary["attempts_per_minute"], 10.0);
  ASSERT_EQ(summary["runs"].size(), 5u);
  EXPECT_EQ(summary["runs"][3]["kinds"], (nlohmann::json{"hang", "errors"}));
  EXPECT_EQ(summary["runs"][4]["verdict"], "error");
}

TEST(SummarizeAttemptsTest, AllPassedHasNoFirstFailure) {
  auto summary = SummarizeAttempts({"lab", "until-fail", 3, 0, SeriesEnd::kMaxRuns},
                                   {Record(1, Outcome::kPass), Record(2, Outcome::kPass)});
  EXPECT_TRUE(summary["first_failure"].is_null());
  EXPECT_EQ(summary["ended"], "max_runs");
  EXPECT_EQ(summary["failure_rate"]["rate"], 0.0);
  EXPECT_EQ(summary["attempts_per_minute"], 0.0);
}

// A proof cut short by --max-time proves nothing yet: "incomplete", with the bound so far; only
// "prove" series carry a proof.
TEST(SummarizeAttemptsTest, AProofStoppedEarlyIsIncomplete) {
  SeriesInfo info{"lab", "prove", 268, 0, SeriesEnd::kMaxTime, 0.95, 0.01};
  auto summary = SummarizeAttempts(info, {Record(1, Outcome::kPass), Record(2, Outcome::kPass)});
  const auto& proof = summary["proof"];
  EXPECT_EQ(proof["result"], "incomplete");
  EXPECT_EQ(proof["clean_attempts_needed"], 268);
  EXPECT_NEAR(proof["upper_bound"].get<double>(), 2.7055 / (2 + 2.7055), 1e-3);
  info.end = SeriesEnd::kProven;
  EXPECT_EQ(SummarizeAttempts(info, {Record(1, Outcome::kPass)})["proof"]["result"], "proven");
  EXPECT_FALSE(
      SummarizeAttempts({"lab", "repeat", 2, 0, SeriesEnd::kCompleted}, {}).contains("proof"));
}

}  // namespace
}  // namespace stampede
