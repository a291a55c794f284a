// `stampede shrink` end to end, on a target whose crash needs a load of at least N requests
// (stampede-testprog segv-at): the smallest load found must be exactly N.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede {
namespace {

using namespace cli_test;

class ShrinkCliTest : public CliTest {
 protected:
  std::filesystem::path CrashAtScenario() {
    auto file = dir_ / "crash-at.json";
    std::ofstream(file) << R"({
  "name": "crash-at",
  "params": {
    "requests": {"default": 12, "description": "Requests in the one round"},
    "crash_at": {"default": 5, "description": "The request that crashes the server"},
    "timeout_ms": {"default": 20000, "description": "Not a load count: never shrunk"}
  },
  "targets": [
    {
      "name": "server",
      "command": [")" + std::string(STAMPEDE_TESTPROG) +
                               R"(", "segv-at", "{port}", "{crash_at}"],
      "ready": {"probe": "tcp", "deadline_ms": 5000},
      "stop": {"signal": "SIGTERM", "deadline_ms": 5000, "clean_exits": [0]}
    }
  ],
  "workload": {
    "type": "parallel-requests",
    "url": "http://127.0.0.1:{server.port}/?seq={seq}",
    "requests": "{requests}",
    "rounds": 1,
    "timeout_ms": 5000
  },
  "timeout_ms": "{timeout_ms}"
})";
    return file;
  }
};

TEST_F(ShrinkCliTest, TheLoadIsShrunkToTheSmallestThatStillCrashesTheSameWay) {
  auto out = dir_ / "shrink";
  auto result = Stampede("shrink " + CrashAtScenario().string() +
                         " --param requests --attempts 1 --seed 7 --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  auto summary = nlohmann::json::parse(ReadText(out / "shrink.json"));
  EXPECT_EQ(summary["before"], (nlohmann::json{{"requests", 12}}));
  EXPECT_EQ(summary["after"], (nlohmann::json{{"requests", 5}}));
  EXPECT_EQ(summary["signature"].get<std::string>().rfind("crash server", 0), 0u)
      << summary["signature"];
  // The run that found the failure, then bisection: 6 crashes, 3 and 4 pass, 5 crashes.
  EXPECT_EQ(summary["attempts"], 5);
  EXPECT_FALSE(summary["cut_short"].get<bool>());
  EXPECT_NE(summary["reproduce"].get<std::string>().find("--set requests=5"), std::string::npos);
  EXPECT_NE(summary["until_fail"].get<std::string>().find("--set requests=5 --until-fail"),
            std::string::npos);
  EXPECT_NE(result.out.find("requests 12 -> 5 in 5 attempts"), std::string::npos) << result.out;
  for (const auto& run : std::filesystem::directory_iterator(out)) {
    if (run.is_directory()) ExpectNoProcessLeft(run.path());
  }
}

TEST_F(ShrinkCliTest, AScenarioThatDoesNotFailHasNothingToShrink) {
  auto result = Stampede("shrink " + CrashAtScenario().string() +
                         " --set crash_at=100 --attempts 2 --out " + (dir_ / "s").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("no failure in 2 attempts with crash_at=100 requests=12: nothing to "
                            "shrink"),
            std::string::npos)
      << result.out;
}

TEST_F(ShrinkCliTest, AParameterThatIsNoCountIsRefused) {
  const auto err = dir_ / "err.txt";
  auto result = Stampede("shrink " + CrashAtScenario().string() + " --param nonesuch", err);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(ReadText(err).find("--param nonesuch: no such parameter"), std::string::npos);
  auto needs = Stampede("shrink " + CrashAtScenario().string() + " --need 3 --attempts 2", err);
  EXPECT_EQ(needs.exit_code, 2);
  EXPECT_NE(ReadText(err).find("--need 3 is more than --attempts 2"), std::string::npos);
}

}  // namespace
}  // namespace stampede
