#include "checkers/crash_checker.h"

#include <gtest/gtest.h>

#include <csignal>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

// A target that starts, serves, and stops cleanly on request.
History CleanLifecycle() {
  History history;
  history.processes = {
      Event(ProcessAction::kSpawned, 0, Phase::kStartup),
      Event(ProcessAction::kReady, 10, Phase::kRunning),
      Event(ProcessAction::kStopRequested, 500, Phase::kShutdown),
      Exited(520, Phase::kShutdown, ExitCode(0), /*clean=*/true),
  };
  return history;
}

TEST(CrashCheckerTest, CleanLifecycleHasNoCrash) {
  EXPECT_TRUE(CheckCrashes(CleanLifecycle()).empty());
}

TEST(CrashCheckerTest, EmptyHistoryHasNoCrash) {
  EXPECT_TRUE(CheckCrashes(History{}).empty());
}

TEST(CrashCheckerTest, SignalWhileRunningIsCrash) {
  History history;
  ProcessEvent exit = Exited(300, Phase::kRunning, KilledBy(SIGSEGV, /*core_dumped=*/true));
  exit.evidence = {{"stderr_tail", "boom\n"}, {"stderr_path", "/out/server.stderr"}};
  history.processes = {Event(ProcessAction::kSpawned, 0, Phase::kStartup), exit};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  const Failure& failure = failures[0];
  EXPECT_EQ(failure.kind, FailureKind::kCrash);
  EXPECT_EQ(failure.target, "server");
  EXPECT_EQ(failure.summary, "server died by SIGSEGV (core dumped) while running (pid 123)");
  EXPECT_EQ(failure.evidence["signal"], "SIGSEGV");
  EXPECT_TRUE(failure.evidence["exit_code"].is_null());
  EXPECT_EQ(failure.evidence["core_dumped"], true);
  EXPECT_EQ(failure.evidence["phase"], "running");
  EXPECT_EQ(failure.evidence["pid"], 123);
  EXPECT_EQ(failure.evidence["time_ms"], 300);
  EXPECT_EQ(failure.evidence["stderr_tail"], "boom\n");
  EXPECT_EQ(failure.evidence["stderr_path"], "/out/server.stderr");
}

TEST(CrashCheckerTest, AnExitWithACrashTitleOrACoreIsStillACrash) {
  History history;
  ProcessEvent asserted = Exited(40, Phase::kRunning, ExitCode(1));
  asserted.evidence = {{"title", "AddressSanitizer: heap-use-after-free on address 0x1"}};
  ProcessEvent cored = Exited(50, Phase::kRunning, ExitCode(1));
  cored.exit->core_dumped = true;
  history.processes = {asserted, cored, Exited(60, Phase::kRunning, KilledBy(SIGSEGV))};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 3u);
  for (const auto& failure : failures) EXPECT_EQ(failure.kind, FailureKind::kCrash);
}

TEST(CrashCheckerTest, SummaryQuotesTheWholeTitleBlockOnOneLine) {
  History history;
  ProcessEvent exit = Exited(300, Phase::kRunning, KilledBy(SIGABRT));
  exit.evidence = {{"title",
                    "terminate called after throwing an instance of 'std::future_error'\n"
                    "what():  std::future_error: Promise already satisfied"}};
  history.processes = {exit};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].summary,
            "server died by SIGABRT while running (pid 123): terminate called after throwing an "
            "instance of 'std::future_error'; what():  std::future_error: Promise already "
            "satisfied");
  EXPECT_EQ(failures[0].evidence["title"], exit.evidence["title"]) << "kept whole";
}

TEST(CrashCheckerTest, ALongTitleIsShortenedInTheSummaryOnly) {
  History history;
  ProcessEvent exit = Exited(300, Phase::kRunning, KilledBy(SIGABRT));
  exit.evidence = {{"title", std::string(1000, 'x')}};
  history.processes = {exit};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_LT(failures[0].summary.size(), 400u);
  EXPECT_EQ(failures[0].summary.substr(failures[0].summary.size() - 3), "...");
  EXPECT_EQ(failures[0].evidence["title"].get<std::string>().size(), 1000u);
}

