#include "checkers/hang_checker.h"

#include <gtest/gtest.h>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

HangOptions StallAfter(std::int64_t ms) {
  return HangOptions{ms};
}

// Two clients doing quick request/reply rounds every 100 ms for a second.
History Steady() {
  History history;
  for (int round = 0; round < 10; ++round) {
    history.ops.push_back(Invoke(round * 100, 1, round));
    history.ops.push_back(Invoke(round * 100 + 1, 2, round));
    history.ops.push_back(Ok(round * 100 + 5, 2, round));
    history.ops.push_back(Ok(round * 100 + 6, 1, round));
  }
  return history;
}

TEST(HangCheckerTest, SteadyHistoryHasNoHang) {
  EXPECT_TRUE(CheckHangs(Steady(), StallAfter(50)).empty());
}

TEST(HangCheckerTest, EmptyHistoryHasNoHang) {
  EXPECT_TRUE(CheckHangs(History{}, StallAfter(1)).empty());
}

TEST(HangCheckerTest, StopTimeoutIsHangInShutdown) {
  History history;
  ProcessEvent timeout = Event(ProcessAction::kStopTimeout, 5500, Phase::kShutdown);
  timeout.evidence = {{"deadline_ms", 5000},
                      {"backtraces", "Thread 1 ... pthread_cond_wait"},
                      {"sockets", "ESTAB 127.0.0.1:8080"},
                      {"log_tail", "waiting for connections"}};
  history.processes = {Event(ProcessAction::kStopRequested, 500, Phase::kShutdown), timeout};

  auto failures = CheckHangs(history, HangOptions{});

  ASSERT_EQ(failures.size(), 1u);
  const Failure& failure = failures[0];
  EXPECT_EQ(failure.kind, FailureKind::kHang);
  EXPECT_EQ(failure.target, "server");
  EXPECT_EQ(failure.summary, "server did not stop within 5000 ms (pid 123)");
  EXPECT_EQ(failure.evidence["phase"], "shutdown");
  EXPECT_EQ(failure.evidence["deadline_ms"], 5000);
  EXPECT_EQ(failure.evidence["backtraces"], "Thread 1 ... pthread_cond_wait");
  EXPECT_EQ(failure.evidence["sockets"], "ESTAB 127.0.0.1:8080");
  EXPECT_EQ(failure.evidence["log_tail"], "waiting for connections");
  EXPECT_EQ(failure.evidence["time_ms"], 5500);
}

TEST(HangCheckerTest, StopTimeoutWithoutDeadlineStillReported) {
  History history;
  history.processes = {Event(ProcessAction::kStopTimeout, 10, Phase::kShutdown, "proxy", 9)};

  auto failures = CheckHangs(history, HangOptions{});

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].target, "proxy");
  EXPECT_EQ(failures[0].summary, "proxy did not stop before its deadline (pid 9)");
}

TEST(HangCheckerTest, EveryStopTimeoutIsReported) {
  History history;
  history.processes = {Event(ProcessAction::kStopTimeout, 10, Phase::kShutdown),
                       Event(ProcessAction::kStopTimeout, 20, Phase::kShutdown)};
  EXPECT_EQ(CheckHangs(history, HangOptions{}).size(), 2u);
}

TEST(HangCheckerTest, StallDetectionDisabledByDefault) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(60'000, 1, 1)};
  EXPECT_TRUE(CheckHangs(history, HangOptions{}).empty());
}

TEST(HangCheckerTest, StallExactlyAtThresholdIsReported) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(10, 1, 1), Invoke(20, 1, 2), Ok(5020, 1, 2)};

  auto failures = CheckHangs(history, StallAfter(5000));

  ASSERT_EQ(failures.size(), 1u);
  const Failure& failure = failures[0];
  EXPECT_EQ(failure.kind, FailureKind::kHang);
  EXPECT_EQ(failure.target, "");
  EXPECT_EQ(failure.summary,
            "no operation completed for 5000 ms while 1 was outstanding (from 20 ms)");
  EXPECT_EQ(failure.evidence["phase"], "serving");
  EXPECT_EQ(failure.evidence["stalled_ms"], 5000);
  EXPECT_EQ(failure.evidence["from_ms"], 20);
  EXPECT_EQ(failure.evidence["to_ms"], 5020);
  EXPECT_EQ(failure.evidence["ended_by"], "completion");
  EXPECT_EQ(failure.evidence["outstanding"], 1);
  EXPECT_EQ(failure.evidence["first_outstanding"],
            nlohmann::json::parse(R"([{"client":1,"seq":2,"f":"GET /echo"}])"));
}

TEST(HangCheckerTest, StallJustBelowThresholdIsNotReported) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(10, 1, 1), Invoke(20, 1, 2), Ok(5019, 1, 2)};
  EXPECT_TRUE(CheckHangs(history, StallAfter(5000)).empty());
}

