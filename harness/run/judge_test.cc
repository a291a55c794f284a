#include "run/judge.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Failure Unanswered() {
  return {FailureKind::kHang, "", "3 requests were never answered", {{"phase", "serving"}}};
}

TEST(JudgeTest, AnAttemptThatTimedOutIsAWorkloadHangWithItsSignature) {
  Scenario scenario;
  scenario.timeout_ms = 1500;
  HistoryPassResult pass;
  auto failures = JudgeFailures(scenario, History{}, pass, {.timed_out = true});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kHang);
  EXPECT_EQ(failures[0].summary, "the run did not finish within timeout_ms (1500 ms)");
  EXPECT_EQ(failures[0].evidence["phase"], "workload");
  EXPECT_EQ(failures[0].signature, "hang: workload");
  EXPECT_TRUE(JudgeFailures(scenario, History{}, pass, {}).empty());
}

// Unanswered requests are a failure of their own only when nothing else explains them: a stall
// seen live already says why nothing came back, and an aborted attempt was cut short on purpose.
TEST(JudgeTest, UnansweredRequestsCountUnlessAStallOrAnAbortExplainsThem) {
  const Scenario scenario;
  for (const AttemptEnd end :
       {AttemptEnd{}, AttemptEnd{.stalled_live = true}, AttemptEnd{.aborted = true}}) {
    HistoryPassResult pass;
    pass.unanswered = Unanswered();
    pass.mismatch = Failure{FailureKind::kMismatch, "", "1 reply differs", {{"count", 1}}};
    auto failures = JudgeFailures(scenario, History{}, pass, end);
    const bool explained = end.stalled_live || end.aborted;
    ASSERT_EQ(failures.size(), explained ? 1u : 2u);
    EXPECT_EQ(failures[0].kind, FailureKind::kMismatch);
    EXPECT_EQ(failures[0].signature, "mismatch");
  }
}

TEST(JudgeTest, WorkloadFiguresGoToTheTopOrToTheirStream) {
  nlohmann::json stats = {{"ok", 3}, {"streams", {{"storm", {{"ok", 2}}}}}};
  MergeWorkloadFigures(stats, {{"", {{"storm", {{"probes", 4}}}}},
                               {"storm", {{"storm", {{"probes", 2}}}}},
                               {"nowhere", {{"storm", {{"probes", 9}}}}}});
  EXPECT_EQ(stats["storm"]["probes"], 4);
  EXPECT_EQ(stats["streams"]["storm"]["storm"]["probes"], 2);
  EXPECT_EQ(stats["streams"]["storm"]["ok"], 2);
  EXPECT_FALSE(stats["streams"].contains("nowhere"));
}

}  // namespace
}  // namespace stampede
