#include "checkers/cycles.h"

#include <gtest/gtest.h>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

Operation CycleOp(OpType type, std::int64_t ms, int cycle, std::string error = "") {
  Operation op = Op(type, ms, kCycleClient, cycle);
  op.f = kCycleF;
  op.error = std::move(error);
  return op;
}

TEST(SummarizeCyclesTest, CountsPassedAndFailedCyclesAndTheRate) {
  std::vector<Operation> ops = {
      CycleOp(OpType::kInvoke, 0, 1),   CycleOp(OpType::kOk, 100, 1),
      CycleOp(OpType::kInvoke, 100, 2), CycleOp(OpType::kFail, 200, 2, "server ..."),
      CycleOp(OpType::kInvoke, 200, 3), CycleOp(OpType::kOk, 300, 3),
      CycleOp(OpType::kInvoke, 300, 4), CycleOp(OpType::kFail, 400, 4, "server ..."),
      CycleOp(OpType::kInvoke, 400, 5), CycleOp(OpType::kInfo, 500, 5, "stopped"),
  };
  auto summary = SummarizeCycles(ops, 50);
  EXPECT_EQ(summary["planned"], 50);
  EXPECT_EQ(summary["run"], 5);
  EXPECT_EQ(summary["passed"], 2);
  EXPECT_EQ(summary["failed"], 2);
  EXPECT_EQ(summary["first_failed"], 2);
  EXPECT_EQ(summary["failed_cycles"], nlohmann::json({2, 4}));
  EXPECT_DOUBLE_EQ(summary["cycles_per_s"].get<double>(), 10.0);
}

TEST(SummarizeCyclesTest, NoCycleNoRate) {
  auto summary = SummarizeCycles({}, 3);
  EXPECT_EQ(summary["run"], 0);
  EXPECT_TRUE(summary["first_failed"].is_null());
  EXPECT_EQ(summary["cycles_per_s"], 0.0);
}

TEST(TakeCycleOpsTest, SeparatesCyclesFromTheLoad) {
  History history;
  history.ops = {CycleOp(OpType::kInvoke, 0, 1), Invoke(1, 1, 1), Ok(2, 1, 1),
                 CycleOp(OpType::kOk, 3, 1)};
  auto cycles = TakeCycleOps(history);
  EXPECT_EQ(cycles.size(), 2u);
  ASSERT_EQ(history.ops.size(), 2u);
  EXPECT_EQ(history.ops[0].client, 1);
}

TEST(CycleProblemTest, ACleanCycleHasNone) {
  std::vector<ProcessEvent> events = {Event(ProcessAction::kSpawned, 0, Phase::kStartup),
                                      Event(ProcessAction::kReady, 1, Phase::kRunning),
                                      Event(ProcessAction::kStopRequested, 2, Phase::kShutdown),
                                      Exited(3, Phase::kShutdown, ExitCode(0), true)};
  EXPECT_EQ(CycleProblem(events), std::nullopt);
}

TEST(CycleProblemTest, NamesTheFirstProblem) {
  ProcessEvent timeout = Event(ProcessAction::kStopTimeout, 5, Phase::kShutdown);
  timeout.detail = "server did not stop within 500 ms";
  ProcessEvent killed = Exited(6, Phase::kShutdown, KilledBy(9), false, true);
  EXPECT_EQ(CycleProblem({timeout, killed}), "server did not stop within 500 ms");

  ProcessEvent crash = Exited(6, Phase::kShutdown, ExitCode(3));
  crash.detail = "server exited with code 3";
  EXPECT_EQ(CycleProblem({crash}), "server exited with code 3");

  ProcessEvent held = Event(ProcessAction::kPortHeld, 7, Phase::kShutdown);
  EXPECT_EQ(CycleProblem({held}), "port_held") << "the action when there is no detail";
}

}  // namespace
}  // namespace stampede
