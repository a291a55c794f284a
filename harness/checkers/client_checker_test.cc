#include "checkers/client_checker.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "checkers/crash_checker.h"
#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

ProcessEvent ClientExit(ExitInfo exit, bool clean, std::string title = "") {
  ProcessEvent event = Exited(900, Phase::kRunning, exit, clean);
  event.target = "client";
  event.evidence = {{"role", "client"}, {"stderr_tail", "3 of 200 requests failed"}};
  if (!title.empty()) event.evidence["title"] = title;
  return event;
}

Operation Served(std::int64_t ms, int connection, std::int64_t index) {
  Operation op = Ok(ms, connection, index);
  op.got = "200";
  op.f = "serve GET /echo";
  return op;
}

TEST(ClientCheckerTest, ACleanExitIsNeitherAnErrorNorACrash) {
  History history;
  history.processes = {ClientExit(ExitCode(0), true)};
  EXPECT_TRUE(CheckClientRun(history, {}).empty());
  EXPECT_TRUE(CheckCrashes(history).empty());
}

TEST(ClientCheckerTest, ANonZeroExitIsAnErrorNotACrash) {
  History history;
  history.processes = {ClientExit(ExitCode(1), false)};
  auto failures = CheckClientRun(history, {});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, FailureKind::kErrors);
  EXPECT_EQ(failures[0].summary, "client exited with status 1, not a clean exit (pid 123)");
  EXPECT_EQ(failures[0].evidence["stderr_tail"], "3 of 200 requests failed");
  EXPECT_TRUE(CheckCrashes(history).empty());
}

TEST(ClientCheckerTest, ASignalOrASanitizerReportIsACrashOnly) {
  for (const auto& event :
       {ClientExit(KilledBy(SIGSEGV), false),
        ClientExit(ExitCode(1), false, "AddressSanitizer: heap-use-after-free")}) {
    History history;
    history.processes = {event};
    EXPECT_TRUE(CheckClientRun(history, {}).empty());
    ASSERT_EQ(CheckCrashes(history).size(), 1u);
  }
}

TEST(ClientCheckerTest, TheFixtureMustSeeTheExpectedRequests) {
  History history;
  history.ops = {Invoke(1, 1, 0), Served(2, 1, 0), Invoke(3, 2, 1), Served(4, 2, 1)};
  history.ops[0].f = history.ops[2].f = "serve GET /echo";
  EXPECT_TRUE(CheckClientRun(history, {2}).empty());
  EXPECT_TRUE(CheckClientRun(history, {0}).empty()) << "0: any number";
  auto failures = CheckClientRun(history, {3});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].summary, "the fixture saw 2 requests, expected 3");
  EXPECT_EQ(failures[0].evidence["seen"], 2);
  auto more = CheckClientRun(history, {1});
  ASSERT_EQ(more.size(), 1u) << "more requests than expected fail too";
  EXPECT_EQ(more[0].summary, "the fixture saw 2 requests, expected 1");
}

TEST(ClientCheckerTest, AServerExitIsNotTheClientChecksBusiness) {
  History history;
  history.processes = {Exited(900, Phase::kRunning, ExitCode(1))};
  EXPECT_TRUE(CheckClientRun(history, {}).empty());
  EXPECT_EQ(CheckCrashes(history).size(), 1u);
}

}  // namespace
}  // namespace stampede
