// Load threads against a real server: every connection driven once, on the thread its range
// belongs to, and everything recorded comes back, in memory or through spill files.
#include "workloads/load_threads.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "checkers/mismatch_checker.h"
#include "checkers/stats.h"
#include "core/clock.h"
#include "history/op_merge.h"
#include "workloads/pingpong.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TargetPath;
using workload_test::TestServer;

TEST(LoadThreadsTest, TheDefaultLeavesHalfTheMachineToTheTargets) {
  EXPECT_EQ(DefaultLoadThreads(1), 1);
  EXPECT_EQ(DefaultLoadThreads(2), 1);
  EXPECT_EQ(DefaultLoadThreads(8), 4);
  EXPECT_EQ(ResolveLoadThreads(3, 10), 3);
  EXPECT_EQ(ResolveLoadThreads(16, 4), 4);  // never more threads than connections
  EXPECT_GE(ResolveLoadThreads(0, 100), 1);
}

TEST(LoadThreadsTest, ThreeThreadsDriveEveryConnectionOnceAndTheirOperationsComeBackInOrder) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  PingPong load({.connections = 8, .requests = 200, .pipeline = 2, .threads = 3},
                ParseTcpEndpoint(server.Address()).value(), "n");
  load.Run(recorder, {});
  History history;
  history.ops = recorder.Take();
  EXPECT_TRUE(std::is_sorted(history.ops.begin(), history.ops.end(),
                             [](const auto& a, const auto& b) { return a.time_ns < b.time_ns; }));
  const Stats stats = ComputeStats(history);
  EXPECT_EQ(stats.ops, 1600);
  EXPECT_EQ(stats.ok, 1600);
  EXPECT_EQ(stats.unfinished, 0);
  EXPECT_FALSE(CheckMismatches(history).has_value());
  std::set<int> clients;
  for (const auto& op : history.ops) clients.insert(op.client);
  EXPECT_EQ(clients, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(LoadThreadsTest, EachThreadSpillsToAFileOfItsOwn) {
  TestServer server({TargetPath("resp-server"), "--port", "PORT"});
  const auto dir = std::filesystem::temp_directory_path() /
                   ("stampede-load-threads-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  SpillFiles files(dir);
  HistoryWriter writer;
  OpRecorder recorder(writer, MonotonicNanos());
  ASSERT_TRUE(recorder.SpillTo(files).ok());
  PingPong load({.connections = 6, .requests = 100, .threads = 3},
                ParseTcpEndpoint(server.Address()).value(), "n");
  load.Run(recorder, {});
  recorder.StartNewClientRange();
  load.Run(recorder, {});                // a looping load's second run reuses the threads' files
  EXPECT_TRUE(recorder.Take().empty());  // nothing kept in memory
  ASSERT_TRUE(files.CloseAll().ok());
  ASSERT_EQ(files.paths().size(), 3u);
  std::vector<std::unique_ptr<OpSpillReader>> readers;
  std::vector<std::unique_ptr<SpillOpSource>> sources;
  std::vector<OpSource*> merged;
  for (const auto& path : files.paths()) {
    readers.push_back(std::make_unique<OpSpillReader>());
    ASSERT_TRUE(readers.back()->Open(path).ok());
    sources.push_back(std::make_unique<SpillOpSource>(*readers.back()));
    merged.push_back(sources.back().get());
  }
  StatsTally stats;
  MergeByTime(merged, [&](const Operation& op) { stats.Add(op); });
  EXPECT_EQ(stats.Result().ok, 1200);
  EXPECT_EQ(stats.Result().unfinished, 0);
  files.RemoveAll();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede
