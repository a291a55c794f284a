#include "perturb/freezer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "supervisor/child_process.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

// The state letter of /proc/PID/stat: 'T' while stopped by a signal.
char StateOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(") ");
  return paren == std::string::npos ? '?' : text[paren + 2];
}

std::unique_ptr<ChildProcess> StartSleeper() {
  LaunchSpec spec;
  spec.argv = {"sleep", "30"};
  auto child = ChildProcess::Start(spec);
  EXPECT_TRUE(child.ok());
  return child.ok() ? std::move(child.value()) : nullptr;
}

// Polls until `predicate` holds or `limit` passes.
template <typename Predicate>
bool Eventually(Predicate predicate, milliseconds limit = milliseconds(5000)) {
  const auto until = MonoClock::now() + limit;
  while (MonoClock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return predicate();
}

TEST(FreezerTest, AQuotaStopsTheGroupPartOfEachPeriodAndLetsItRunTheRest) {
  auto sleeper = StartSleeper();
  ASSERT_TRUE(sleeper);
  HistoryWriter writer;
  Freezer freezer({0, 5, 30, 1}, writer, MonotonicNanos());
  freezer.Started("sleeper", sleeper->pid());
  EXPECT_TRUE(Eventually([&] { return StateOf(sleeper->pid()) == 'T'; }));
  EXPECT_TRUE(Eventually([&] { return StateOf(sleeper->pid()) != 'T'; }));
  EXPECT_TRUE(Eventually([&] { return StateOf(sleeper->pid()) == 'T'; }));
  freezer.Stop();
  EXPECT_NE(StateOf(sleeper->pid()), 'T') << "Stop continues every group";
  EXPECT_GT(freezer.Describe()["throttled_ms"].get<int>(), 0);
  const auto ops = freezer.TakeOps();
  ASSERT_EQ(ops.size(), 2u) << "the quota is one operation from start to stop";
  EXPECT_EQ(ops[0].f, "throttle targets to 30% of every 20 ms");
  EXPECT_EQ(ops[0].client, kPerturbationClient);
  EXPECT_EQ(ops[0].stream, kNemesisStream);
  EXPECT_EQ(ops[1].type, OpType::kOk);
}

TEST(FreezerTest, AReleasedGroupRunsAtOnceAndIsNeverStoppedAgain) {
  auto sleeper = StartSleeper();
  ASSERT_TRUE(sleeper);
  HistoryWriter writer;
  Freezer freezer({0, 5, 5, 1}, writer, MonotonicNanos());  // stopped 95% of the time
  freezer.Started("sleeper", sleeper->pid());
  ASSERT_TRUE(Eventually([&] { return StateOf(sleeper->pid()) == 'T'; }));
  freezer.Released(sleeper->pid());
  EXPECT_NE(StateOf(sleeper->pid()), 'T');
  for (int i = 0; i < 100; ++i) {  // five quota periods
    std::this_thread::sleep_for(milliseconds(1));
    ASSERT_NE(StateOf(sleeper->pid()), 'T') << "stopped again after its release";
  }
}

TEST(FreezerTest, RandomFreezesAreRecordedAsInvokeOkPairsNamingTheTargets) {
  auto sleeper = StartSleeper();
  ASSERT_TRUE(sleeper);
  HistoryWriter writer;
  Freezer freezer({500, 1, 100, 7}, writer, MonotonicNanos());
  freezer.Started("sleeper", sleeper->pid());
  EXPECT_TRUE(Eventually([&] { return freezer.Describe()["freezes"].get<int>() >= 5; }));
  freezer.Stop();
  EXPECT_NE(StateOf(sleeper->pid()), 'T');
  const auto described = freezer.Describe();
  const auto ops = freezer.TakeOps();
  ASSERT_EQ(ops.size(), 2 * described["freezes"].get<std::size_t>());
  for (std::size_t i = 0; i < ops.size(); i += 2) {
    EXPECT_EQ(ops[i].type, OpType::kInvoke);
    EXPECT_EQ(ops[i].f, "freeze sleeper for 1 ms");
    EXPECT_EQ(ops[i + 1].type, OpType::kOk);
    EXPECT_EQ(ops[i + 1].seq, ops[i].seq);
    EXPECT_GE(ops[i + 1].time_ns, ops[i].time_ns);
  }
  EXPECT_GE(described["frozen_ms"].get<int>(), 0);
}

TEST(FreezerTest, NothingIsFrozenOrRecordedWithoutAGroup) {
  HistoryWriter writer;
  Freezer freezer({1000, 1, 100, 3}, writer, MonotonicNanos());
  std::this_thread::sleep_for(milliseconds(50));
  freezer.Stop();
  EXPECT_EQ(freezer.Describe()["freezes"], 0);
  EXPECT_TRUE(freezer.TakeOps().empty());
}

}  // namespace
}  // namespace stampede
