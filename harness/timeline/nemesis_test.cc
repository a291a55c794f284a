#include "timeline/nemesis.h"

#include <gtest/gtest.h>

#include <csignal>

#include "supervisor/loopback.h"
#include "test_paths.h"
#include "timeline/one_shot_request.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TestServer;

// Records what the nemesis asked for; `running` decides whether a target answers.
class FakeControl : public TargetControl {
 public:
  Status Signal(const std::string& target, int signal, bool group) override {
    calls.push_back("signal " + target + " " + std::to_string(signal) + (group ? " group" : ""));
    if (!running) return InvalidInput("target \"" + target + "\" is not running");
    return {};
  }
  Result<std::string> Stop(const std::string& target) override {
    calls.push_back("stop " + target);
    return std::string("stopped");
  }
  Result<std::string> Start(const std::string& target) override {
    calls.push_back("start " + target);
    return std::string("started");
  }
  Status SetFault(const std::string& fault, bool enabled) override {
    calls.push_back("fault " + fault + (enabled ? " on" : " off"));
    return {};
  }
  std::vector<std::string> calls;
  bool running = true;
};

ResolvedAction Action(ActionType type, int at_ms, int every_ms = 0, int times = 1) {
  ResolvedAction action;
  action.spec.type = type;
  action.spec.name = ToString(type);
  action.spec.target = "s";
  action.spec.signal = SIGHUP;
  action.spec.schedule = {at_ms, every_ms, times};
  return action;
}

std::vector<Operation> Completions(const std::vector<Operation>& ops) {
  std::vector<Operation> out;
  for (const auto& op : ops) {
    if (op.type != OpType::kInvoke) out.push_back(op);
  }
  return out;
}

TEST(NemesisTest, AnActionAfterALoadStartsItsScheduleWhenTheLoadEnds) {
  HistoryWriter writer;
  FakeControl control;
  auto after = Action(ActionType::kStop, 5);
  after.spec.schedule.after = "load:writer";
  Nemesis nemesis({after}, writer, 0, "/tmp");
  EXPECT_EQ(nemesis.NextDueMs(), -1);  // waiting for an event, not for a time
  EXPECT_FALSE(nemesis.Tick(1000, control));
  EXPECT_FALSE(nemesis.Finished());
  nemesis.NoteEvent("load:other", 1000);
  nemesis.NoteEvent("load:writer", 1200);
  EXPECT_EQ(nemesis.NextDueMs(), 1205);
  EXPECT_FALSE(nemesis.Tick(1204, control));
  EXPECT_TRUE(nemesis.Tick(1205, control));
  EXPECT_EQ(control.calls, std::vector<std::string>{"stop s"});
  EXPECT_TRUE(nemesis.Finished());
}

TEST(NemesisTest, AnActionAfterAnotherStartsOnceEveryFiringOfThatOneCompleted) {
  HistoryWriter writer;
  FakeControl control;
  auto first = Action(ActionType::kRestart, 0, 10, 2);
  first.spec.name = "bounce";
  auto then = Action(ActionType::kSignal, 0);
  then.spec.schedule.after = "action:bounce";
  Nemesis nemesis({first, then}, writer, 0, "/tmp");
  EXPECT_TRUE(nemesis.Tick(0, control));
  EXPECT_EQ(control.calls.size(), 2u);  // stop, start
  EXPECT_TRUE(nemesis.Tick(10, control));
  EXPECT_TRUE(nemesis.Tick(12, control));  // the second restart completed: the signal is due
  EXPECT_EQ(control.calls,
            (std::vector<std::string>{"stop s", "start s", "stop s", "start s", "signal s 1"}));
  EXPECT_TRUE(nemesis.Finished());
}

TEST(NemesisTest, FiresOnScheduleAndRecordsEachFiring) {
  HistoryWriter writer;
  FakeControl control;
  Nemesis nemesis({Action(ActionType::kSignal, 10, 10, 3)}, writer, 0, "/tmp");
  EXPECT_EQ(nemesis.NextDueMs(), 10);
  nemesis.Tick(9, control);
  EXPECT_TRUE(control.calls.empty());
  nemesis.Tick(10, control);
  EXPECT_EQ(nemesis.NextDueMs(), 20);
  nemesis.Tick(15, control);
  EXPECT_EQ(control.calls.size(), 1u);
  nemesis.Tick(100, control);  // late: one firing per tick, the schedule catches up
  nemesis.Tick(100, control);
  nemesis.Tick(100, control);
  EXPECT_EQ(control.calls, (std::vector<std::string>(3, "signal s 1")));
  EXPECT_TRUE(nemesis.Finished());
  EXPECT_EQ(nemesis.NextDueMs(), -1);
  auto ops = nemesis.Take();
  ASSERT_EQ(ops.size(), 6u);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].stream, kNemesisStream);
    EXPECT_EQ(ops[i].seq, static_cast<std::int64_t>(i / 2));
    EXPECT_EQ(ops[i].type, i % 2 == 0 ? OpType::kInvoke : OpType::kOk);
  }
  EXPECT_EQ(ops[1].got, "sent SIGHUP");
}

TEST(NemesisTest, AFailedSignalIsAFailedOperation) {
  HistoryWriter writer;
  FakeControl control;
  control.running = false;
  Nemesis nemesis({Action(ActionType::kSignal, 0)}, writer, 0, "/tmp");
  nemesis.Tick(0, control);
  auto done = Completions(nemesis.Take());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].type, OpType::kFail);
  EXPECT_EQ(done[0].error, "target \"s\" is not running");
}

