#include "checkers/unanswered_checker.h"

#include <gtest/gtest.h>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

Operation TimedOut(std::int64_t ms, int client, std::int64_t seq) {
  return Info(ms, client, seq, "no reply within 1000 ms");
}

TEST(UnansweredCheckerTest, AnsweredRequestsPass) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(5, 1, 1), Invoke(6, 1, 2), Ok(9, 1, 2)};
  EXPECT_FALSE(CheckUnanswered(history, {}));
}

TEST(UnansweredCheckerTest, OneTimeoutFailsByDefaultAsAHang) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(5, 1, 1), Invoke(0, 2, 1), TimedOut(1000, 2, 1)};
  auto failure = CheckUnanswered(history, {});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, FailureKind::kHang);
  EXPECT_EQ(failure->summary,
            "1 of 2 requests went unanswered (no reply within 1000 ms); at most 0 allowed "
            "(max_timeouts)");
  EXPECT_EQ(failure->evidence["timed_out"], 1);
  EXPECT_EQ(failure->evidence["answered"], 1);
  EXPECT_EQ(failure->evidence["first"][0]["client"], 2);
}

TEST(UnansweredCheckerTest, TimeoutsWithinTheBudgetPass) {
  History history;
  history.ops = {Ok(5, 1, 1), TimedOut(1000, 2, 1), TimedOut(1000, 3, 1)};
  EXPECT_FALSE(CheckUnanswered(history, {2}));
  EXPECT_TRUE(CheckUnanswered(history, {1}));
}

TEST(UnansweredCheckerTest, NothingEverAnsweredNeverPassesWhateverTheBudget) {
  History history;
  for (int client = 1; client <= 20; ++client) {
    history.ops.push_back(Invoke(0, client, 1));
    history.ops.push_back(TimedOut(1000, client, 1));
  }
  auto failure = CheckUnanswered(history, {1000});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->summary,
            "20 of 20 requests went unanswered (no reply within 1000 ms); none was ever answered");
  EXPECT_TRUE(failure->evidence["never_answered"].get<bool>());
}

TEST(UnansweredCheckerTest, OtherInfoIsNeitherATimeoutNorAnAnswer) {
  History history;
  history.ops = {Ok(5, 1, 1), Info(9, 2, 1, "stopped before completion"),
                 Info(9, 3, 1, "abandoned by reload (close)")};
  EXPECT_FALSE(CheckUnanswered(history, {}));
  history.ops.erase(history.ops.begin());
  auto silent = CheckUnanswered(history, {});
  ASSERT_TRUE(silent) << "a load whose every request ended without an answer is silent";
  EXPECT_EQ(silent->summary, "2 requests completed; none was ever answered");
}

TEST(UnansweredCheckerTest, FailuresAreTheErrorsCheckersAndTheNemesisIsNotALoad) {
  History history;
  history.ops = {Fail(5, 1, 1, "connection refused")};
  EXPECT_FALSE(CheckUnanswered(history, {})) << "the errors checker reports it";
  Operation send = TimedOut(10, 9, 1);
  send.stream = kNemesisStream;
  history.ops = {Ok(5, 1, 1), send};
  EXPECT_FALSE(CheckUnanswered(history, {}));
}

TEST(UnansweredCheckerTest, TimeoutsOfAReconnectingStreamDuringDowntimeAreExcused) {
  History history;
  Operation during = TimedOut(1500, 2, 1);
  during.stream = "clients";
  Operation after = TimedOut(3500, 2, 2);
  after.stream = "clients";
  history.ops = {Ok(5, 1, 1), during, after};
  UnansweredOptions options;
  options.excused = {{Ms(1000), Ms(2000)}};
  options.excused_streams = {"clients"};
  auto failure = CheckUnanswered(history, options);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->evidence["timed_out"], 1) << "only the one after the downtime";
}

}  // namespace
}  // namespace stampede
