#include "workloads/stop_load.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "supervisor/hang_evidence.h"
#include "test_paths.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TargetPath;
using workload_test::TestServer;

constexpr int kCycle = 4;

StopLoadSpec Spec(StopLoadProtocol protocol, const std::string& address) {
  StopLoadSpec spec;
  spec.protocol = protocol;
  spec.address = address;
  spec.request = protocol == StopLoadProtocol::kHttp ? "/" : "PING";
  spec.timeout_ms = 3000;
  return spec;
}

TcpEndpoint Endpoint(const std::string& address) {
  auto endpoint = ParseTcpEndpoint(address);
  EXPECT_TRUE(endpoint.ok());
  return endpoint.value();
}

// Waits (up to 5 s) until the connections accepted on 127.0.0.1:`port` are established and
// hold no unread data (/proc/net/tcp's rx_queue is 0); false when that did not happen in time.
bool ServerHasReadEverything(int port) {
  const std::string local = "127.0.0.1:" + std::to_string(port);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream table("/proc/net/tcp");
    int established = 0;
    int unread = 0;
    for (std::string line; std::getline(table, line);) {
      auto socket = ParseProcNetTcpLine(line);
      if (socket.is_null() || socket["local"] != local || socket["state"] != "ESTABLISHED") {
        continue;
      }
      ++established;
      unread += socket["unread_bytes"] != 0;
    }
    if (established > 0 && unread == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

// One cycle's load and the operations it records.
struct LoadRun {
  explicit LoadRun(const StopLoadSpec& spec) : load(spec, Endpoint(spec.address), kCycle) {}
  bool Open() { return load.Open(recorder, never.get_token()); }
  bool FinishBusy() { return load.FinishBusy(recorder, never.get_token()); }
  std::vector<Operation> Completions() {
    std::vector<Operation> completions;
    for (auto& op : recorder.Take()) {
      if (op.type != OpType::kInvoke) completions.push_back(std::move(op));
    }
    return completions;
  }

  HistoryWriter writer;
  OpRecorder recorder{writer, 0};
  std::stop_source never;
  StopLoad load;
};

TEST(StopLoadTest, AGracefulServerAnswersTheBusyRequestAfterTheStop) {
  TestServer server({TargetPath("http-server"), "--port", "PORT"});
  auto spec = Spec(StopLoadProtocol::kHttp, server.Address());
  spec.busy_connections = 1;
  spec.busy_request = "/slow?ms=300";
  spec.silent_connections = 1;
  LoadRun run(spec);
  EXPECT_TRUE(run.Open());
  server.child().Signal(SIGTERM);
  EXPECT_TRUE(run.FinishBusy());
  auto ops = run.recorder.Take();
  ASSERT_EQ(ops.size(), 8u);  // 2 idle + 1 busy + 1 silent, invoke and completion each
  for (const auto& op : ops) {
    EXPECT_EQ(op.seq, kCycle);
    if (op.type != OpType::kInvoke) {
      EXPECT_EQ(op.type, OpType::kOk) << op.f << ": " << op.error;
    }
  }
  EXPECT_EQ(ops.back().f, "GET /slow?ms=300") << "the busy answer comes last";
  EXPECT_EQ(ops.back().got, "200");
  EXPECT_TRUE(server.child().WaitFor(std::chrono::seconds(5)).has_value());
}

TEST(StopLoadTest, ABusyRequestCutOffByTheStopFailsOrIsInfoAsConfigured) {
  for (bool must_answer : {true, false}) {
    TestServer server({TargetPath("http-server"), "--port", "PORT"});
    auto spec = Spec(StopLoadProtocol::kHttp, server.Address());
    spec.idle_connections = 0;
    spec.busy_connections = 1;
    spec.busy_request = "/slow?ms=5000";
    spec.busy_must_answer = must_answer;
    LoadRun run(spec);
    EXPECT_TRUE(run.Open());
    // The server must have read the request first: unread data would turn the close into a
    // reset.
    ASSERT_TRUE(ServerHasReadEverything(server.port()));
    server.child().KillGroup();
    EXPECT_EQ(run.FinishBusy(), !must_answer);
    auto completions = run.Completions();
    ASSERT_EQ(completions.size(), 1u);
    EXPECT_EQ(completions[0].type, must_answer ? OpType::kFail : OpType::kInfo);
    EXPECT_EQ(completions[0].error, "connection closed before the answer");
  }
}

TEST(StopLoadTest, AnUnansweredIdleRequestFailsAfterTheTimeout) {
  TestServer server({STAMPEDE_TESTPROG, "silent", "PORT"});
  auto spec = Spec(StopLoadProtocol::kHttp, server.Address());
  spec.idle_connections = 1;
  spec.timeout_ms = 100;
  LoadRun run(spec);
  EXPECT_FALSE(run.Open());
  auto completions = run.Completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(completions[0].type, OpType::kFail);
  EXPECT_EQ(completions[0].error, "no answer within 100 ms");
}

TEST(StopLoadTest, GarbageIsAProtocolError) {
  TestServer server({STAMPEDE_TESTPROG, "garbage", "PORT"});
  auto spec = Spec(StopLoadProtocol::kHttp, server.Address());
  spec.idle_connections = 1;
  LoadRun run(spec);
  EXPECT_FALSE(run.Open());
  auto completions = run.Completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(completions[0].type, OpType::kFail);
  EXPECT_EQ(completions[0].error.rfind("protocol error: status line", 0), 0u)
      << completions[0].error;
}

TEST(StopLoadTest, RespRepliesAreJudgedAndAnErrorReplyFails) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  auto spec = Spec(StopLoadProtocol::kResp, server.Address());
  spec.idle_connections = 1;
  spec.busy_connections = 1;
  spec.busy_request = "NOSUCHCOMMAND x";
  LoadRun run(spec);
  EXPECT_TRUE(run.Open());
  EXPECT_FALSE(run.FinishBusy());
  auto completions = run.Completions();
  ASSERT_EQ(completions.size(), 2u);
  EXPECT_EQ(completions[0].type, OpType::kOk);
  EXPECT_EQ(completions[0].got, "PONG");
  EXPECT_EQ(completions[1].type, OpType::kFail);
  EXPECT_EQ(completions[1].error.rfind("-ERR", 0), 0u) << completions[1].error;
}

TEST(StopLoadTest, ARefusedConnectionFailsEveryRole) {
  auto port = AllocateLoopbackPorts(1).value().at(0);
  auto spec = Spec(StopLoadProtocol::kHttp, "127.0.0.1:" + std::to_string(port));
  spec.idle_connections = 1;
  spec.silent_connections = 1;
  LoadRun run(spec);
  EXPECT_FALSE(run.Open());
  auto completions = run.Completions();
  ASSERT_EQ(completions.size(), 2u);
  for (const auto& op : completions) {
    EXPECT_EQ(op.type, OpType::kFail);
    EXPECT_EQ(op.error, "connect: Connection refused");
  }
  EXPECT_EQ(completions[1].f, "connect");
}

}  // namespace
}  // namespace stampede
