#include "timeline/downtime.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Operation Nemesis(OpType type, std::int64_t time_ns, int action) {
  Operation op{type, time_ns, action, -1, 0, "", "", "", ""};
  op.stream = kNemesisStream;
  return op;
}

ActionSpec Action(ActionType type, const std::string& target) {
  ActionSpec spec;
  spec.type = type;
  spec.target = target;
  return spec;
}

TEST(DowntimeTest, ARestartIsItsOwnWindow) {
  std::vector<ActionSpec> actions = {Action(ActionType::kRestart, "server")};
  auto windows =
      DowntimeWindows({Nemesis(OpType::kInvoke, 100, 0), Nemesis(OpType::kOk, 300, 0)}, actions);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].target, "server");
  EXPECT_EQ(windows[0].begin_ns, 100);
  EXPECT_EQ(windows[0].end_ns, 300);
}

TEST(DowntimeTest, AStopLastsUntilTheNextStartOfItsTargetCompletes) {
  std::vector<ActionSpec> actions = {Action(ActionType::kStop, "a"),
                                     Action(ActionType::kStart, "a"),
                                     Action(ActionType::kStop, "b")};
  auto windows = DowntimeWindows({Nemesis(OpType::kInvoke, 10, 0), Nemesis(OpType::kOk, 20, 0),
                                  Nemesis(OpType::kInvoke, 30, 2), Nemesis(OpType::kOk, 40, 2),
                                  Nemesis(OpType::kInvoke, 50, 1), Nemesis(OpType::kOk, 60, 1)},
                                 actions);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].target, "a");
  EXPECT_EQ(windows[0].begin_ns, 10);
  EXPECT_EQ(windows[0].end_ns, 60);
  EXPECT_EQ(windows[1].target, "b");
  EXPECT_EQ(windows[1].end_ns, INT64_MAX);  // never started again
}

TEST(DowntimeTest, OtherActionsAndStreamsOpenNoWindow) {
  std::vector<ActionSpec> actions = {Action(ActionType::kSignal, "a")};
  Operation load{OpType::kInvoke, 5, 0, 0, 0, "PING", "", "", ""};
  EXPECT_TRUE(
      DowntimeWindows({Nemesis(OpType::kInvoke, 1, 0), Nemesis(OpType::kOk, 2, 0), load}, actions)
          .empty());
}

}  // namespace
}  // namespace stampede
