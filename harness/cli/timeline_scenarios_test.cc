// The timeline lab scenarios end to end through the stampede binary: each bug needs its action
// to show, and each is caught with the right failure kind; the default targets pass.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class TimelineScenariosTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& file, const std::string& args, int expected_exit) {
    return RunChecked(ScenarioPath("lab/" + file), args, expected_exit);
  }

  // A race is caught in most runs, not all (the rates are in targets/README.md): runs the
  // scenario up to `attempts` times and returns the first failing verdict, or the last one.
  nlohmann::json RunUntilFailure(const std::string& file, const std::string& args, int attempts) {
    nlohmann::json verdict;
    for (int i = 0; i < attempts; ++i) {
      auto out = dir_ / ("attempt-" + std::to_string(i));
      auto result =
          Stampede("run " + ScenarioPath("lab/" + file) + " " + args + " --out " + out.string());
      verdict = ReadVerdict(out);
      ExpectNoProcessLeft(out);
      if (result.exit_code == 1) return verdict;
      EXPECT_EQ(result.exit_code, 0) << result.out;
    }
    return verdict;
  }
};

// The kinds of the failures, in order.
std::vector<std::string> Kinds(const nlohmann::json& verdict) {
  std::vector<std::string> kinds;
  for (const auto& failure : verdict["failures"]) kinds.push_back(failure["kind"]);
  return kinds;
}

TEST_F(TimelineScenariosTest, ReloadsDuringLoadPass) {
  auto verdict =
      Run("reload-race.json", "--set requests=500 --set reloads=40 --set reload_every_ms=20", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ok"], 20 * 500);
  EXPECT_EQ(verdict["timeline"]["count"], 40);
  EXPECT_EQ(verdict["timeline"]["by_outcome"]["ok"], 40);
  EXPECT_EQ(verdict["timeline"]["actions"][0]["action"], "signal SIGHUP server");
}

TEST_F(TimelineScenariosTest, ReloadRaceIsACrashOnlyWithReloads) {
  auto verdict = RunUntilFailure("reload-race.json", "--set bug=reload-race", 3);
  ASSERT_FALSE(verdict["failures"].empty()) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["kind"], "crash");
  EXPECT_EQ(verdict["failures"][0]["evidence"]["signal"], "SIGABRT") << verdict.dump(2);
  // The same load and schedule with a signal that reloads nothing.
  auto quiet = Run("reload-race.json", "--set bug=reload-race --set signal=SIGCONT", 0);
  EXPECT_EQ(quiet["verdict"], "pass") << quiet.dump(2);
}

TEST_F(TimelineScenariosTest, AStopWhileClientsKeepSendingPasses) {
  auto verdict = Run("drain-busy.json", "", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  ASSERT_EQ(verdict["timeline"]["count"], 1);
  EXPECT_EQ(verdict["timeline"]["actions"][0]["action"], "stop server");
  EXPECT_GT(verdict["stats"]["ok"].get<int>(), 3);
}

TEST_F(TimelineScenariosTest, DrainBusyIsAShutdownHang) {
  auto verdict = Run("drain-busy.json", "--set bug=drain-busy", 1);
  EXPECT_EQ(Kinds(verdict), std::vector<std::string>{"hang"}) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["evidence"]["phase"], "shutdown");
  EXPECT_FALSE(verdict["failures"][0]["evidence"]["backtraces"].empty());
}

TEST_F(TimelineScenariosTest, ClientListDuringChurnPasses) {
  auto verdict = Run("stats-race.json", "--set duration_ms=1500 --set lists=100", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["timeline"]["by_outcome"]["ok"], 100);
  EXPECT_GT(verdict["stats"]["ok"].get<int>(), 100);
}

// Five load threads spill their operations to disk; the run puts them back together: one
// history.jsonl in time order with the process events in it, every load operation counted,
// and no spill file left.
TEST_F(TimelineScenariosTest, TheHistoryOfManyLoadsIsOneFileInTimeOrder) {
  auto verdict = Run("stats-race.json", "--set duration_ms=800 --set lists=50", 0);
  std::ifstream in(dir_ / "run" / "history.jsonl");
  std::string line;
  std::int64_t previous_ns = -1, load_invokes = 0, processes = 0, out_of_order = 0;
  while (std::getline(in, line)) {
    auto record = nlohmann::json::parse(line);
    const auto time_ns = record["time_ns"].get<std::int64_t>();
    out_of_order += time_ns < previous_ns ? 1 : 0;
    previous_ns = time_ns;
    if (record["type"] == "process") ++processes;
    if (record["type"] == "invoke" && record["stream"] != "nemesis") ++load_invokes;
  }
  EXPECT_EQ(out_of_order, 0);
  EXPECT_GE(processes, 3);  // spawned, ready, stop requested, exited
  EXPECT_EQ(load_invokes, verdict["stats"]["ops"].get<std::int64_t>());
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "run")) {
    EXPECT_NE(entry.path().extension(), ".spill") << entry.path();
  }
}

