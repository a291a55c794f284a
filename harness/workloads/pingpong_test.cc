// The pingpong workload end to end against real processes on loopback.
#include "workloads/pingpong.h"

#include <gtest/gtest.h>

#include <thread>

#include "checkers/mismatch_checker.h"
#include "checkers/stats.h"
#include "core/clock.h"
#include "supervisor/loopback.h"
#include "test_paths.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TargetPath;
using workload_test::TestServer;

History RunPingPong(PingPongSpec spec, const std::string& address,
                    const std::stop_token& stop = {}) {
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  PingPong workload(spec, ParseTcpEndpoint(address).value(), "7");
  workload.Run(recorder, stop);
  History history;
  history.MergeOps(recorder.Take());
  return history;
}

std::string TestProg() {
  return STAMPEDE_TESTPROG;
}

// error message -> how many completions carried it
std::map<std::string, int> Errors(const History& history) {
  std::map<std::string, int> errors;
  for (const auto& op : history.ops) {
    if (op.type == OpType::kFail || op.type == OpType::kInfo) ++errors[op.error];
  }
  return errors;
}

TEST(PingPongTest, PingFloodAgainstRespServerAllMatch) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  auto history = RunPingPong({.connections = 8, .requests = 200, .pipeline = 4}, server.Address());
  auto stats = ComputeStats(history);
  EXPECT_EQ(stats.ops, 1600);
  EXPECT_EQ(stats.ok, 1600);
  EXPECT_EQ(stats.unfinished, 0);
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(PingPongTest, SetGetAgainstRespServerAllMatch) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  auto history = RunPingPong({.mode = PingPongMode::kSetGet, .connections = 4, .requests = 100},
                             server.Address());
  EXPECT_EQ(ComputeStats(history).ok, 400);
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(PingPongTest, RepliesDeliveredToTheWrongConnectionAreMismatches) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT", "--bug", "cross-talk"});
  auto history = RunPingPong({.connections = 8, .requests = 500}, server.Address());
  auto mismatch = CheckMismatches(history);
  ASSERT_TRUE(mismatch.has_value());
  const auto& first = mismatch->evidence["first"][0];
  EXPECT_NE(first["expected"], first["got"]);
  EXPECT_TRUE(first["connection"].is_number());
}

TEST(PingPongTest, LineProtocolAgainstAnEchoServer) {
  TestServer server({TestProg(), "line-echo", "PORT"});
  auto history = RunPingPong(
      {.protocol = PingPongProtocol::kLine, .connections = 4, .requests = 100, .pipeline = 8},
      server.Address());
  EXPECT_EQ(ComputeStats(history).ok, 400);
  EXPECT_FALSE(CheckMismatches(history).has_value());
}

TEST(PingPongTest, GarbageRepliesAreProtocolErrorsOnEveryConnection) {
  TestServer server({TestProg(), "garbage", "PORT"});
  auto history = RunPingPong({.connections = 5, .requests = 10}, server.Address());
  auto errors = Errors(history);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.begin()->first, "protocol error: unexpected byte 0x16 where a reply starts");
  EXPECT_EQ(errors.begin()->second, 5);
}

TEST(PingPongTest, RefusedConnectionsFailTheirFirstRequest) {
  int port = AllocateLoopbackPorts(1).value().at(0);  // nothing listens there
  auto history =
      RunPingPong({.connections = 3, .requests = 10}, "127.0.0.1:" + std::to_string(port));
  auto errors = Errors(history);
  EXPECT_EQ(errors["connect: Connection refused"], 3);
  EXPECT_EQ(ComputeStats(history).ok, 0);
}

TEST(PingPongTest, ReconnectingConnectionsRetryARefusedPortUntilTheirRequestsRunOut) {
  int port = AllocateLoopbackPorts(1).value().at(0);  // nothing listens there
  auto history = RunPingPong({.connections = 3, .requests = 4, .reconnect = true},
                             "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(Errors(history)["connect: Connection refused"], 12);
  EXPECT_EQ(ComputeStats(history).unfinished, 0);
}

// Paced pings while the server is stopped for about 300 ms and started again on its port.
// Returns how many requests were answered after the restart.
std::int64_t OkAfterARestart(bool reconnect) {
  auto first = std::make_unique<TestServer>(
      std::vector<std::string>{TargetPath("resp-server"), "--port", "PORT"});
  const int port = first->port();
  std::int64_t restarted_ns = 0;
  std::jthread restarter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    TestServer second({TargetPath("resp-server"), "--port", "PORT"}, port);
    restarted_ns = MonotonicNanos();
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
  });
  const std::int64_t origin_ns = MonotonicNanos();
  HistoryWriter writer;
  OpRecorder recorder(writer, origin_ns);
  PingPong workload({.connections = 2, .requests = 150, .pace_us = 5000, .reconnect = reconnect},
                    ParseTcpEndpoint("127.0.0.1:" + std::to_string(port)).value(), "7");
  workload.Run(recorder, {});
  restarter.join();
  std::int64_t ok_after = 0;
  for (const auto& op : recorder.Take()) {
    if (op.type == OpType::kOk && op.time_ns + origin_ns > restarted_ns) ++ok_after;
  }
  return ok_after;
}

TEST(PingPongTest, AReconnectingLoadCarriesOnAfterTheServerRestarts) {
  EXPECT_GT(OkAfterARestart(true), 20);
  EXPECT_EQ(OkAfterARestart(false), 0);
}

TEST(PingPongTest, AServerThatNeverAnswersTimesOutAsInfo) {
  TestServer server({TestProg(), "silent", "PORT"});
  auto history =
      RunPingPong({.connections = 2, .requests = 5, .timeout_ms = 300}, server.Address());
  EXPECT_EQ(Errors(history)["no reply within 300 ms"], 2);
  EXPECT_EQ(ComputeStats(history).info, 2);
}

TEST(PingPongTest, StopRequestEndsTheFloodWithInfoCompletions) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  // Paced (10 ms per request): 2000 requests take 10 s, far longer than the stop takes to come.
  PingPong workload({.connections = 2, .requests = 1000, .pace_us = 10000},
                    ParseTcpEndpoint(server.Address()).value(), "7");
  std::stop_source stop;
  std::jthread stopper([&] {
    // Stops once a reply came back; gives up waiting (the test then fails) after 10 s.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (workload.progress().done.load() == 0 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop.request_stop();
  });
  workload.Run(recorder, stop.get_token());
  stopper.join();
  History history;
  history.MergeOps(recorder.Take());
  auto stats = ComputeStats(history);
  EXPECT_GT(stats.ok, 0);
  EXPECT_LT(stats.ok, 2000);
  EXPECT_EQ(stats.unfinished, 0);
  EXPECT_EQ(Errors(history)["stopped before completion"], 2);
}

}  // namespace
}  // namespace stampede
