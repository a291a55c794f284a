// The hostile target's fixtures (tests/fixtures/hostile/) run through the stampede binary: each
// hostile behaviour gets the verdict it deserves, the harness neither crashes nor hangs, and
// nothing a run started is left alive.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede::cli_test {
namespace {

class HostileTest : public CliTest {
 protected:
  // Runs fixture NAME (or the scenario text `json`, when given) and checks its exit code, its
  // verdict against the schema and that no spawned process is left.
  nlohmann::json RunHostile(const std::string& name, int expected_exit,
                            const nlohmann::json& edit = nullptr) {
    std::string file =
        std::string(STAMPEDE_SOURCE_DIR) + "/tests/fixtures/hostile/" + name + ".json";
    if (!edit.is_null()) {
      auto scenario = nlohmann::json::parse(ReadText(file));
      scenario.merge_patch(edit);
      file = (dir_ / (name + ".json")).string();
      std::ofstream(file) << scenario.dump();
    }
    return RunChecked(file, "--targets-dir " + std::string(STAMPEDE_BINARY_DIR) + "/targets",
                      expected_exit);
  }

  static std::vector<std::string> Kinds(const nlohmann::json& verdict) {
    std::vector<std::string> kinds;
    for (const auto& failure : verdict["failures"]) kinds.push_back(failure["kind"]);
    return kinds;
  }
};

TEST_F(HostileTest, TheEchoControlPasses) {
  auto verdict = RunHostile("echo", 0);
  EXPECT_EQ(verdict["containment"]["kind"], "pid-namespace");
  EXPECT_TRUE(verdict["containment"]["strays_killed"].empty());
}

TEST_F(HostileTest, AServerThatNeverAnswersIsAHangNotAPass) {
  auto verdict = RunHostile("accept-never-read", 1);
  ASSERT_EQ(Kinds(verdict), std::vector<std::string>{"hang"});
  EXPECT_TRUE(verdict["failures"][0]["evidence"]["never_answered"].get<bool>());
}

// With replies slower than stall_ms the run ends on the live stall, with evidence taken from
// the stuck target and the requests really outstanding.
TEST_F(HostileTest, ALiveStallEndsTheRunWithEvidenceFromTheStuckTarget) {
  auto verdict = RunHostile("accept-never-read", 1,
                            {{"workload", {{"timeout_ms", 30000}, {"connections", 20}}},
                             {"checks", {{"stall_ms", 1000}}}});
  ASSERT_EQ(Kinds(verdict), std::vector<std::string>{"hang"}) << verdict.dump(2);
  const auto& evidence = verdict["failures"][0]["evidence"];
  EXPECT_EQ(evidence["outstanding"], 20);
  EXPECT_GE(evidence["stalled_ms"].get<int>(), 1000);
  EXPECT_LE(evidence["stalled_ms"].get<int>(), 1100) << "seen within stall_ms + 100 ms";
  EXPECT_TRUE(evidence["backtraces"].contains("text")) << evidence["backtraces"].dump();
  EXPECT_LT(verdict["duration_ms"].get<int>(), 15000) << "not the run's own timeout";
}

TEST_F(HostileTest, AServerThatClosesAtOnceIsErrors) {
  EXPECT_EQ(Kinds(RunHostile("close-immediately", 1)), std::vector<std::string>{"errors"});
}

TEST_F(HostileTest, GarbageRepliesFailTheRunWithoutHurtingTheHarness) {
  auto kinds = Kinds(RunHostile("garbage", 1));
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "mismatch"), kinds.end());
}

TEST_F(HostileTest, AServerThatIsNeverReadyIsAnError) {
  auto verdict = RunHostile("never-ready", 3);
  EXPECT_EQ(verdict["verdict"], "error");
}

TEST_F(HostileTest, AFloodOfStderrIsCappedKeepingItsEnd) {
  auto verdict = RunHostile("stderr-flood", 0);
  const auto log = dir_ / "run" / "server.stderr";
  EXPECT_LE(std::filesystem::file_size(log), 8u << 20);
  const std::string text = ReadText(log);
  EXPECT_NE(text.find("bytes cut here, the last 1048576 follow]"), std::string::npos);
  EXPECT_NE(text.find("stderr-flood line 0000781249"), std::string::npos) << "its last line";
}

TEST_F(HostileTest, ADaemonThatKeepsTheListeningSocketIsAHangAndIsKilled) {
  auto verdict = RunHostile("daemon-keeps-socket", 1);
  ASSERT_EQ(Kinds(verdict), std::vector<std::string>{"hang"});
  EXPECT_EQ(verdict["failures"][0]["evidence"]["phase"], "shutdown");
  ASSERT_EQ(verdict["containment"]["strays_killed"].size(), 1u);
  const int pid = verdict["containment"]["strays_killed"][0]["pid"];
  EXPECT_NE(kill(pid, 0), 0) << "the daemon " << pid << " is gone";
}

TEST_F(HostileTest, ADaemonOutsideTheGroupOfAPassingRunIsKilled) {
  auto verdict = RunHostile("sh-setsid-sleep", 0);
  ASSERT_EQ(verdict["containment"]["strays_killed"].size(), 1u);
  EXPECT_EQ(verdict["containment"]["strays_killed"][0]["command"], "sleep 77");
  EXPECT_NE(kill(verdict["containment"]["strays_killed"][0]["pid"].get<int>(), 0), 0);
}

// The daemon's parent exits 0 at once: an unexpected exit (no signal, no crash title).
TEST_F(HostileTest, ADoubleForkDaemonIsAnExitInStartupAndIsKilled) {
  auto verdict = RunHostile("daemon", 1);
  EXPECT_EQ(Kinds(verdict), std::vector<std::string>{"exit"});
  EXPECT_EQ(verdict["containment"]["strays_killed"].size(), 1u);
}

}  // namespace
}  // namespace stampede::cli_test