TEST(NemesisTest, AFreezeStopsTheGroupAndResumesItOnTime) {
  HistoryWriter writer;
  FakeControl control;
  auto freeze = Action(ActionType::kFreeze, 5);
  freeze.spec.freeze_ms = 30;
  Nemesis nemesis({freeze}, writer, 0, "/tmp");
  nemesis.Tick(5, control);
  EXPECT_EQ(control.calls, (std::vector<std::string>{"signal s 19 group"}));
  EXPECT_FALSE(nemesis.Finished());
  EXPECT_EQ(nemesis.NextDueMs(), 35);
  nemesis.Tick(34, control);
  EXPECT_EQ(control.calls.size(), 1u);
  nemesis.Tick(35, control);
  EXPECT_EQ(control.calls.back(), "signal s 18 group");
  EXPECT_TRUE(nemesis.Finished());
  auto done = Completions(nemesis.Take());
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].got, "frozen for 30 ms");
}

TEST(NemesisTest, AFrozenTargetIsResumedBeforeItIsStoppedAndAtTheEnd) {
  HistoryWriter writer;
  FakeControl control;
  auto freeze = Action(ActionType::kFreeze, 0);
  freeze.spec.freeze_ms = 10000;
  Nemesis nemesis({freeze, Action(ActionType::kRestart, 10)}, writer, 0, "/tmp");
  nemesis.Tick(0, control);
  nemesis.Tick(10, control);
  EXPECT_EQ(control.calls, (std::vector<std::string>{"signal s 19 group", "signal s 18 group",
                                                     "stop s", "start s"}));
  Nemesis unfinished({freeze}, writer, 0, "/tmp");
  FakeControl other;
  unfinished.Tick(0, other);
  unfinished.Finish(other);
  EXPECT_EQ(other.calls.back(), "signal s 18 group");
  EXPECT_TRUE(unfinished.Finished());
}

ResolvedAction SendTo(int port, std::vector<std::string> command, ReplyExpectation expect) {
  auto action = Action(ActionType::kSend, 0);
  action.spec.send.resp = std::move(command);
  action.spec.send.expect = std::move(expect);
  action.spec.send.timeout_ms = 2000;
  action.endpoint = ParseTcpEndpoint("127.0.0.1:" + std::to_string(port)).value();
  action.request = EncodeSendRequest(action.spec.send, action.endpoint.display);
  return action;
}

TEST(NemesisTest, SendRecordsTheReplyAndAMismatchWithWhatWasExpected) {
  TestServer server({std::string(STAMPEDE_BINARY_DIR) + "/targets/resp-server", "--port", "PORT"});
  const int closed = AllocateLoopbackPorts(1).value().at(0);
  HistoryWriter writer;
  FakeControl control;
  Nemesis nemesis({SendTo(server.port(), {"PING"}, {ReplyExpectation::Kind::kExact, "PONG"}),
                   SendTo(server.port(), {"PING", "x"}, {ReplyExpectation::Kind::kRegex, "^y$"}),
                   SendTo(closed, {"PING"}, {})},
                  writer, 0, "/tmp");
  nemesis.Tick(0, control);
  auto done = Completions(nemesis.Take());
  ASSERT_EQ(done.size(), 3u);
  std::sort(done.begin(), done.end(), [](auto& a, auto& b) { return a.client < b.client; });
  EXPECT_EQ(done[0].type, OpType::kOk);
  EXPECT_EQ(done[0].got, "PONG");
  EXPECT_EQ(done[0].expected, "");
  EXPECT_EQ(done[1].type, OpType::kOk);
  EXPECT_EQ(done[1].got, "x");
  EXPECT_EQ(done[1].expected, "/^y$/");
  EXPECT_EQ(done[2].type, OpType::kFail);
  EXPECT_EQ(done[2].error, "connect: Connection refused");
}

ResolvedAction ExecOf(std::vector<std::string> argv, int deadline_ms) {
  auto action = Action(ActionType::kExec, 0);
  action.spec.exec.deadline_ms = deadline_ms;
  action.argv = std::move(argv);
  return action;
}

TEST(NemesisTest, ExecJudgesTheExitStatusWithinTheDeadline) {
  const auto dir = std::filesystem::temp_directory_path() / "stampede-nemesis-test";
  std::filesystem::create_directories(dir);
  HistoryWriter writer;
  FakeControl control;
  Nemesis nemesis({ExecOf({"sh", "-c", "echo fine"}, 5000),
                   ExecOf({"sh", "-c", "echo out; echo broken >&2; exit 3"}, 5000),
                   ExecOf({"sleep", "5"}, 100)},
                  writer, 0, dir);
  nemesis.Tick(0, control);
  auto done = Completions(nemesis.Take());
  ASSERT_EQ(done.size(), 3u);
  std::sort(done.begin(), done.end(), [](auto& a, auto& b) { return a.client < b.client; });
  EXPECT_EQ(done[0].type, OpType::kOk);
  EXPECT_EQ(done[0].got, "fine");
  EXPECT_EQ(done[1].type, OpType::kFail);
  EXPECT_EQ(done[1].got, "out");
  EXPECT_EQ(done[1].error, "exited with code 3: broken");
  EXPECT_EQ(done[2].type, OpType::kFail);
  EXPECT_EQ(done[2].error, "did not finish within 100 ms; killed");
  EXPECT_TRUE(std::filesystem::exists(dir / "actions" / "action-1-0.stderr"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede
