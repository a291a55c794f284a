// The start-stop workload end to end through the stampede binary, against tiny real programs
// (tests/fixtures/testprog.cc) that each get one part of a stop wrong.
#include "run/start_stop_cycles.h"

#include <gtest/gtest.h>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede {
namespace {

using namespace cli_test;

class StartStopTest : public CliTest {
 protected:
  // A scenario whose one target is `testprog MODE {port} EXTRA...`, started and stopped
  // `cycles` times with one idle keep-alive connection per cycle.
  // `extra_workload` is a JSON object whose members are set on the workload (replacing its
  // defaults: one idle connection, timeout_ms 2000).
  nlohmann::json Run(const std::string& mode, int cycles, int expected_exit,
                     const std::string& extra_workload = "{}", const std::string& extra_args = "") {
    nlohmann::json workload = {{"type", "start-stop"},
                               {"cycles", cycles},
                               {"address", "127.0.0.1:{server.port}"},
                               {"idle_connections", 1},
                               {"timeout_ms", 2000}};
    workload.update(nlohmann::json::parse(extra_workload));
    const std::string scenario = R"({
  "name": "start-stop-test",
  "targets": [{"name": "server",
               "command": [")" + std::string(STAMPEDE_TESTPROG) +
                                 R"(", ")" + mode + R"(", "{port}")" + extra_args + R"(],
               "ready": {"probe": "tcp", "deadline_ms": 5000},
               "stop": {"deadline_ms": 500}}],
  "workload": )" + workload.dump() +
                                 R"(
})";
    std::ofstream(dir_ / "scenario.json") << scenario;
    auto out = dir_ / "run";
    auto result = Stampede("run " + (dir_ / "scenario.json").string() + " --out " + out.string());
    EXPECT_EQ(result.exit_code, expected_exit) << result.out;
    EXPECT_TRUE(ValidatesAgainstSchema(out / "verdict.json"));
    ExpectNoProcessLeft(out);
    return ReadVerdict(out);
  }

  const nlohmann::json& OnlyFailure(const nlohmann::json& verdict) {
    EXPECT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
    return verdict["failures"][0];
  }
};

TEST_F(StartStopTest, AServerThatStopsCleanlyPassesEveryCycle) {
  auto verdict = Run("serve", 3, 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["planned"], 3);
  EXPECT_EQ(verdict["cycles"]["run"], 3);
  EXPECT_EQ(verdict["cycles"]["passed"], 3);
  EXPECT_TRUE(verdict["cycles"]["first_failed"].is_null());
  EXPECT_EQ(verdict["stats"]["ok"], 3) << "one idle request per cycle";
  for (const char* cycle : {"1", "2", "3"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "run" / "cycles" / cycle / "server.stderr"));
  }
  auto history = LoadHistory(dir_ / "run" / "history.jsonl");
  ASSERT_TRUE(history.ok());
  int spawned = 0;
  for (const auto& event : history.value().processes) {
    if (event.action == ProcessAction::kSpawned) {
      EXPECT_EQ(event.cycle, ++spawned);
    }
  }
  EXPECT_EQ(spawned, 3);
}

TEST_F(StartStopTest, AServerThatExitsAtOnceIsAnExitInCycleOne) {
  auto verdict = Run("exit", 5, 1, R"({"idle_connections": 0})");
  const auto& failure = OnlyFailure(verdict);
  EXPECT_EQ(failure["kind"], "exit");
  EXPECT_EQ(failure["evidence"]["cycle"], 1);
  EXPECT_EQ(verdict["cycles"]["run"], 1) << "stops at the first failing cycle";
  EXPECT_EQ(verdict["cycles"]["first_failed"], 1);
}

TEST_F(StartStopTest, AServerThatIgnoresSigtermIsAHangWithEvidence) {
  auto verdict = Run("ignore-term", 3, 1);
  const auto& failure = OnlyFailure(verdict);
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_EQ(failure["evidence"]["phase"], "shutdown");
  EXPECT_EQ(failure["evidence"]["cycle"], 1);
  EXPECT_NE(failure["summary"].get<std::string>().find("in cycle 1"), std::string::npos);
  const auto& evidence = failure["evidence"];
  EXPECT_TRUE(evidence["backtraces"].contains("text") ||
              evidence["backtraces"].contains("unavailable"))
      << evidence["backtraces"].dump();
  bool listening = false;
  for (const auto& socket : evidence["sockets"]) listening |= socket["state"] == "LISTEN";
  EXPECT_TRUE(listening) << evidence["sockets"].dump();
  EXPECT_EQ(verdict["cycles"]["passed"], 0);
}