TEST_F(TimelineScenariosTest, StatsRaceIsACrash) {
  auto verdict = RunUntilFailure("stats-race.json", "--set bug=stats-race", 3);
  ASSERT_FALSE(verdict["failures"].empty()) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["kind"], "crash");
}

TEST_F(TimelineScenariosTest, ASlicedUpstreamPassesThroughACorrectProxy) {
  auto verdict = Run("split-reply.json", "--set requests=100", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ok"], 10 * 100);
  EXPECT_GT(verdict["faults"]["sliced"]["bytes_downstream"].get<int>(), 10 * 100 * 10);
}

TEST_F(TimelineScenariosTest, SplitReplyIsAMismatchOnlyBehindTheSlicer) {
  auto verdict = Run("split-reply.json", "--set bug=split-reply --set requests=100", 1);
  EXPECT_EQ(Kinds(verdict), std::vector<std::string>{"mismatch"}) << verdict.dump(2);
  auto unsliced =
      Run("split-reply.json", "--set bug=split-reply --set requests=100 --set slicer=false", 0);
  EXPECT_EQ(unsliced["verdict"], "pass") << unsliced.dump(2);
  EXPECT_FALSE(unsliced["faults"]["sliced"]["enabled"].get<bool>());
}

// Restarts while paced load runs against Debian's redis-server: a reconnecting load carries
// on, and what fails while redis is down is not an error; without reconnecting, the load's
// lost connections are errors.
TEST_F(TimelineScenariosTest, AReconnectingLoadCarriesOnAcrossRestarts) {
  auto verdict = RunChecked(ScenarioPath("real/redis-restart.json"), "--set requests=200", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ops"], 20 * 200);
  EXPECT_EQ(verdict["timeline"]["downtime"]["count"], 3);
  EXPECT_GT(verdict["timeline"]["downtime"]["excused_failures"], 0) << verdict.dump(2);
  EXPECT_EQ(verdict["timeline"]["by_outcome"]["ok"], 4);
  const auto& last = verdict["timeline"]["actions"][3];
  EXPECT_EQ(last["action"], "ping after restarts");
  EXPECT_GE(last["at_ms"], verdict["timeline"]["actions"][2]["at_ms"].get<int>() +
                               verdict["timeline"]["actions"][2]["took_ms"].get<int>());
}

TEST_F(TimelineScenariosTest, WithoutReconnectTheLostConnectionsAreErrors) {
  auto verdict = RunChecked(ScenarioPath("real/redis-restart.json"),
                            "--set requests=200 --set reconnect=false", 1);
  EXPECT_EQ(Kinds(verdict), std::vector<std::string>{"errors"}) << verdict.dump(2);
  EXPECT_EQ(verdict["timeline"]["downtime"]["excused_failures"], 0);
}

// An open-loop load keeps its rate while the server is frozen, and the requests that fell due
// during the freeze count their wait: the corrected p90 holds the freeze, the uncorrected one
// (from each send) does not.
TEST_F(TimelineScenariosTest, AnOpenLoopLoadShowsTheWaitAClosedLoopWouldHide) {
  auto verdict = RunChecked(ScenarioPath("bench/open-loop-slow.json"),
                            "--set duration_ms=1500 --set freeze_at_ms=500 --set freeze_ms=300", 0);
  const auto& paced = verdict["stats"]["streams"]["paced"];
  EXPECT_EQ(paced["rate"]["asked"], 2000.0);
  EXPECT_NEAR(paced["rate"]["achieved"].get<double>(), 2000.0, 200.0) << paced.dump(2);
  EXPECT_GE(paced["latency_us"]["p90"].get<std::int64_t>(), 100'000) << paced.dump(2);
  EXPECT_LT(paced["latency_uncorrected_us"]["p90"].get<std::int64_t>(), 50'000) << paced.dump(2);
}

}  // namespace
}  // namespace stampede
