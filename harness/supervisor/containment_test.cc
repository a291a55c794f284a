#include "supervisor/containment.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "supervisor/child_process.h"

namespace stampede {
namespace {

// Starts `sh -c SCRIPT` as a target of run `mark` would be started.
std::unique_ptr<ChildProcess> StartMarked(const std::string& mark, const std::string& script) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", script};
  spec.env[kRunMarkVariable] = RunMarkValue(mark, "server");
  auto child = ChildProcess::Start(spec);
  EXPECT_TRUE(child.ok()) << child.error().message;
  return std::move(child.value());
}

// Waits until the strays are sleeps (setsid has run and exec'd sleep).
std::vector<StrayProcess> WaitForStrays(const std::string& mark, const std::vector<int>& groups) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    auto strays = FindStrays(mark, groups);
    const bool settled = !strays.empty() && std::all_of(strays.begin(), strays.end(), [](auto& s) {
      return s.command == "sleep 60";
    });
    if (settled || std::chrono::steady_clock::now() > deadline) return strays;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(ContainmentTest, ADaemonOutsideTheTargetsGroupIsAStrayAndSweptDead) {
  const std::string mark = NewRunMark();
  auto child = StartMarked(mark, "setsid sleep 60 & exec sleep 60");
  auto strays = WaitForStrays(mark, {child->pid()});
  ASSERT_EQ(strays.size(), 1u);
  EXPECT_EQ(strays[0].command, "sleep 60");
  EXPECT_EQ(strays[0].target, "server");
  EXPECT_EQ(kill(strays[0].pid, 0), 0) << "alive until swept";

  auto killed = SweepStrays(mark, {child->pid()});
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].pid, strays[0].pid);
  EXPECT_TRUE(FindStrays(mark, {child->pid()}).empty()) << "dead (a zombie of its parent)";
  EXPECT_FALSE(child->Poll()) << "the target's own group is left to its owner";
}

TEST(ContainmentTest, MembersOfAKnownGroupAndOtherRunsAreNotStrays) {
  const std::string mark = NewRunMark();
  auto child = StartMarked(mark, "sleep 60 & exec sleep 60");
  const std::string other_mark = NewRunMark();
  auto other = StartMarked(other_mark, "setsid sleep 60 & exec sleep 60");
  EXPECT_EQ(WaitForStrays(other_mark, {other->pid()}).size(), 1u);
  EXPECT_TRUE(FindStrays(mark, {child->pid()}).empty());
  EXPECT_EQ(FindStrays(mark, {}).size(), 2u) << "without the group known: both sleeps";
  EXPECT_EQ(SweepStrays(other_mark, {other->pid()}).size(), 1u);
}

TEST(ContainmentTest, DescribeContainmentListsTheKilledStrays) {
  ProcessEvent stray;
  stray.action = ProcessAction::kStrayKilled;
  stray.target = "server";
  stray.pid = 42;
  stray.evidence = {{"command", "sleep 77"}};
  ProcessEvent exited;
  exited.action = ProcessAction::kExited;
  auto described =
      DescribeContainment({ContainmentKind::kSubreaper, "no namespace"}, {exited, stray});
  EXPECT_EQ(described["kind"], "subreaper");
  EXPECT_EQ(described["note"], "no namespace");
  ASSERT_EQ(described["strays_killed"].size(), 1u);
  EXPECT_EQ(described["strays_killed"][0]["command"], "sleep 77");
  EXPECT_EQ(described["strays_killed"][0]["pid"], 42);
  EXPECT_FALSE(DescribeContainment({ContainmentKind::kPidNamespace, ""}, {}).contains("note"));
}

}  // namespace
}  // namespace stampede
