#include "workloads/line_script.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TestServer;

struct Outcome {
  std::int64_t ok = 0, failed = 0, mismatched = 0;
  std::vector<Operation> ops;
};

Outcome RunScript(const LineScriptSpec& spec, int port) {
  LineScript script(spec, ParseTcpEndpoint("127.0.0.1:" + std::to_string(port)).value());
  HistoryWriter writer;
  OpRecorder recorder(writer, 0);
  std::stop_source stop;
  script.Run(recorder, stop.get_token());
  Outcome outcome{0, 0, 0, recorder.Take()};
  for (const auto& op : outcome.ops) {
    if (op.type == OpType::kOk) ++outcome.ok;
    if (op.type == OpType::kFail) ++outcome.failed;
    if (op.type == OpType::kOk && op.expected != op.got) ++outcome.mismatched;
  }
  return outcome;
}

LineScriptSpec MemcachedSetGet(const std::string& expected_value) {
  LineScriptSpec spec;
  spec.connections = 4;
  spec.requests = 25;
  spec.steps = {
      {"set k{seq} 0 0 5\r\nhello\r\n", {{"STORED", false}}},
      {"get k{seq}\r\n", {{"VALUE k{seq} 0 5", false}, {expected_value, false}, {"END", false}}},
      {"version\r\n", {{"VERSION [0-9.]+", true}}}};
  return spec;
}

class LineScriptTest : public ::testing::Test {
 protected:
  LineScriptTest()
      : memcached_({"memcached", "-p", "PORT", "-l", "127.0.0.1", "-U", "0", "-u", "root"}) {}
  TestServer memcached_;
};

TEST_F(LineScriptTest, RunsTheScriptAgainstMemcached) {
  auto outcome = RunScript(MemcachedSetGet("hello"), memcached_.port());
  EXPECT_EQ(outcome.failed, 0);
  EXPECT_EQ(outcome.ok, 4 * 25 * 3);
  EXPECT_EQ(outcome.mismatched, 0);
  ASSERT_FALSE(outcome.ops.empty());
  EXPECT_EQ(outcome.ops[0].f, "set");
}

// 300 steps at 1,000 per second over 4 connections: every step on its slot (1 ms apart for the
// load as a whole), each invoke with the time it was due.
TEST_F(LineScriptTest, AtARateEveryStepRecordsWhenItWasDue) {
  auto spec = MemcachedSetGet("hello");
  spec.requests = 25;
  spec.rate = 1000;
  auto outcome = RunScript(spec, memcached_.port());
  EXPECT_EQ(outcome.ok, 300);
  std::vector<std::int64_t> due;
  for (const auto& op : outcome.ops) {
    if (op.type != OpType::kInvoke) continue;
    EXPECT_GE(op.time_ns, op.intended_ns);
    due.push_back(op.intended_ns);
  }
  std::sort(due.begin(), due.end());
  ASSERT_EQ(due.size(), 300u);
  EXPECT_NEAR(due.back() - due.front(), 299'000'000, 1'000'000);
}

TEST_F(LineScriptTest, AWrongLineIsAMismatchWithBothSides) {
  auto spec = MemcachedSetGet("goodbye");
  spec.requests = 2;
  spec.connections = 1;
  auto outcome = RunScript(spec, memcached_.port());
  EXPECT_EQ(outcome.mismatched, 2);  // each get
  for (const auto& op : outcome.ops) {
    if (op.type != OpType::kOk || op.expected == op.got) continue;
    EXPECT_EQ(op.f, "get");
    EXPECT_EQ(op.expected, "VALUE k" + std::to_string(op.seq / 3) + " 0 5\ngoodbye\nEND");
    EXPECT_EQ(op.got, "VALUE k" + std::to_string(op.seq / 3) + " 0 5\nhello\nEND");
  }
}

TEST_F(LineScriptTest, ARegexThatDoesNotMatchShowsItself) {
  LineScriptSpec spec;
  spec.connections = 1;
  spec.requests = 1;
  spec.steps = {{"version\r\n", {{"VERSION 0\\.0\\..*", true}}}};
  auto outcome = RunScript(spec, memcached_.port());
  ASSERT_EQ(outcome.mismatched, 1);
  EXPECT_EQ(outcome.ops.back().expected, "/VERSION 0\\.0\\..*/");
  EXPECT_EQ(outcome.ops.back().got.rfind("VERSION 1.", 0), 0u);
}

}  // namespace
}  // namespace stampede
