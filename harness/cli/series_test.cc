// `stampede run --repeat N` and `--until-fail` end to end, on a target that fails with a known,
// seeded probability (stampede-testprog flaky).
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede {
namespace {

using namespace cli_test;

constexpr int kPercent = 30;

// testprog flaky's choice, computed here independently of stampede.
bool FailsWithSeed(std::uint64_t seed) {
  std::uint64_t x = seed + 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<int>((x ^ (x >> 31)) % 100) < kPercent;
}

class SeriesTest : public CliTest {
 protected:
  std::filesystem::path FlakyScenario() {
    auto file = dir_ / "flaky.json";
    std::ofstream(file) << R"({
  "name": "flaky",
  "targets": [
    {
      "name": "server",
      "command": [")" + std::string(STAMPEDE_TESTPROG) +
                               R"(", "flaky", "{port}", ")" + std::to_string(kPercent) +
                               R"(", "{seed}"],
      "ready": {"probe": "tcp", "deadline_ms": 5000},
      "stop": {"signal": "SIGTERM", "deadline_ms": 5000, "clean_exits": [0]}
    }
  ],
  "workload": {
    "type": "parallel-requests",
    "url": "http://127.0.0.1:{server.port}/?seq={seq}",
    "requests": 4,
    "rounds": 1,
    "timeout_ms": 5000
  },
  "timeout_ms": 30000
})";
    return file;
  }
};

