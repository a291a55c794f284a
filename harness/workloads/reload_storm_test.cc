#include "workloads/reload_storm.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <thread>

#include "supervisor/test_listener.h"
#include "workloads/storm_plan.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using supervisor_test::TestListener;
using workload_test::TargetPath;
using workload_test::TestServer;

ReloadStormSpec SmallStorm(int port) {
  ReloadStormSpec spec;
  spec.address = "127.0.0.1:" + std::to_string(port);
  spec.tabs = 3;
  spec.rounds = 5;
  spec.reload_after_ms = 60;
  spec.paths = {"/", "/echo?seq=1", "/slow?ms=100"};
  spec.requests_per_connection = 3;
  spec.probe_deadline_ms = 1000;
  return spec;
}

// Open file descriptors of this process.
int OpenDescriptors() {
  return static_cast<int>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                        std::filesystem::directory_iterator{}));
}

struct StormRun {
  explicit StormRun(const ReloadStormSpec& spec, std::uint64_t seed = 1)
      : storm(spec, ParseTcpEndpoint(spec.address).value(), seed) {}
  // Runs the storm; when a probe fails and the storm holds on (progress().stuck), counts the
  // descriptors open then (descriptors_while_stuck) and stops it, as the run does once it has
  // taken its evidence.
  void Run() {
    std::stop_source stop;
    std::jthread release([&](std::stop_token done) {
      while (!done.stop_requested() && !storm.progress().stuck.load(std::memory_order_acquire)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (done.stop_requested()) return;
      descriptors_while_stuck = OpenDescriptors();
      stop.request_stop();
    });
    storm.Run(recorder, stop.get_token());
    release.request_stop();
    release.join();
    ops = recorder.Take();
  }
  void Run(const std::stop_token& stop) {
    storm.Run(recorder, stop);
    ops = recorder.Take();
  }
  // Completions whose f starts with `prefix`, by type.
  std::map<OpType, int> Completions(const std::string& prefix) const {
    std::map<OpType, int> counts;
    for (const auto& op : ops) {
      if (op.type != OpType::kInvoke && op.f.rfind(prefix, 0) == 0) ++counts[op.type];
    }
    return counts;
  }
  std::map<std::string, int> Errors() const {
    std::map<std::string, int> errors;
    for (const auto& op : ops) {
      if (op.type == OpType::kFail || op.type == OpType::kInfo) ++errors[op.error];
    }
    return errors;
  }

  HistoryWriter writer;
  OpRecorder recorder{writer, 0};
  ReloadStorm storm;
  std::vector<Operation> ops;
  int descriptors_while_stuck = -1;
};

// Every invoke is completed exactly once, by the same (client, seq).
void ExpectWellFormed(const std::vector<Operation>& ops) {
  std::map<std::pair<int, std::int64_t>, int> open;
  for (const auto& op : ops) {
    auto key = std::make_pair(op.client, op.seq);
    if (op.type == OpType::kInvoke) {
      EXPECT_EQ(open[key]++, 0) << "second invoke of client " << op.client << " seq " << op.seq;
    } else {
      EXPECT_EQ(open[key]--, 1) << "completion without invoke: client " << op.client;
    }
  }
  for (const auto& [key, count] : open) {
    EXPECT_EQ(count, 0) << "client " << key.first << " seq " << key.second << " never completed";
  }
}

class ReloadStormBackendTest : public testing::TestWithParam<const char*> {};

TEST_P(ReloadStormBackendTest, ACorrectServerAnswersEveryProbe) {
  TestServer server({TargetPath("http-server"), "--port", "PORT", "--backend", GetParam()});
  StormRun run(SmallStorm(server.port()));
  run.Run();
  EXPECT_FALSE(run.storm.unresponsive().has_value()) << run.storm.unresponsive()->summary;
  ExpectWellFormed(run.ops);
  EXPECT_EQ(run.Completions("probe").at(OpType::kOk), 5);
  EXPECT_EQ(run.Completions("GET").count(OpType::kFail), 0u);
  EXPECT_GT(run.Completions("GET").at(OpType::kOk), 15);
  EXPECT_GT(run.Completions("GET").at(OpType::kInfo), 0) << "/slow is cut off by the reload";
  EXPECT_GT(run.Completions("preconnect").at(OpType::kOk), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReloadStormBackendTest,
                         testing::Values("epoll", "poll", "uring", "threads"));

TEST(ReloadStormTest, AnEventLoopThatStopsAcceptingFailsTheProbe) {
  TestServer server(
      {TargetPath("http-server"), "--port", "PORT", "--backend", "epoll", "--bug", "accept-once"});
  auto spec = SmallStorm(server.port());
  spec.rounds = 20;
  spec.paths = {"/"};  // answered at once by a server that accepted the connection
  StormRun run(spec);
  run.Run();
  ASSERT_TRUE(run.storm.unresponsive().has_value());
  const Unresponsive hang = *run.storm.unresponsive();
  EXPECT_EQ(hang.port, server.port());
  EXPECT_NE(hang.summary.find("did not answer a liveness probe (GET /) within 1000 ms after round"),
            std::string::npos)
      << hang.summary;
  EXPECT_NE(hang.summary.find("(no response: connected and sent the request, no answer)"),
            std::string::npos)
      << hang.summary;
  EXPECT_EQ(hang.details["probe_stage"], "no response");
  EXPECT_GE(hang.details["round"].get<int>(), 1);
  // Queued connections are taken out one per later arrival, so by the probe every requesting
  // connection may have been answered; what cannot be is the probe, queued last.
  EXPECT_GT(hang.details["storm"]["connections"].get<int>(), 0);
  ExpectWellFormed(run.ops);
  EXPECT_EQ(run.ops.back().f, "probe GET /");
  EXPECT_EQ(run.ops.back().type, OpType::kInfo);
  EXPECT_EQ(run.ops.back().error, "no response within 1000 ms");
}

TEST(ReloadStormTest, ATargetThatNeverAcceptsFailsTheFirstProbe) {
  TestListener listener;  // backlog 1: the handshake completes for the first few only
  auto spec = SmallStorm(listener.port);
  spec.rounds = 3;
  spec.probe_deadline_ms = 300;
  StormRun run(spec);
  run.Run();
  ASSERT_TRUE(run.storm.unresponsive().has_value());
  EXPECT_EQ(run.storm.unresponsive()->details["round"], 1);
  EXPECT_EQ(run.storm.unresponsive()->details["storm"]["answered"], 0);
  ExpectWellFormed(run.ops);
}

TEST(ReloadStormTest, ARefusedProbeEndsTheStormNamingTheProbeTheRoundAndTheStage) {
  int port = 0;
  {
    TestListener listener;
    port = listener.port;
  }
  auto spec = SmallStorm(port);
  spec.rounds = 2;
  StormRun run(spec);
  run.Run();
  ASSERT_TRUE(run.storm.unresponsive().has_value());
  const Unresponsive failed = *run.storm.unresponsive();
  EXPECT_EQ(failed.summary,
            "failed a liveness probe (GET /) after round 1 of 2: connect refused (connect: "
            "Connection refused)");
  EXPECT_EQ(failed.details["probe_stage"], "connect refused");
  EXPECT_EQ(failed.details["round"], 1);
  EXPECT_GT(failed.details["storm"]["refused"].get<int>(), 2);
  ExpectWellFormed(run.ops);
  EXPECT_EQ(run.Completions("probe").at(OpType::kFail), 1);
  EXPECT_EQ(run.Completions("GET").count(OpType::kOk), 0u);
}

// A probe only after the last round: nothing drains between rounds, and the final probe is the
// one that fails; a correct server answers it, and the figures count the storm.
TEST(ReloadStormTest, AFinalProbeOnlyRunsOnceAfterTheLastRound) {
  TestServer good({TargetPath("http-server"), "--port", "PORT", "--backend", "epoll"});
  auto spec = SmallStorm(good.port());
  spec.probe_at = ProbeAt::kEnd;
  spec.settle_ms = 50;
  StormRun pass(spec);
  pass.Run();
  EXPECT_FALSE(pass.storm.unresponsive().has_value()) << pass.storm.unresponsive()->summary;
  EXPECT_EQ(pass.Completions("probe").size(), 0u);
  EXPECT_EQ(pass.Completions("final probe GET /").at(OpType::kOk), 1);
  const auto figures = pass.storm.Figures()["storm"];
  EXPECT_EQ(figures["probes"], 1);
  EXPECT_GT(figures["connections"].get<int>(), spec.tabs * spec.rounds);
  EXPECT_GE(figures["peak_open"].get<int>(), spec.tabs);
  EXPECT_GT(figures["answered"].get<int>(), 0);

  TestServer buggy(
      {TargetPath("http-server"), "--port", "PORT", "--backend", "epoll", "--bug", "accept-once"});
  spec = SmallStorm(buggy.port());
  spec.rounds = 20;
  spec.paths = {"/"};
  spec.probe_at = ProbeAt::kEnd;
  spec.final_idle = IdleFate::kReset;
  StormRun fail(spec);
  fail.Run();
  ASSERT_TRUE(fail.storm.unresponsive().has_value());
  const Unresponsive failed = *fail.storm.unresponsive();
  EXPECT_EQ(failed.summary.rfind("did not answer the final liveness probe (GET /) within 1000 ms "
                                 "after the last of 20 rounds and 0 ms of settling (idle "
                                 "connections reset)",
                                 0),
            0u)
      << failed.summary;
  EXPECT_TRUE(failed.details["final_probe"].get<bool>());
  EXPECT_EQ(failed.details["storm"]["idle_open"], 0) << "reset before the final probe";
}

// While stuck the storm still holds every connection it left idle; they are released only when
// the run stops it (after taking its evidence).
TEST(ReloadStormTest, AStuckStormHoldsItsConnectionsUntilItIsStopped) {
  TestListener listener;  // backlog 1, never accepts
  auto spec = SmallStorm(listener.port);
  spec.rounds = 3;
  spec.abort_mix = {0, 0, 1};  // every connection left idle at the reload
  spec.probe_deadline_ms = 300;
  const int before = OpenDescriptors();
  StormRun run(spec);
  run.Run();
  ASSERT_TRUE(run.storm.unresponsive().has_value());
  const int idle = run.storm.unresponsive()->details["idle_connections_open"].get<int>();
  EXPECT_GT(idle, 0);
  EXPECT_GE(run.descriptors_while_stuck, before + idle);
  EXPECT_LE(OpenDescriptors(), before) << "released once stopped";
}

TEST(ReloadStormTest, TheReloadAbandonsRequestsTheWayTheMixSays) {
  TestServer server({TargetPath("http-server"), "--port", "PORT"});
  auto spec = SmallStorm(server.port());
  spec.paths = {"/slow?ms=2000"};  // every request is still in flight at the reload
  spec.preconnect = false;
  spec.abort_mix = {1, 0, 1};
  StormRun run(spec, 5);
  run.Run();
  EXPECT_FALSE(run.storm.unresponsive().has_value());
  ExpectWellFormed(run.ops);

  StormPlanner planner(spec, 5);
  std::map<std::string, int> planned;
  for (int round = 0; round < spec.rounds; ++round) {
    for (const auto& tab : planner.NextRound()) {
      for (auto kind : tab.aborts) {
        ++planned[std::string("abandoned by reload (") + ToString(kind) + ")"];
      }
    }
  }
  auto errors = run.Errors();
  errors.erase("");
  EXPECT_EQ(errors, planned);
}

TEST(ReloadStormTest, StopEndsTheStormQuickly) {
  TestServer server({TargetPath("http-server"), "--port", "PORT"});
  auto spec = SmallStorm(server.port());
  spec.rounds = 100000;
  StormRun run(spec);
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto started = MonoClock::now();
  run.Run(stop.get_token());
  EXPECT_LT(MonoClock::now() - started, std::chrono::seconds(5));
  ExpectWellFormed(run.ops);
}

}  // namespace
}  // namespace stampede
