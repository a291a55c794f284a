#include "checkers/timeline.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Operation Nemesis(OpType type, std::int64_t ms, int client, std::int64_t seq, std::string f,
                  std::string got = "", std::string error = "", std::string expected = "") {
  return {
      type,           ms * 1'000'000,   client,        -1, seq, std::move(f), std::move(expected),
      std::move(got), std::move(error), kNemesisStream};
}

TEST(TimelineTest, NoActionsIsNull) {
  History history;
  history.ops = {{OpType::kInvoke, 0, 1, 1, 0, "PING"}, {OpType::kOk, 5, 1, 1, 0, "PING"}};
  EXPECT_TRUE(SummarizeTimeline(history).is_null());
}

TEST(TimelineTest, ListsFiringsWithOutcomesAndDurations) {
  History history;
  history.ops = {
      Nemesis(OpType::kInvoke, 100, 0, 0, "signal SIGHUP s"),
      Nemesis(OpType::kOk, 100, 0, 0, "signal SIGHUP s", "sent SIGHUP"),
      {OpType::kInvoke, 110'000'000, 0, 0, 0, "GET /"},  // a load's op with the same key
      Nemesis(OpType::kInvoke, 200, 1, 0, "stop s"),
      {OpType::kOk, 210'000'000, 0, 0, 0, "GET /"},
      Nemesis(OpType::kInvoke, 250, 2, 0, "send INFO"),
      Nemesis(OpType::kFail, 1250, 2, 0, "send INFO", "", "no reply within 1000 ms"),
      Nemesis(OpType::kOk, 3200, 1, 0, "stop s", "s exited with code 0 after 3000 ms"),
      Nemesis(OpType::kInvoke, 3300, 0, 1, "signal SIGHUP s"),
  };
  auto timeline = SummarizeTimeline(history);
  ASSERT_TRUE(timeline.is_object());
  EXPECT_EQ(timeline["count"], 4);
  EXPECT_EQ(timeline["more"], 0);
  EXPECT_EQ(timeline["by_outcome"], (nlohmann::json{{"ok", 2}, {"fail", 1}, {"unfinished", 1}}));
  const auto& actions = timeline["actions"];
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0]["at_ms"], 100);
  EXPECT_EQ(actions[0]["result"], "sent SIGHUP");
  EXPECT_EQ(actions[1]["action"], "stop s");
  EXPECT_EQ(actions[1]["took_ms"], 3000);
  EXPECT_EQ(actions[2]["outcome"], "fail");
  EXPECT_EQ(actions[2]["error"], "no reply within 1000 ms");
  EXPECT_EQ(actions[3]["seq"], 1);
  EXPECT_EQ(actions[3]["outcome"], "unfinished");
  EXPECT_TRUE(actions[3]["took_ms"].is_null());
}

TEST(TimelineTest, KeepsTheFirstEntriesAndCountsTheRest) {
  History history;
  const int firings = static_cast<int>(kMaxTimelineEntries) + 5;
  for (int i = 0; i < firings; ++i) {
    history.ops.push_back(Nemesis(OpType::kInvoke, i, 0, i, "freeze s"));
    history.ops.push_back(Nemesis(OpType::kOk, i, 0, i, "freeze s"));
  }
  auto timeline = SummarizeTimeline(history);
  EXPECT_EQ(timeline["count"], firings);
  EXPECT_EQ(timeline["more"], 5);
  EXPECT_EQ(timeline["actions"].size(), kMaxTimelineEntries);
  EXPECT_EQ(timeline["by_outcome"]["ok"], firings);
}

}  // namespace
}  // namespace stampede
