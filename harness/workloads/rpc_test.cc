// The rpc workload end to end against rpc-server on loopback.
#include "workloads/rpc.h"

#include <gtest/gtest.h>

#include "checkers/mismatch_checker.h"
#include "checkers/stats.h"
#include "core/clock.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TargetPath;
using workload_test::TestServer;

History RunRpc(const RpcSpec& spec, const std::string& address) {
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  Rpc workload(spec, ParseTcpEndpoint(address).value(), "7");
  workload.Run(recorder, {});
  History history;
  history.MergeOps(recorder.Take());
  return history;
}

// How many replies arrived in another order than their calls were made, per connection.
int OutOfOrderReplies(const History& history) {
  std::map<int, std::int64_t> last_seq;
  int out_of_order = 0;
  for (const auto& op : history.ops) {
    if (op.type != OpType::kOk) continue;
    auto [it, fresh] = last_seq.emplace(op.connection, op.seq);
    if (!fresh && op.seq < it->second) ++out_of_order;
    it->second = std::max(it->second, op.seq);
  }
  return out_of_order;
}

TEST(RpcTest, ConcurrentCallersGetTheirOwnRepliesOutOfOrder) {
  TestServer server({TargetPath("rpc-server"), "--port", "PORT", "--workers", "4"});
  RpcSpec spec;
  spec.connections = 2;
  spec.callers = 16;
  spec.calls = 100;
  auto history = RunRpc(spec, server.Address());
  auto stats = ComputeStats(history);
  EXPECT_EQ(stats.ops, 1600);
  EXPECT_EQ(stats.ok, 1600);
  EXPECT_FALSE(CheckMismatches(history).has_value());
  EXPECT_GT(OutOfOrderReplies(history), 0) << "the worker pool should reorder some replies";
}

TEST(RpcTest, StaticSequenceBugIsAMismatchWithBothNumbers) {
  TestServer server(
      {TargetPath("rpc-server"), "--port", "PORT", "--workers", "4", "--bug", "static-seq"});
  RpcSpec spec;
  spec.connections = 2;
  spec.callers = 16;
  spec.calls = 100;
  auto history = RunRpc(spec, server.Address());
  auto mismatch = CheckMismatches(history);
  ASSERT_TRUE(mismatch.has_value());
  const auto& first = mismatch->evidence["first"][0];
  const std::string expected = first["expected"], got = first["got"];
  EXPECT_EQ(expected.rfind("seq=" + std::to_string(first["seq"].get<int>()) + " ", 0), 0u)
      << expected;
  EXPECT_NE(expected.substr(0, expected.find(' ')), got.substr(0, got.find(' ')));
}

TEST(RpcTest, OneCallerAtATimeIsRightEvenWithTheBug) {
  TestServer server(
      {TargetPath("rpc-server"), "--port", "PORT", "--workers", "4", "--bug", "static-seq"});
  RpcSpec spec;
  spec.connections = 1;
  spec.callers = 1;
  spec.calls = 300;
  auto history = RunRpc(spec, server.Address());
  EXPECT_EQ(ComputeStats(history).ok, 300);
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

}  // namespace
}  // namespace stampede