TEST_F(SeriesTest, RepeatReportsTheRateWithAnIntervalThatHoldsIt) {
  constexpr std::uint64_t kBase = 1000;
  int expected_failures = 0;
  for (int i = 0; i < 20; ++i) expected_failures += FailsWithSeed(kBase + i);
  auto out = dir_ / "series";
  auto result = Stampede("run " + FlakyScenario().string() + " --repeat 20 --seed " +
                         std::to_string(kBase) + " --out " + out.string());
  EXPECT_EQ(result.exit_code, expected_failures > 0 ? 1 : 0) << result.out;
  auto summary = nlohmann::json::parse(ReadText(out / "summary.json"));
  EXPECT_EQ(summary["mode"], "repeat");
  EXPECT_EQ(summary["ended"], "completed");
  EXPECT_EQ(summary["attempts"], 20);
  EXPECT_EQ(summary["failed"], expected_failures);
  EXPECT_EQ(summary["passed"], 20 - expected_failures);
  EXPECT_EQ(summary["failures_by_kind"]["crash"], expected_failures);
  const auto& rate = summary["failure_rate"];
  EXPECT_DOUBLE_EQ(rate["rate"], expected_failures / 20.0);
  EXPECT_LE(rate["low"].get<double>(), kPercent / 100.0) << rate.dump();
  EXPECT_GE(rate["high"].get<double>(), kPercent / 100.0) << rate.dump();
  for (int attempt = 1; attempt <= 20; ++attempt) {
    const auto& run = summary["runs"][attempt - 1];
    EXPECT_EQ(run["seed"], kBase + attempt - 1);
    EXPECT_EQ(run["verdict"], FailsWithSeed(kBase + attempt - 1) ? "fail" : "pass");
    EXPECT_TRUE(std::filesystem::exists(run["dir"].get<std::string>() + "/verdict.json"));
  }
  EXPECT_NE(result.out.find("failure rate"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find('\r'), std::string::npos) << "no progress line off a terminal";
}

// On a terminal (script(1) provides one) the live line shows the attempt and the counters.
TEST_F(SeriesTest, ATerminalGetsALiveProgressLine) {
  auto out = dir_ / "series";
  auto command = std::string(STAMPEDE_BINARY) + " run " + FlakyScenario().string() +
                 " --repeat 2 --seed 1 --out " + out.string();
  auto result = Shell("script -qec '" + command + "' /dev/null");
  EXPECT_NE(result.out.find("\rattempt 1/2  ops "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\rattempt 2/2  ops "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("in flight"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\r\033[K"), std::string::npos) << "erased before the next line";
}

TEST_F(SeriesTest, UntilFailStopsAtTheFirstFailureAndItsCommandReproducesIt) {
  constexpr std::uint64_t kBase = 5000;
  int first = 1;
  while (!FailsWithSeed(kBase + first - 1)) ++first;
  auto out = dir_ / "series";
  auto result = Stampede("run " + FlakyScenario().string() + " --until-fail --max-runs 50 --seed " +
                         std::to_string(kBase) + " --out " + out.string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  auto summary = nlohmann::json::parse(ReadText(out / "summary.json"));
  EXPECT_EQ(summary["ended"], "first_failure");
  EXPECT_EQ(summary["attempts"], first);
  const auto& failure = summary["first_failure"];
  EXPECT_EQ(failure["attempt"], first);
  EXPECT_EQ(failure["kinds"], (nlohmann::json{"crash"}));

  // The reproduce command, with its own folder, fails the same way.
  auto again = dir_ / "again";
  auto command = failure["reproduce"].get<std::string>();
  auto program_end = command.find(' ');
  auto reproduced = Stampede(command.substr(program_end + 1) + " --out " + again.string());
  EXPECT_EQ(reproduced.exit_code, 1) << command;
  auto verdict = ReadVerdict(again);
  EXPECT_EQ(verdict["failures"][0]["kind"], "crash");
  EXPECT_EQ(verdict["seed"], failure["seed"]);
  ExpectNoProcessLeft(again);
}

TEST_F(SeriesTest, UntilFailIsBoundedByMaxRuns) {
  auto out = dir_ / "series";
  // Seeds whose attempts all pass: find 3 in a row.
  std::uint64_t base = 0;
  while (FailsWithSeed(base) || FailsWithSeed(base + 1) || FailsWithSeed(base + 2)) ++base;
  auto result = Stampede("run " + FlakyScenario().string() + " --until-fail --max-runs 3 --seed " +
                         std::to_string(base) + " --out " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  auto summary = nlohmann::json::parse(ReadText(out / "summary.json"));
  EXPECT_EQ(summary["ended"], "max_runs");
  EXPECT_EQ(summary["attempts"], 3);
  EXPECT_TRUE(summary["first_failure"].is_null());
}

// "Below 25% at 90%" needs 5 clean attempts (z = 1.2816: z^2 / (5 + z^2) = 0.247): a run of
// passing seeds proves it in exactly 5; a failure among them stops the series there.
TEST_F(SeriesTest, ConfidenceRunsUntilTheBoundIsBelowOrAnAttemptFails) {
  std::uint64_t clean = 0;
  while ([&] {
    for (int i = 0; i < 5; ++i) {
      if (FailsWithSeed(clean + i)) return true;
    }
    return false;
  }())
    ++clean;
  auto proven_dir = dir_ / "proven";
  auto proven =
      Stampede("run " + FlakyScenario().string() + " --confidence 0.9 --below 0.25 --seed " +
               std::to_string(clean) + " --out " + proven_dir.string());
  EXPECT_EQ(proven.exit_code, 0) << proven.out;
  auto summary = nlohmann::json::parse(ReadText(proven_dir / "summary.json"));
  EXPECT_EQ(summary["ended"], "proven");
  EXPECT_EQ(summary["attempts"], 5);
  EXPECT_EQ(summary["proof"]["result"], "proven");
  EXPECT_LT(summary["proof"]["upper_bound"].get<double>(), 0.25);
  EXPECT_NE(proven.out.find("failure rate below 25.0% at 90.0% confidence: proven by 5 clean"),
            std::string::npos)
      << proven.out;

  std::uint64_t base = 0;
  while (!FailsWithSeed(base + 2) || FailsWithSeed(base) || FailsWithSeed(base + 1)) ++base;
  auto failed_dir = dir_ / "failed";
  auto failed =
      Stampede("run " + FlakyScenario().string() + " --confidence 0.9 --below 0.25 --seed " +
               std::to_string(base) + " --out " + failed_dir.string());
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  auto not_proven = nlohmann::json::parse(ReadText(failed_dir / "summary.json"));
  EXPECT_EQ(not_proven["ended"], "first_failure");
  EXPECT_EQ(not_proven["attempts"], 3);
  EXPECT_EQ(not_proven["proof"]["result"], "failed");
}

// A proof that --max-time cuts short proves nothing: exit 1, result "incomplete". The first
// attempt (a passing seed) takes longer than the 1 ms allowed, so no second one starts.
TEST_F(SeriesTest, AProofCutShortByMaxTimeIsNotAPass) {
  std::uint64_t seed = 0;
  while (FailsWithSeed(seed)) ++seed;
  auto out = dir_ / "cut";
  auto cut = Stampede("run " + FlakyScenario().string() +
                      " --confidence 0.99 --below 0.01 --max-time 0.001 --seed " +
                      std::to_string(seed) + " --out " + out.string());
  EXPECT_EQ(cut.exit_code, 1) << cut.out;
  auto summary = nlohmann::json::parse(ReadText(out / "summary.json"));
  EXPECT_EQ(summary["ended"], "max_time");
  EXPECT_EQ(summary["proof"]["result"], "incomplete");
}

// Every failing attempt is grouped by its signature; given that summary as --known, a later
// --until-fail goes on past the same failure and ends at --max-runs.
TEST_F(SeriesTest, SignaturesGroupFailuresAndKnownOnesDoNotEndTheSeries) {
  constexpr std::uint64_t kBase = 7000;
  auto first_dir = dir_ / "first";
  Stampede("run " + FlakyScenario().string() + " --repeat 10 --seed " + std::to_string(kBase) +
           " --out " + first_dir.string());
  auto first = nlohmann::json::parse(ReadText(first_dir / "summary.json"));
  ASSERT_GT(first["failed"].get<int>(), 0) << first.dump(2);
  ASSERT_EQ(first["signatures"].size(), 1u) << first["signatures"].dump(2);
  const auto& group = first["signatures"][0];
  EXPECT_EQ(group["attempts"], first["failed"]);
  EXPECT_EQ(group["first_attempt"], first["first_failure"]["attempt"]);
  EXPECT_FALSE(group["known"].get<bool>());
  EXPECT_EQ(group["signature"].get<std::string>().rfind("crash server: ", 0), 0u);

  int failing_in_five = 0;
  for (int i = 0; i < 5; ++i) failing_in_five += FailsWithSeed(kBase + i);
  ASSERT_GT(failing_in_five, 0) << "pick a base with a failure in its first five seeds";
  auto again_dir = dir_ / "again";
  auto again = Stampede("run " + FlakyScenario().string() + " --until-fail --max-runs 5 --known " +
                        (first_dir / "summary.json").string() + " --seed " + std::to_string(kBase) +
                        " --out " + again_dir.string());
  EXPECT_EQ(again.exit_code, 1) << again.out;
  auto summary = nlohmann::json::parse(ReadText(again_dir / "summary.json"));
  EXPECT_EQ(summary["ended"], "max_runs");
  EXPECT_EQ(summary["attempts"], 5);
  EXPECT_EQ(summary["failed"], failing_in_five);
  EXPECT_TRUE(summary["signatures"][0]["known"].get<bool>());
}

}  // namespace
}  // namespace stampede
