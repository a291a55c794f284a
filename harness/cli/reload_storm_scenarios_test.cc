// scenarios/lab/reload-storm.json and the real reload-storm scenarios end to end through the
// stampede binary.
#include <gtest/gtest.h>

#include <set>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class ReloadStormScenarioTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& scenario, const std::string& args, int expected_exit) {
    return RunChecked(ScenarioPath(scenario), args, expected_exit);
  }
};

// Connections of the storm that got an answer (so the server accepted them) and were then left
// idle by a reload, from the run's history.
int AcceptedConnectionsLeftIdle(const std::filesystem::path& history_file) {
  auto history = LoadHistory(history_file);
  EXPECT_TRUE(history.ok()) << history.error().message;
  if (!history.ok()) return 0;
  std::set<std::int64_t> answered;
  std::set<std::int64_t> left_idle;
  for (const auto& op : history.value().ops) {
    // A preconnect's ok is the kernel's handshake, not an accept.
    if (op.type == OpType::kOk && op.f.starts_with("GET ")) answered.insert(op.connection);
    if (op.type == OpType::kInfo && op.error == "abandoned by reload (idle)") {
      left_idle.insert(op.connection);
    }
  }
  int count = 0;
  for (auto connection : left_idle) count += answered.contains(connection);
  return count;
}

class ReloadStormBackendScenarioTest : public ReloadStormScenarioTest,
                                       public testing::WithParamInterface<const char*> {};

TEST_P(ReloadStormBackendScenarioTest, EveryProbeIsAnswered) {
  auto verdict =
      Run("lab/reload-storm.json", std::string("--set rounds=8 --set backend=") + GetParam(), 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["failed"], 0);
  EXPECT_GT(verdict["stats"]["info"], 0) << "reloads abandon requests";
}

INSTANTIATE_TEST_SUITE_P(Backends, ReloadStormBackendScenarioTest,
                         testing::Values("epoll", "poll", "uring", "threads"));

TEST_F(ReloadStormScenarioTest, AcceptOnceIsAHangWhileServingWithTheQueuedConnections) {
  auto verdict = Run("lab/reload-storm.json", "--set bug=accept-once", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_EQ(failure["target"], "server");
  const auto summary = failure["summary"].get<std::string>();
  EXPECT_NE(summary.find("did not answer a liveness probe (GET /) within 2000 ms after round "),
            std::string::npos)
      << summary;
  const auto& evidence = failure["evidence"];
  EXPECT_EQ(evidence["phase"], "serving");
  EXPECT_GE(evidence["round"].get<int>(), 1);
  EXPECT_NE(summary.find("after round " + evidence["round"].dump() + " of 20"), std::string::npos);
  EXPECT_EQ(verdict["stats"]["storm"]["probes"], evidence["round"]);
  ASSERT_TRUE(evidence["backtraces"].contains("text")) << evidence["backtraces"].dump();
  EXPECT_NE(evidence["backtraces"]["text"].get<std::string>().find("epoll_wait"), std::string::npos)
      << "idle in its event loop";
  int queued = 0;
  for (const auto& socket : evidence["sockets"]) {
    if (socket["state"] == "LISTEN") queued += socket.value("accept_queue", 0);
  }
  EXPECT_GE(queued, 1) << "at least the probe waits in the accept queue: "
                       << evidence["sockets"].dump();
  // Taken while the storm still held its connections: every one the server had accepted (it
  // answered on it) and a reload then left idle is still established on the server's side.
  int established = 0;
  for (const auto& socket : evidence["sockets"]) established += socket["state"] == "ESTABLISHED";
  EXPECT_GE(established, AcceptedConnectionsLeftIdle(dir_ / "run" / "history.jsonl"))
      << evidence["sockets"].dump();
}

TEST_F(ReloadStormScenarioTest, AcceptOnceIsCaughtByTheFinalProbeAlone) {
  auto verdict = Run("lab/reload-storm.json", "--set bug=accept-once --set probe_at=end", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_NE(failure["summary"].get<std::string>().find("the final liveness probe"),
            std::string::npos)
      << failure["summary"];
  EXPECT_EQ(verdict["stats"]["storm"]["probes"], 1);
}

TEST_F(ReloadStormScenarioTest, APassingStormCarriesItsCounts) {
  auto verdict =
      Run("lab/reload-storm.json", "--set rounds=8 --set probe_at=both --set settle_ms=50", 0);
  const auto& storm = verdict["stats"]["storm"];
  EXPECT_EQ(storm["probes"], 9) << storm.dump();
  EXPECT_GT(storm["connections"].get<int>(), 8 * 4);
  EXPECT_GE(storm["peak_open"].get<int>(), 4);
  EXPECT_EQ(storm["refused"], 0);
}

TEST_F(ReloadStormScenarioTest, NginxAnswersEveryProbe) {
  auto verdict = Run("real/reload-storm-nginx.json", "--set rounds=8", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["failed"], 0);
}

TEST_F(ReloadStormScenarioTest, LighttpdAnswersEveryProbe) {
  auto verdict = Run("real/reload-storm-lighttpd.json", "--set rounds=8", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["failed"], 0);
}

}  // namespace
}  // namespace stampede
