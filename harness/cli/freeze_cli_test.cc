// Random freezes and a CPU quota of the targets (perturb/freezer.h) in whole runs: a correct
// server under freezes still passes, every freeze is in the history and counted in the verdict,
// and nothing is left stopped or running afterwards.
#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class FreezeCliTest : public CliTest {};

TEST_F(FreezeCliTest, FrozenTargetsStillPassAndEveryFreezeIsRecorded) {
  auto verdict = RunChecked(ScenarioPath("lab/pingpong-direct.json"),
                            "--set connections=4 --set requests=2000 --perturb freezes_per_s=200 "
                            "--perturb freeze_ms=2 --seed 5",
                            0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  const auto& perturbation = verdict["perturbation"];
  EXPECT_EQ(perturbation["freezes_per_s"], 200);
  const int freezes = perturbation["freezes"].get<int>();
  EXPECT_GT(freezes, 0) << perturbation.dump();
  EXPECT_FALSE(verdict.contains("timeline")) << "freezes are not actions of the timeline";
  auto history = LoadHistory(dir_ / "run" / "history.jsonl");
  ASSERT_TRUE(history.ok()) << history.error().message;
  int invokes = 0;
  for (const auto& op : history.value().ops) {
    if (op.client == kPerturbationClient && op.type == OpType::kInvoke) {
      ++invokes;
      EXPECT_EQ(op.f, "freeze server for 2 ms");
    }
  }
  EXPECT_EQ(invokes, std::min(freezes, 1000));
}

TEST_F(FreezeCliTest, AStartStopRunUnderAQuotaStopsEveryCycleCleanly) {
  auto verdict = RunChecked(ScenarioPath("lab/start-stop.json"),
                            "--set cycles=5 --perturb cpu_quota_percent=50", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["cycles"]["passed"], 5);
  EXPECT_GT(verdict["perturbation"]["throttled_ms"].get<int>(), 0) << verdict.dump(2);
}

}  // namespace
}  // namespace stampede