// hold_ms keeps the load open that long after the idle connections' answers: the stop request
// of each cycle comes at least that much after the cycle's last answer.
TEST_F(StartStopTest, HoldMsDelaysEachStopAfterTheLastAnswer) {
  auto verdict = Run("serve", 2, 0, R"({"hold_ms": 300, "idle_connections": 2})");
  EXPECT_EQ(verdict["cycles"]["passed"], 2) << verdict.dump(2);
  auto history = LoadHistory(dir_ / "run" / "history.jsonl");
  ASSERT_TRUE(history.ok()) << history.error().message;
  for (int cycle = 1; cycle <= 2; ++cycle) {
    std::int64_t last_answer_ns = -1;
    for (const auto& op : history.value().ops) {
      if (op.seq == cycle && op.type == OpType::kOk) last_answer_ns = op.time_ns;
    }
    std::int64_t stop_ns = -1;
    for (const auto& event : history.value().processes) {
      if (event.cycle == cycle && event.action == ProcessAction::kStopRequested) {
        stop_ns = event.time_ns;
      }
    }
    ASSERT_GE(last_answer_ns, 0) << "cycle " << cycle;
    ASSERT_GE(stop_ns, 0) << "cycle " << cycle;
    EXPECT_GE(stop_ns - last_answer_ns, 300000000) << "cycle " << cycle;
  }
}

TEST_F(StartStopTest, AServerThatExitsNonZeroOnStopIsACrashInShutdown) {
  auto verdict = Run("exit-on-term", 3, 1, "{}", R"(, "3")");
  const auto& failure = OnlyFailure(verdict);
  EXPECT_EQ(failure["kind"], "crash");
  EXPECT_EQ(failure["evidence"]["phase"], "shutdown");
  EXPECT_EQ(failure["evidence"]["exit_code"], 3);
  EXPECT_EQ(failure["evidence"]["cycle"], 1);
}

TEST_F(StartStopTest, AServerWhoseChildKeepsThePortIsAHangNamingTheHolder) {
  auto verdict = Run("keep-port", 3, 1);
  const auto& failure = OnlyFailure(verdict);
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_EQ(failure["evidence"]["phase"], "shutdown");
  const auto& listeners = failure["evidence"]["listeners"];
  ASSERT_EQ(listeners.size(), 1u) << failure.dump(2);
  ASSERT_EQ(listeners[0]["holders"].size(), 1u) << failure.dump(2);
  EXPECT_NE(listeners[0]["holders"][0]["pid"], failure["evidence"]["pid"])
      << "the holder is the child, not the process that exited";
  EXPECT_NE(failure["summary"].get<std::string>().find("still listening"), std::string::npos);
}

TEST_F(StartStopTest, KeepGoingRunsEveryCycleAndListsTheFailures) {
  auto verdict = Run("exit-on-term", 3, 1, R"({"keep_going": true})", R"(, "3")");
  EXPECT_EQ(verdict["failures"].size(), 3u) << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["run"], 3);
  EXPECT_EQ(verdict["cycles"]["failed_cycles"], nlohmann::json({1, 2, 3}));
}

TEST_F(StartStopTest, AnUnansweredIdleRequestFailsTheCycle) {
  auto verdict = Run("silent", 3, 1, R"({"timeout_ms": 200})");
  EXPECT_EQ(verdict["cycles"]["first_failed"], 1) << verdict.dump(2);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["kind"], "errors");
  EXPECT_EQ(verdict["stats"]["errors_by_reason"]["no answer within 200 ms"], 1);
}

TEST(CycleDirNameTest, PadsToTheWidthOfTheLastCycle) {
  EXPECT_EQ(CycleDirName(7, 50), std::filesystem::path("cycles/07"));
  EXPECT_EQ(CycleDirName(7, 9), std::filesystem::path("cycles/7"));
  EXPECT_EQ(CycleDirName(12, 1000), std::filesystem::path("cycles/0012"));
}

}  // namespace
}  // namespace stampede
