#include "workloads/parallel_requests.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "checkers/errors_checker.h"
#include "checkers/mismatch_checker.h"
#include "checkers/stats.h"
#include "core/clock.h"
#include "test_paths.h"
#include "workloads/loopback_policy.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using Server = workload_test::TestServer;

History RunWorkload(ParallelRequestsSpec spec, const std::string& url) {
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  ParallelRequests workload(spec, url);
  std::stop_source never;
  workload.Run(recorder, never.get_token());
  History history;
  history.MergeOps(recorder.Take());
  return history;
}

std::string HttpServer() {
  return workload_test::TargetPath("http-server");
}

TEST(ParallelRequestsTest, EveryRequestSucceedsAndEchoesItsSequence) {
  Server server({HttpServer(), "--port", "PORT", "--backend", "epoll"});
  ParallelRequestsSpec spec;
  spec.requests = 100;
  spec.rounds = 2;
  spec.echo = EchoCheck::kHeader;
  auto history = RunWorkload(spec, server.Url("/echo?seq={seq}"));
  auto stats = ComputeStats(history);
  EXPECT_EQ(stats.ops, 200);
  EXPECT_EQ(stats.ok, 200);
  EXPECT_FALSE(CheckMismatches(history).has_value());
  EXPECT_FALSE(CheckErrors(history, {}).has_value());
  std::set<std::int64_t> seqs;
  for (const auto& op : history.ops) {
    if (op.type == OpType::kOk) {
      seqs.insert(op.seq);
      EXPECT_EQ(op.got, std::to_string(op.seq));
      EXPECT_GT(op.connection, 0) << "the local port identifies the connection";
    }
  }
  EXPECT_EQ(seqs.size(), 200u);
}

// A server that answers but does not echo: the echo check must notice.
TEST(ParallelRequestsTest, WrongEchoIsAMismatch) {
  Server server({STAMPEDE_TESTPROG, "serve", "PORT"});
  ParallelRequestsSpec spec;
  spec.requests = 10;
  spec.echo = EchoCheck::kBody;
  auto history = RunWorkload(spec, server.Url("/echo?seq={seq}"));
  auto mismatch = CheckMismatches(history);
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->evidence["count"], 10);
  EXPECT_EQ(mismatch->evidence["first"][0]["got"], "ok\n");
}

TEST(ParallelRequestsTest, NobodyListeningIsRecordedAsFailures) {
  int port = AllocateLoopbackPorts(1).value().at(0);
  ParallelRequestsSpec spec;
  spec.requests = 5;
  auto history = RunWorkload(spec, "http://127.0.0.1:" + std::to_string(port) + "/echo?seq={seq}");
  auto errors = CheckErrors(history, {});
  ASSERT_TRUE(errors.has_value());
  EXPECT_EQ(errors->evidence["failed"], 5);
}

TEST(ParallelRequestsTest, StopRequestEndsTheRunWithInfoOperations) {
  Server server({HttpServer(), "--port", "PORT", "--backend", "epoll"});
  ParallelRequestsSpec spec;
  spec.requests = 5;
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  ParallelRequests workload(spec, server.Url("/slow?ms=20000&seq={seq}"));
  std::stop_source stop;
  std::jthread stopper([&] {
    auto deadline = MonoClock::now() + std::chrono::seconds(10);
    while (workload.progress().in_flight.load() == 0 && MonoClock::now() < deadline) {
      poll(nullptr, 0, 10);
    }
    stop.request_stop();
  });
  workload.Run(recorder, stop.get_token());
  History history;
  history.MergeOps(recorder.Take());
  auto stats = ComputeStats(history);
  EXPECT_EQ(stats.info, 5);
  EXPECT_EQ(stats.unfinished, 0);
}

TEST(LoopbackPolicyTest, OnlyLoopbackUnlessAllowed) {
  EXPECT_TRUE(CheckUrlAllowed("http://127.0.0.1:80/x", false).ok());
  EXPECT_TRUE(CheckUrlAllowed("http://127.1.2.3/x", false).ok());
  EXPECT_TRUE(CheckUrlAllowed("http://localhost:8080/", false).ok());
  EXPECT_TRUE(CheckUrlAllowed("http://[::1]:8080/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://10.0.0.1/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://example.com/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://128.0.0.1/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://126.255.255.255/", false).ok());
  EXPECT_TRUE(CheckUrlAllowed("http://127.255.255.254/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://[fe80::1]:8080/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://[2001:db8::1]/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("http://[::ffff:10.0.0.1]/", false).ok());
  EXPECT_TRUE(CheckUrlAllowed("http://10.0.0.1/", true).ok());
  EXPECT_FALSE(CheckUrlAllowed("ftp://127.0.0.1/", false).ok());
  EXPECT_FALSE(CheckUrlAllowed("not a url", false).ok());
}

}  // namespace
}  // namespace stampede