TEST(HangCheckerTest, StallStartsAtLastProgressWhenOlderOpIsOutstanding) {
  History history;
  history.ops = {Invoke(0, 1, 1), Invoke(50, 2, 1), Ok(100, 2, 1), Ok(3100, 1, 1)};

  auto failures = CheckHangs(history, StallAfter(3000));

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence["from_ms"], 100);
  EXPECT_EQ(failures[0].evidence["stalled_ms"], 3000);
  EXPECT_EQ(failures[0].evidence["outstanding"], 1);
}

TEST(HangCheckerTest, OtherClientsProgressPreventsStall) {
  History history;
  history.ops.push_back(Invoke(0, 1, 1));
  for (int i = 0; i < 10; ++i) {
    history.ops.push_back(Invoke(i * 1000 + 1, 2, i));
    history.ops.push_back(Ok(i * 1000 + 2, 2, i));
  }
  history.ops.push_back(Ok(10'000, 1, 1));
  EXPECT_TRUE(CheckHangs(history, StallAfter(5000)).empty());
}

TEST(HangCheckerTest, IdleGapWithoutOutstandingOpsIsNotStall) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(10, 1, 1), Invoke(60'000, 1, 2), Ok(60'010, 1, 2)};
  EXPECT_TRUE(CheckHangs(history, StallAfter(1000)).empty());
}

TEST(HangCheckerTest, InfoAndFailCompletionsAreProgress) {
  History history;
  history.ops = {Invoke(0, 1, 1),           Info(900, 1, 1, "timeout"), Invoke(900, 1, 2),
                 Fail(1800, 1, 2, "reset"), Invoke(1800, 1, 3),         Ok(2700, 1, 3)};
  EXPECT_TRUE(CheckHangs(history, StallAfter(1000)).empty());
}

TEST(HangCheckerTest, NeverCompletedOpStallsUntilEndOfHistory) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(10, 1, 1), Invoke(1000, 1, 2)};
  history.processes = {Event(ProcessAction::kStopRequested, 6000, Phase::kShutdown),
                       Exited(7000, Phase::kShutdown, ExitCode(0), /*clean=*/true)};

  auto failures = CheckHangs(history, StallAfter(5000));

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence["from_ms"], 1000);
  EXPECT_EQ(failures[0].evidence["to_ms"], 7000);
  EXPECT_EQ(failures[0].evidence["stalled_ms"], 6000);
  EXPECT_EQ(failures[0].evidence["ended_by"], "end_of_history");
  EXPECT_EQ(failures[0].summary,
            "no operation completed for 6000 ms while 1 was outstanding (from 1000 ms to the end "
            "of the history)");
}

TEST(HangCheckerTest, NeverCompletedOpShorterThanThresholdIsNotStall) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(10, 1, 1), Invoke(1000, 1, 2), Invoke(1500, 2, 1)};
  EXPECT_TRUE(CheckHangs(history, StallAfter(5000)).empty());
}

TEST(HangCheckerTest, OnlyFirstStallIsReported) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(2000, 1, 1), Invoke(3000, 1, 2), Ok(6000, 1, 2),
                 Invoke(7000, 1, 3)};

  auto failures = CheckHangs(history, StallAfter(1000));

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence["from_ms"], 0);
  EXPECT_EQ(failures[0].evidence["to_ms"], 2000);
}

TEST(HangCheckerTest, OutstandingCountsOpsAtStallStartAndListsOldestTen) {
  History history;
  for (int client = 0; client < 12; ++client) history.ops.push_back(Invoke(client, client, 1));
  history.ops.push_back(Ok(11, 11, 1));        // last progress at 11 ms
  history.ops.push_back(Invoke(3000, 99, 1));  // joins during the stall: not counted
  history.ops.push_back(Ok(6011, 0, 1));

  auto failures = CheckHangs(history, StallAfter(5000));

  ASSERT_EQ(failures.size(), 1u);
  const auto& evidence = failures[0].evidence;
  EXPECT_EQ(evidence["from_ms"], 11);
  EXPECT_EQ(evidence["outstanding"], 11);
  ASSERT_EQ(evidence["first_outstanding"].size(), 10u);
  EXPECT_EQ(evidence["first_outstanding"][0]["client"], 0);
  EXPECT_EQ(evidence["first_outstanding"][9]["client"], 9);
}

TEST(HangCheckerTest, CompletionWithoutInvokeIsNotProgress) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(3000, 2, 9), Ok(6000, 1, 1)};

  auto failures = CheckHangs(history, StallAfter(5000));

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence["from_ms"], 0);
  EXPECT_EQ(failures[0].evidence["stalled_ms"], 6000);
}

