#include "workloads/http_load.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/clock.h"
#include "test_paths.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TestServer;

TEST(HttpLoadTest, RendersMethodHeadersAndBodyWithTheSeq) {
  HttpRequestTemplate request{"POST",
                              "/data?n={seq}",
                              "127.0.0.1:80",
                              {{"Content-Type", "application/json"}},
                              "{{\"n\": {seq}}}",
                              ""};
  EXPECT_EQ(RenderHttpRequest(request, "7"),
            "POST /data?n=7 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUser-Agent: stampede\r\n"
            "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"n\": 7}");
  request.method = "DELETE";
  request.body = "";
  EXPECT_EQ(RenderHttpRequest(request, "1"),
            "DELETE /data?n=1 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUser-Agent: stampede\r\n"
            "Content-Type: application/json\r\n\r\n");
}

struct LoadResult {
  std::vector<Operation> ops;
  std::int64_t ok = 0, failed = 0, mismatched = 0;
};

LoadResult RunLoad(const HttpLoadSpec& spec, int port, const std::string& expect_body) {
  auto endpoint = ParseTcpEndpoint("127.0.0.1:" + std::to_string(port)).value();
  HttpRequestTemplate request{spec.method, spec.path, endpoint.display, {}, spec.body, expect_body};
  HttpLoad load(spec, endpoint, request);
  HistoryWriter writer;
  OpRecorder recorder(writer, 0);
  std::stop_source stop;
  load.Run(recorder, stop.get_token());
  LoadResult result{recorder.Take()};
  for (const auto& op : result.ops) {
    if (op.type == OpType::kOk) ++result.ok;
    if (op.type == OpType::kFail) ++result.failed;
    if (op.type == OpType::kOk && op.expected != op.got && !op.expected.empty()) {
      ++result.mismatched;
    }
  }
  return result;
}

TEST(HttpLoadTest, KeepAliveRequestsAreCheckedAgainstARealServer) {
  TestServer server({std::string(STAMPEDE_BINARY_DIR) + "/targets/http-server", "--port", "PORT"});
  HttpLoadSpec spec;
  spec.connections = 4;
  spec.requests = 25;
  spec.pipeline = 4;
  spec.path = "/echo?seq={seq}";
  auto echoed = RunLoad(spec, server.port(), "{seq}");
  EXPECT_EQ(echoed.ok, 100);
  EXPECT_EQ(echoed.mismatched, 0);
  auto wrong = RunLoad(spec, server.port(), "not-{seq}");
  EXPECT_EQ(wrong.ok, 100);
  EXPECT_EQ(wrong.mismatched, 100);
  spec.path = "/missing";
  auto missing = RunLoad(spec, server.port(), "");
  EXPECT_EQ(missing.failed, 100);
  ASSERT_FALSE(missing.ops.empty());
  EXPECT_EQ(missing.ops.back().error, "HTTP 404, expected 200");
}

// 400 requests at 2000/s over 4 connections: 200 ms on schedule, every invoke carrying the
// time it was due, one slot of the load every 0.5 ms.
TEST(HttpLoadTest, AnOpenLoopLoadSendsOnItsScheduleAndRecordsWhenEachRequestWasDue) {
  TestServer server({std::string(STAMPEDE_BINARY_DIR) + "/targets/http-server", "--port", "PORT"});
  HttpLoadSpec spec;
  spec.connections = 4;
  spec.requests = 100;
  spec.rate = 2000;
  const auto started = MonotonicNanos();
  auto result = RunLoad(spec, server.port(), "");
  const auto took_ms = (MonotonicNanos() - started) / 1'000'000;
  EXPECT_EQ(result.ok, 400);
  EXPECT_GE(took_ms, 195);  // 400 slots 0.5 ms apart cannot all be used sooner
  std::vector<std::int64_t> due;
  for (const auto& op : result.ops) {
    if (op.type != OpType::kInvoke) continue;
    ASSERT_GE(op.intended_ns, 0);
    EXPECT_GE(op.time_ns, op.intended_ns);  // sent at or after its slot
    due.push_back(op.intended_ns);
  }
  std::sort(due.begin(), due.end());
  ASSERT_EQ(due.size(), 400u);
  for (std::size_t i = 1; i < due.size(); ++i) {
    EXPECT_NEAR(due[i] - due[i - 1], 500'000, 1000) << i;
  }
}

TEST(HttpLoadTest, AServerThatClosesAfterItsAnswerEndsTheConnectionQuietly) {
  TestServer server({std::string(STAMPEDE_BINARY_DIR) + "/targets/http-server", "--port", "PORT"});
  HttpLoadSpec spec;
  spec.connections = 1;
  spec.requests = 0;  // no limit: only the server's close ends it
  spec.path = "/shutdown";
  auto result = RunLoad(spec, server.port(), "");
  EXPECT_EQ(result.ok, 1);
  EXPECT_EQ(result.failed, 0);
  EXPECT_EQ(result.ops.size(), 2u);
}

}  // namespace
}  // namespace stampede
