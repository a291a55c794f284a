#include "checkers/target_times.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

ProcessEvent Event(ProcessAction action, double at_ms, int pid, bool killed = false) {
  ProcessEvent event;
  event.action = action;
  event.time_ns = static_cast<std::int64_t>(at_ms * 1e6);
  event.target = "server";
  event.pid = pid;
  event.killed_by_harness = killed;
  return event;
}

std::vector<TargetSpec> Server() {
  TargetSpec spec;
  spec.name = "server";
  spec.ready.deadline_ms = 1000;
  spec.stop.deadline_ms = 8000;
  return {spec};
}

// Three starts and stops, as a start-stop run's cycles record them; each figure pairs the events
// of one process.
TEST(TargetTimesTest, PairsEachProcessStartWithItsReadyAndEachStopWithItsExit) {
  std::vector<ProcessEvent> events;
  const double ready_after[] = {10, 30, 20};
  const double stop_after[] = {5050, 100, 200};
  for (int i = 0; i < 3; ++i) {
    const double t0 = 10000.0 * i;
    const int pid = 100 + i;
    events.push_back(Event(ProcessAction::kSpawned, t0, pid));
    events.push_back(Event(ProcessAction::kReady, t0 + ready_after[i], pid));
    events.push_back(Event(ProcessAction::kStopRequested, t0 + 500, pid));
    events.push_back(Event(ProcessAction::kExited, t0 + 500 + stop_after[i], pid));
  }
  auto summary = SummarizeTargetTimes(events, Server());
  const auto& server = summary["server"];
  EXPECT_EQ(server["starts"], 3);
  EXPECT_EQ(server["stops_missed"], 0);
  EXPECT_EQ(server["ready_ms"]["count"], 3);
  EXPECT_DOUBLE_EQ(server["ready_ms"]["min"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(server["ready_ms"]["median"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(server["ready_ms"]["max"].get<double>(), 30);
  EXPECT_EQ(server["ready_ms"]["deadline_ms"], 1000);
  EXPECT_DOUBLE_EQ(server["ready_ms"]["margin_ms"].get<double>(), 970);
  EXPECT_DOUBLE_EQ(server["stop_ms"]["min"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(server["stop_ms"]["median"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(server["stop_ms"]["max"].get<double>(), 5050);
  EXPECT_DOUBLE_EQ(server["stop_ms"]["margin_ms"].get<double>(), 2950) << "8000 - 5050";
}

TEST(TargetTimesTest, AStopKilledAtTheDeadlineIsMissedNotTimed) {
  std::vector<ProcessEvent> events = {
      Event(ProcessAction::kSpawned, 0, 7), Event(ProcessAction::kReady, 4, 7),
      Event(ProcessAction::kStopRequested, 100, 7), Event(ProcessAction::kStopTimeout, 8100, 7),
      Event(ProcessAction::kExited, 8200, 7, true)};
  auto summary = SummarizeTargetTimes(events, Server());
  EXPECT_EQ(summary["server"]["stops_missed"], 1);
  EXPECT_FALSE(summary["server"].contains("stop_ms"));
  EXPECT_EQ(summary["server"]["ready_ms"]["count"], 1);
}

TEST(TargetTimesTest, AnExitWithoutAStopRequestAndANeverReadyStartAreNotTimed) {
  std::vector<ProcessEvent> events = {
      Event(ProcessAction::kSpawned, 0, 7), Event(ProcessAction::kExited, 50, 7),
      Event(ProcessAction::kSpawned, 60, 8), Event(ProcessAction::kNotReady, 1060, 8)};
  auto summary = SummarizeTargetTimes(events, Server());
  EXPECT_EQ(summary["server"]["starts"], 2);
  EXPECT_FALSE(summary["server"].contains("ready_ms"));
  EXPECT_FALSE(summary["server"].contains("stop_ms"));
  EXPECT_TRUE(SummarizeTargetTimes({}, Server()).empty()) << "a target never started is left out";
}

// With an even number of samples the median is the mean of the middle two.
TEST(TargetTimesTest, TheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  std::vector<ProcessEvent> events;
  for (int i = 0; i < 4; ++i) {
    events.push_back(Event(ProcessAction::kSpawned, 1000.0 * i, i + 1));
    events.push_back(Event(ProcessAction::kReady, 1000.0 * i + 10 * (i + 1), i + 1));
  }
  auto summary = SummarizeTargetTimes(events, Server());
  EXPECT_DOUBLE_EQ(summary["server"]["ready_ms"]["median"].get<double>(), 25);
}

}  // namespace
}  // namespace stampede
