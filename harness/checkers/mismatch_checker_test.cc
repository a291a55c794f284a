#include "checkers/mismatch_checker.h"

#include <gtest/gtest.h>

#include <string>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

// One request on connection `client` whose reply echoes `got`.
void AddRoundTrip(History& history, std::int64_t ms, int client, std::int64_t seq,
                  const std::string& got) {
  const std::string expected = std::to_string(seq);
  history.ops.push_back(Invoke(ms, client, seq, expected));
  history.ops.push_back(Ok(ms + 1, client, seq, expected, got));
}

TEST(MismatchCheckerTest, MatchingRepliesPass) {
  History history;
  for (int seq = 0; seq < 5; ++seq) AddRoundTrip(history, seq * 10, 1, seq, std::to_string(seq));
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(MismatchCheckerTest, EmptyHistoryPasses) {
  EXPECT_FALSE(CheckMismatches(History{}).has_value());
}

TEST(MismatchCheckerTest, WrongReplyIsMismatch) {
  History history;
  AddRoundTrip(history, 0, 2, 16, "16");
  AddRoundTrip(history, 10, 2, 17, "18");

  auto failure = CheckMismatches(history);

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->kind, FailureKind::kMismatch);
  EXPECT_EQ(failure->target, "");
  EXPECT_EQ(failure->summary,
            "1 reply did not match its request (first: connection 2 seq 17 expected \"17\" got "
            "\"18\")");
  EXPECT_EQ(failure->evidence["count"], 1);
  EXPECT_EQ(failure->evidence["first"],
            nlohmann::json::parse(
                R"([{"client":2,"connection":2,"seq":17,"expected":"17","got":"18"}])"));
}

TEST(MismatchCheckerTest, CountsAllAndListsFirstTen) {
  History history;
  for (int seq = 0; seq < 13; ++seq) AddRoundTrip(history, seq * 10, 1, seq, "x");

  auto failure = CheckMismatches(history);

  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->evidence["count"], 13);
  ASSERT_EQ(failure->evidence["first"].size(), 10u);
  EXPECT_EQ(failure->evidence["first"][0]["seq"], 0);
  EXPECT_EQ(failure->evidence["first"][9]["seq"], 9);
  EXPECT_EQ(failure->summary.rfind("13 replies did not match their requests (first: ", 0), 0u);
}

TEST(MismatchCheckerTest, OutOfOrderButMatchingRepliesPass) {
  History history;
  history.ops = {Invoke(0, 1, 1, "1"),  Invoke(1, 1, 2, "2"),  Invoke(2, 1, 3, "3"),
                 Ok(3, 1, 3, "3", "3"), Ok(4, 1, 1, "1", "1"), Ok(5, 1, 2, "2", "2")};
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(MismatchCheckerTest, UncheckedRepliesAreNotMismatches) {
  History history;
  history.ops = {Invoke(0, 1, 1), Ok(1, 1, 1, "", "anything")};
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(MismatchCheckerTest, FailAndInfoAreNotMismatches) {
  History history;
  Operation fail = Fail(1, 1, 1, "reset");
  fail.expected = "1";
  Operation info = Info(2, 1, 2, "timeout");
  info.expected = "2";
  history.ops = {Invoke(0, 1, 1, "1"), fail, Invoke(1, 1, 2, "2"), info};
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(MismatchCheckerTest, EmptyReplyToCheckedRequestIsMismatch) {
  History history;
  AddRoundTrip(history, 0, 1, 5, "");
  EXPECT_TRUE(CheckMismatches(history).has_value());
}

TEST(MismatchCheckerTest, UnknownConnectionNamesClient) {
  History history;
  Operation ok = Ok(1, 4, 9, "9", "8");
  ok.connection = -1;
  history.ops = {Invoke(0, 4, 9, "9"), ok};

  auto failure = CheckMismatches(history);

  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->summary.find("(first: client 4 seq 9 expected \"9\" got \"8\")"),
            std::string::npos);
  EXPECT_TRUE(failure->evidence["first"][0]["connection"].is_null());
}

TEST(MismatchCheckerTest, SummaryCutsLongAndBinaryValues) {
  History history;
  const std::string expected(100, 'a');
  history.ops = {Invoke(0, 1, 1, expected), Ok(1, 1, 1, expected, "\xff\xfe\n")};

  auto failure = CheckMismatches(history);

  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->summary.find("expected \"" + std::string(64, 'a') + "\"... got"),
            std::string::npos);
  EXPECT_EQ(failure->summary.find('\n'), std::string::npos);
  EXPECT_EQ(failure->evidence["first"][0]["got"].get<std::string>(), "\xff\xfe\n");
}

}  // namespace
}  // namespace stampede