TEST(CrashCheckerTest, AnExitWhileRunningIsAnUnexpectedExitNotACrash) {
  History history;
  history.processes = {Exited(40, Phase::kRunning, ExitCode(0), /*clean=*/true)};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kExit);
  EXPECT_EQ(failures[0].summary,
            "server exited unexpectedly with status 0 while running (pid 123)");
  EXPECT_EQ(failures[0].evidence["exit_code"], 0);
  EXPECT_TRUE(failures[0].evidence["signal"].is_null());
}

TEST(CrashCheckerTest, ExitDuringStartupIsCrash) {
  History history;
  history.processes = {Exited(5, Phase::kStartup, ExitCode(1))};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kExit);
  EXPECT_EQ(failures[0].summary, "server exited with status 1 during startup (pid 123)");
  EXPECT_EQ(failures[0].evidence["phase"], "startup");
}

TEST(CrashCheckerTest, UncleanExitDuringShutdownIsCrash) {
  History history = CleanLifecycle();
  history.processes.back() = Exited(520, Phase::kShutdown, ExitCode(3), /*clean=*/false);
  history.processes.back().evidence["clean_exits"] = {0, 1};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kCrash) << "an unclean stop is not an exit";
  EXPECT_EQ(failures[0].summary,
            "server exited with status 3 during shutdown (pid 123); clean exits: 0, 1");
  EXPECT_EQ(failures[0].evidence["phase"], "shutdown");
}

TEST(CrashCheckerTest, CleanExitDuringShutdownIsNotCrash) {
  History history = CleanLifecycle();
  history.processes.back() = Exited(520, Phase::kShutdown, KilledBy(SIGTERM), /*clean=*/true);
  EXPECT_TRUE(CheckCrashes(history).empty());
}

TEST(CrashCheckerTest, HarnessKillAfterStopTimeoutIsNotCrash) {
  History history;
  history.processes = {
      Event(ProcessAction::kStopRequested, 500, Phase::kShutdown),
      Event(ProcessAction::kStopTimeout, 5500, Phase::kShutdown),
      Exited(5510, Phase::kShutdown, KilledBy(SIGKILL), /*clean=*/false,
             /*killed_by_harness=*/true),
  };
  EXPECT_TRUE(CheckCrashes(history).empty());
}

TEST(CrashCheckerTest, ReportsEveryCrashedExitInOrder) {
  History history;
  ProcessEvent proxy = Exited(100, Phase::kRunning, KilledBy(SIGABRT));
  proxy.target = "proxy";
  proxy.pid = 7;
  history.processes = {
      proxy,
      Exited(200, Phase::kShutdown, ExitCode(0), /*clean=*/true),
      Exited(300, Phase::kRunning, KilledBy(SIGSEGV)),
  };

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].target, "proxy");
  EXPECT_EQ(failures[0].evidence["pid"], 7);
  EXPECT_EQ(failures[1].target, "server");
  EXPECT_EQ(failures[1].evidence["signal"], "SIGSEGV");
}

TEST(CrashCheckerTest, CheckerKeysWinOverEventEvidence) {
  History history;
  ProcessEvent exit = Exited(300, Phase::kRunning, ExitCode(2));
  exit.evidence = {{"pid", 999}, {"phase", "bogus"}};
  history.processes = {exit};

  auto failures = CheckCrashes(history);

  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].evidence["pid"], 123);
  EXPECT_EQ(failures[0].evidence["phase"], "running");
}

TEST(CrashCheckerTest, OnlyExitedEventsCanBeCrashes) {
  EXPECT_FALSE(IsCrash(Event(ProcessAction::kNotReady, 0, Phase::kStartup)));
  EXPECT_FALSE(IsCrash(Event(ProcessAction::kStopTimeout, 0, Phase::kShutdown)));
  EXPECT_TRUE(IsCrash(Exited(0, Phase::kRunning, ExitCode(0))));
}

}  // namespace
}  // namespace stampede
