// The ping-pong scenarios end to end through the stampede binary: built-in targets, and
// Debian's redis-server and nutcracker.
#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class PingPongScenarioTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& scenario, const std::string& args, int expected_exit) {
    return RunChecked(ScenarioPath(scenario), args, expected_exit);
  }
};

void ExpectAllOk(const nlohmann::json& verdict, int ops) {
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ops"], ops);
  EXPECT_EQ(verdict["stats"]["ok"], ops);
}

TEST_F(PingPongScenarioTest, DirectFloodPasses) {
  ExpectAllOk(Run("lab/pingpong-direct.json", "--set requests=200", 0), 20 * 200);
}

TEST_F(PingPongScenarioTest, CrossTalkIsAMismatchWithTheExchanges) {
  auto verdict = Run("lab/pingpong-direct.json", "--set bug=cross-talk --set requests=200", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "mismatch");
  EXPECT_GT(failure["evidence"]["count"], 0);
  const auto& first = failure["evidence"]["first"][0];
  EXPECT_NE(first["expected"], first["got"]);
  for (const char* field : {"connection", "seq", "expected", "got"}) {
    EXPECT_TRUE(first.contains(field)) << field;
  }
}

TEST_F(PingPongScenarioTest, FloodThroughTheProxyPasses) {
  ExpectAllOk(Run("lab/pingpong-proxy.json", "--set requests=200", 0), 20 * 200);
}

TEST_F(PingPongScenarioTest, FloodThroughTheEpollProxyPasses) {
  ExpectAllOk(Run("lab/pingpong-proxy.json", "--set requests=200 --set backend=epoll", 0),
              20 * 200);
}

TEST_F(PingPongScenarioTest, PendingRecvBugIsACrashOfTheProxyWithTheAssertion) {
  auto verdict = Run("lab/pingpong-proxy.json", "--set bug=pending-recv", 1);
  ASSERT_GE(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& crash = verdict["failures"][0];
  EXPECT_EQ(crash["kind"], "crash");
  EXPECT_EQ(crash["target"], "proxy");
  EXPECT_EQ(crash["evidence"]["signal"], "SIGABRT");
  EXPECT_NE(
      crash["evidence"]["title"].get<std::string>().find("Assertion `!cd->pending_recv' failed"),
      std::string::npos)
      << crash.dump(2);
  for (const auto& failure : verdict["failures"]) {
    EXPECT_NE(failure.value("target", ""), "server") << "the server did not crash";
  }
  // What the clients saw: their connections dropped.
  EXPECT_GT(verdict["stats"]["failed"], 0);
  EXPECT_FALSE(verdict["stats"]["errors_by_reason"].empty());
}

TEST_F(PingPongScenarioTest, RedisServerPasses) {
  ExpectAllOk(Run("real/pingpong-redis.json", "--set requests=200", 0), 20 * 200);
}

TEST_F(PingPongScenarioTest, RedisServerSetGetPasses) {
  ExpectAllOk(Run("real/pingpong-redis.json", "--set requests=200 --set mode=set-get", 0),
              20 * 200);
}

TEST_F(PingPongScenarioTest, NutcrackerInFrontOfRedisPasses) {
  auto verdict = Run("real/pingpong-nutcracker.json", "--set requests=200", 0);
  ExpectAllOk(verdict, 20 * 200);
  // The config template was written with the ports of this run.
  auto config = ReadText(dir_ / "run" / "nutcracker.yml");
  EXPECT_EQ(config.find('{'), std::string::npos) << config;
}

}  // namespace
}  // namespace stampede