TEST(HangCheckerTest, StopTimeoutAndStallAreBothReported) {
  History history;
  history.ops = {Invoke(0, 1, 1)};
  history.processes = {Event(ProcessAction::kStopTimeout, 9000, Phase::kShutdown)};

  auto failures = CheckHangs(history, StallAfter(5000));

  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].evidence["phase"], "shutdown");
  EXPECT_EQ(failures[1].evidence["phase"], "serving");
  EXPECT_EQ(failures[1].evidence["stalled_ms"], 9000);
}

}  // namespace
}  // namespace stampede

namespace stampede {
namespace {

using namespace history_test;

TEST(HangCheckerCycleTest, AStopTimeoutNamesItsCycle) {
  History history;
  ProcessEvent timeout = Event(ProcessAction::kStopTimeout, 5500, Phase::kShutdown);
  timeout.evidence = {{"deadline_ms", 3000}, {"backtraces", {{"unavailable", "no gdb"}}}};
  timeout.cycle = 7;
  history.processes = {timeout};
  auto failures = CheckHangs(history, HangOptions{});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].summary, "server did not stop within 3000 ms in cycle 7 (pid 123)");
  EXPECT_EQ(failures[0].evidence["cycle"], 7);
}

TEST(HangCheckerCycleTest, APortLeftListeningIsAShutdownHangNamingItsHolders) {
  History history;
  ProcessEvent held = Event(ProcessAction::kPortHeld, 900, Phase::kShutdown);
  held.cycle = 3;
  held.evidence = {
      {"port", 8080},
      {"grace_ms", 1000},
      {"listeners",
       {{{"local", "127.0.0.1:8080"}, {"holders", {{{"pid", 124}, {"fd", 3}, {"comm", "srv"}}}}}}}};
  history.processes = {Exited(800, Phase::kShutdown, ExitCode(0), true), held};
  auto failures = CheckHangs(history, HangOptions{});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kHang);
  EXPECT_EQ(failures[0].summary,
            "server exited in cycle 3, but port 8080 was still listening 1000 ms later, held by "
            "pid 124 (srv)");
  EXPECT_EQ(failures[0].evidence["phase"], "shutdown");
  EXPECT_EQ(failures[0].evidence["listeners"][0]["local"], "127.0.0.1:8080");
}

TEST(HangCheckerCycleTest, NotReadyAgainAfterAnEarlierStartIsAStartupHang) {
  History history;
  ProcessEvent ready = Event(ProcessAction::kReady, 10, Phase::kRunning);
  ready.cycle = 1;
  ProcessEvent not_ready = Event(ProcessAction::kNotReady, 20000, Phase::kStartup);
  not_ready.cycle = 2;
  not_ready.detail = "server was not ready within 10000 ms";
  history.processes = {ready, not_ready};
  auto failures = CheckHangs(history, HangOptions{});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].summary,
            "server was not ready within 10000 ms in cycle 2 (pid 123), though it had started "
            "before");
  EXPECT_EQ(failures[0].evidence["phase"], "startup");
}

TEST(HangCheckerCycleTest, NeverReadyIsNotAHang) {
  History history;
  history.processes = {Event(ProcessAction::kNotReady, 10000, Phase::kStartup)};
  EXPECT_TRUE(CheckHangs(history, HangOptions{}).empty()) << "a setup error, reported elsewhere";
}

TEST(HangCheckerTest, AnUnansweredProbeIsAServingHangWithTheWorkloadsFigures) {
  History history;
  ProcessEvent unresponsive = Event(ProcessAction::kUnresponsive, 2500, Phase::kRunning);
  unresponsive.detail =
      "server did not answer a liveness probe (GET /) within 2000 ms after round 3 of 20";
  unresponsive.evidence = {{"round", 3}, {"backtraces", "epoll_wait"}, {"phase", "running"}};
  history.processes = {Event(ProcessAction::kReady, 100, Phase::kRunning), unresponsive};

  auto failures = CheckHangs(history, HangOptions{});

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kHang);
  EXPECT_EQ(failures[0].target, "server");
  EXPECT_EQ(failures[0].summary,
            "server did not answer a liveness probe (GET /) within 2000 ms after round 3 of 20 "
            "(pid 123)");
  EXPECT_EQ(failures[0].evidence["phase"], "serving") << "the checker's phase wins";
  EXPECT_EQ(failures[0].evidence["round"], 3);
  EXPECT_EQ(failures[0].evidence["backtraces"], "epoll_wait");
  EXPECT_EQ(failures[0].evidence["time_ms"], 2500);
}

TEST(HangCheckerTest, AnUnansweredProbeWithoutAProcessHasNoPid) {
  History history;
  ProcessEvent unresponsive = Event(ProcessAction::kUnresponsive, 2500, Phase::kRunning);
  unresponsive.target = "";
  unresponsive.pid = 0;
  unresponsive.detail = "port 8080 did not answer a liveness probe";
  history.processes = {unresponsive};
  auto failures = CheckHangs(history, HangOptions{});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].summary, "port 8080 did not answer a liveness probe");
}

}  // namespace
}  // namespace stampede
