// scenarios/lab/start-stop.json and the real start-stop scenarios end to end through the
// stampede binary.
#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class StartStopScenarioTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& scenario, const std::string& args, int expected_exit) {
    return RunChecked(ScenarioPath(scenario), args, expected_exit);
  }
};

TEST_F(StartStopScenarioTest, HttpServerStopsCleanlyEveryCycle) {
  auto verdict = Run("lab/start-stop.json", "--set cycles=10 --set busy=1", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["passed"], 10);
  EXPECT_EQ(verdict["stats"]["ok"], 10 * 3) << "2 idle and 1 busy request per cycle";
}

// With the scenario's perturbation (nice -10) about a fifth of the cycles hang, on an idle
// machine and with two CPU hogs running alike; the run stops at the first, so 200 cycles cost
// nothing more and leave the chance of missing it below one in a billion.
TEST_F(StartStopScenarioTest, ShutdownRaceIsAHangInShutdownStuckInTheWait) {
  auto verdict =
      Run("lab/start-stop.json", "--set bug=shutdown-race --set idle=8 --set cycles=200", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_EQ(failure["target"], "server");
  EXPECT_EQ(verdict["perturbation"]["nice"], -10) << "the scenario's perturbation was applied";
  const auto& evidence = failure["evidence"];
  EXPECT_EQ(evidence["phase"], "shutdown");
  EXPECT_EQ(evidence["cycle"], verdict["cycles"]["first_failed"]);
  EXPECT_EQ(verdict["cycles"]["passed"].get<int>() + 1, evidence["cycle"].get<int>());
  EXPECT_NE(evidence["log_tail"].get<std::string>().find("wait for all connections to close"),
            std::string::npos);
  ASSERT_TRUE(evidence["backtraces"].contains("text")) << evidence["backtraces"].dump();
  EXPECT_NE(evidence["backtraces"]["text"].get<std::string>().find("WaitForTheLastCloseToNotify"),
            std::string::npos);
}

// --perturb changes the scenario's perturbation for one run, and the reproduce command keeps it.
TEST_F(StartStopScenarioTest, PerturbFromTheCommandLineIsAppliedAndReproduced) {
  auto verdict = Run("lab/start-stop.json", "--set cycles=2 --perturb nice=5 --perturb cpus=1", 0);
  EXPECT_EQ(verdict["perturbation"]["nice"], 5) << verdict.dump(2);
  ASSERT_EQ(verdict["perturbation"]["target_cpus"].size(), 1u);
  EXPECT_NE(verdict["reproduce"].get<std::string>().find("--perturb nice=5 --perturb cpus=1"),
            std::string::npos);
  auto plain = Run("lab/start-stop.json", "--set cycles=2 --perturb none", 0);
  EXPECT_FALSE(plain.contains("perturbation")) << plain.dump(2);
}

TEST_F(StartStopScenarioTest, RedisServerStopsCleanlyEveryCycle) {
  auto verdict = Run("real/start-stop-redis.json", "--set cycles=5", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["passed"], 5);
  EXPECT_EQ(verdict["stats"]["info"], 5) << "the BLPOP cut off by each shutdown";
}

TEST_F(StartStopScenarioTest, NginxStopsGracefullyEveryCycle) {
  auto verdict = Run("real/start-stop-nginx.json", "--set cycles=5", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["passed"], 5);
}

}  // namespace
}  // namespace stampede
