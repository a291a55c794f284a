#include "checkers/errors_checker.h"

#include <gtest/gtest.h>

#include <string>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

// `total` operations by one client, of which the first `failed` fail with `error`.
History WithFailures(int total, int failed, const std::string& error = "connection reset") {
  History history;
  for (int seq = 0; seq < total; ++seq) {
    history.ops.push_back(Invoke(seq * 10, 1, seq));
    history.ops.push_back(seq < failed ? Fail(seq * 10 + 5, 1, seq, error)
                                       : Ok(seq * 10 + 5, 1, seq));
  }
  return history;
}

TEST(ErrorsCheckerTest, NoFailuresPasses) {
  EXPECT_FALSE(CheckErrors(WithFailures(10, 0), ErrorOptions{}).has_value());
}

TEST(ErrorsCheckerTest, EmptyHistoryPasses) {
  EXPECT_FALSE(CheckErrors(History{}, ErrorOptions{}).has_value());
}

// With two messages equally common, the summary does not pretend one of them leads.
TEST(ErrorsCheckerTest, ATieIsNotCalledTheMostCommon) {
  History history = WithFailures(4, 1, "connection reset");
  history.ops.push_back(Invoke(100, 2, 0));
  history.ops.push_back(Fail(105, 2, 0, "connect: refused"));
  auto failure = CheckErrors(history, ErrorOptions{});
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->summary,
            "2 of 5 operations failed (40.00%); one of the most common: \"connect: refused\" (1)");
}

TEST(ErrorsCheckerTest, SingleFailureFailsWithDefaults) {
  auto failure = CheckErrors(WithFailures(4, 1), ErrorOptions{});

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, FailureKind::kErrors);
  EXPECT_EQ(failure->target, "");
  EXPECT_EQ(failure->summary,
            "1 of 4 operations failed (25.00%); most common: \"connection reset\" (1)");
  EXPECT_EQ(failure->evidence["failed"], 1);
  EXPECT_EQ(failure->evidence["completed"], 4);
  EXPECT_DOUBLE_EQ(failure->evidence["rate"].get<double>(), 0.25);
  EXPECT_EQ(failure->evidence["by_error"], nlohmann::json({{"connection reset", 1}}));
  EXPECT_EQ(failure->evidence["first"],
            nlohmann::json::parse(R"([{"client":1,"seq":0,"f":"GET /echo",
                                       "error":"connection reset","time_ms":5}])"));
}

TEST(ErrorsCheckerTest, InfoIsNotAnErrorButIsCompleted) {
  History history = WithFailures(3, 0);
  history.ops.push_back(Invoke(100, 2, 1));
  history.ops.push_back(Info(200, 2, 1, "timeout"));
  EXPECT_FALSE(CheckErrors(history, ErrorOptions{}).has_value());

  history.ops.push_back(Invoke(300, 2, 2));
  history.ops.push_back(Fail(400, 2, 2, "refused"));
  auto failure = CheckErrors(history, ErrorOptions{});
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->evidence["failed"], 1);
  EXPECT_EQ(failure->evidence["completed"], 5);
}

TEST(ErrorsCheckerTest, LoadFailuresInsideAnExcusedSpanAreNotErrors) {
  // Failures complete at 5, 15 and 25 ms.
  constexpr std::int64_t kMs = 1000000;
  History history = WithFailures(4, 3, "connect: Connection refused");
  ErrorOptions options;
  options.excused = {{0, 15 * kMs}};
  EXPECT_EQ(CountExcusedFailures(history, options), 0);  // the stream does not reconnect
  options.excused_streams = {""};
  EXPECT_EQ(CountExcusedFailures(history, options), 2);
  auto failure = CheckErrors(history, options);
  ASSERT_TRUE(failure.has_value());  // the one at 25 is outside
  EXPECT_EQ(failure->evidence["failed"], 1);
  EXPECT_EQ(failure->evidence["completed"], 4);
  options.excused.push_back({20 * kMs, 30 * kMs});
  EXPECT_FALSE(CheckErrors(history, options).has_value());
}

TEST(ErrorsCheckerTest, TheNemesisOwnFailuresAreNeverExcused) {
  History history = WithFailures(1, 1, "stop: deadline passed");
  history.ops.back().stream = kNemesisStream;
  ErrorOptions options;
  options.excused = {{0, INT64_MAX}};
  options.excused_streams = {"", kNemesisStream};
  EXPECT_EQ(CountExcusedFailures(history, options), 0);
  EXPECT_TRUE(CheckErrors(history, options).has_value());
}

TEST(ErrorsCheckerTest, CountExactlyAtLimitPasses) {
  EXPECT_FALSE(CheckErrors(WithFailures(4, 2), ErrorOptions{2, 0.0}).has_value());
  EXPECT_TRUE(CheckErrors(WithFailures(4, 3), ErrorOptions{2, 0.0}).has_value());
}

TEST(ErrorsCheckerTest, RateExactlyAtLimitPasses) {
  EXPECT_FALSE(CheckErrors(WithFailures(4, 1), ErrorOptions{0, 0.25}).has_value());
  EXPECT_TRUE(CheckErrors(WithFailures(4, 2), ErrorOptions{0, 0.25}).has_value());
}

TEST(ErrorsCheckerTest, BothLimitsMustBeExceeded) {
  // 3 errors > 2 allowed, but 3/100 is within a 5% rate.
  EXPECT_FALSE(CheckErrors(WithFailures(100, 3), ErrorOptions{2, 0.05}).has_value());
  // 50% > 5% rate, but 3 errors are within 10 allowed.
  EXPECT_FALSE(CheckErrors(WithFailures(6, 3), ErrorOptions{10, 0.05}).has_value());
  // Both exceeded.
  EXPECT_TRUE(CheckErrors(WithFailures(6, 3), ErrorOptions{2, 0.05}).has_value());
}

TEST(ErrorsCheckerTest, ByErrorKeepsTwentyMostFrequentMessages) {
  History history;
  int seq = 0;
  for (int message = 0; message < 25; ++message) {
    // message m occurs m + 1 times, so messages 5..24 are the 20 most frequent.
    for (int n = 0; n <= message; ++n, ++seq) {
      history.ops.push_back(Invoke(seq, 1, seq));
      history.ops.push_back(Fail(seq, 1, seq, "error " + std::to_string(message)));
    }
  }

  auto failure = CheckErrors(history, ErrorOptions{});

  ASSERT_TRUE(failure.has_value());
  const auto& by_error = failure->evidence["by_error"];
  EXPECT_EQ(by_error.size(), 20u);
  EXPECT_FALSE(by_error.contains("error 4"));
  EXPECT_EQ(by_error["error 5"], 6);
  EXPECT_EQ(by_error["error 24"], 25);
  EXPECT_EQ(failure->evidence["distinct_errors"], 25);
  EXPECT_EQ(failure->evidence["first"].size(), 10u);
  EXPECT_NE(failure->summary.find("most common: \"error 24\" (25)"), std::string::npos);
}

TEST(ErrorsCheckerTest, FirstTakesFunctionFromInvokeWhenCompletionHasNone) {
  History history;
  Operation invoke = Invoke(0, 3, 7);
  invoke.f = "POST /rpc";
  Operation fail = Fail(5, 3, 7, "");
  fail.f.clear();
  history.ops = {invoke, fail};

  auto failure = CheckErrors(history, ErrorOptions{});

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->evidence["first"][0]["f"], "POST /rpc");
  EXPECT_EQ(failure->evidence["by_error"], nlohmann::json({{"(no error message)", 1}}));
}

}  // namespace
}  // namespace stampede
