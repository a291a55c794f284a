#include "checkers/stats.h"

#include <gtest/gtest.h>

#include "checkers/test_history.h"

namespace stampede {
namespace {

using namespace history_test;

TEST(StatsTest, EmptyHistory) {
  Stats stats = ComputeStats(History{});
  EXPECT_EQ(stats.ops, 0);
  EXPECT_EQ(stats.unfinished, 0);
  EXPECT_FALSE(stats.latency_us.has_value());
  EXPECT_EQ(stats.throughput_ops_s, 0.0);
}

// An open-loop invoke counts from when it was due; the uncorrected figures from when it went.
TEST(StatsTest, OpenLoopLatencyCountsFromTheIntendedTime) {
  History history;
  Operation late = Invoke(100, 1, 1);
  late.intended_ns = 40'000'000;  // due at 40 ms, sent at 100 ms
  Operation on_time = Invoke(100, 2, 1);
  on_time.intended_ns = 100'000'000;
  history.ops = {late, on_time, Ok(110, 1, 1), Ok(110, 2, 1)};
  Stats stats = ComputeStats(history);
  ASSERT_TRUE(stats.latency_us && stats.latency_uncorrected_us);
  EXPECT_EQ(stats.latency_us->max, 70'000);
  EXPECT_DOUBLE_EQ(stats.latency_us->mean, 40'000.0);
  EXPECT_EQ(stats.latency_uncorrected_us->max, 10'000);
  EXPECT_DOUBLE_EQ(stats.latency_uncorrected_us->mean, 10'000.0);
  // A closed-loop history has no uncorrected figures.
  history.ops = {Invoke(100, 1, 1), Ok(110, 1, 1)};
  EXPECT_FALSE(ComputeStats(history).latency_uncorrected_us.has_value());
}

TEST(StatsTest, CountsEveryOutcome) {
  History history;
  history.ops = {Invoke(0, 1, 1),          Invoke(0, 2, 1), Invoke(0, 3, 1),
                 Invoke(0, 4, 1),          Ok(10, 1, 1),    Fail(20, 2, 1, "reset"),
                 Info(30, 3, 1, "timeout")};

  Stats stats = ComputeStats(history);

  EXPECT_EQ(stats.ops, 4);
  EXPECT_EQ(stats.ok, 1);
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(stats.info, 1);
  EXPECT_EQ(stats.unfinished, 1);
  EXPECT_EQ(stats.errors_by_reason, (std::map<std::string, std::int64_t>{{"reset", 1}}));
  EXPECT_EQ(stats.info_by_reason, (std::map<std::string, std::int64_t>{{"timeout", 1}}));
}

TEST(StatsTest, ErrorReasonsBeyondTheMostCommonAreSummedUp) {
  History history;
  for (int client = 0; client < 30; ++client) {
    for (int seq = 0; seq <= client; ++seq) {
      history.ops.push_back(Invoke(0, client, seq));
      history.ops.push_back(Fail(1, client, seq, "reason " + std::to_string(client)));
    }
  }
  Stats stats = ComputeStats(history);
  ASSERT_EQ(stats.errors_by_reason.size(), 21u);
  EXPECT_EQ(stats.errors_by_reason["reason 29"], 30);
  EXPECT_EQ(stats.errors_by_reason["reason 10"], 11);
  EXPECT_EQ(stats.errors_by_reason.count("reason 9"), 0u);
  EXPECT_EQ(stats.errors_by_reason["(other reasons)"], 55);  // 1 + 2 + ... + 10
}

TEST(StatsTest, LatencyCountsOkOperationsOnly) {
  History history;
  history.ops = {Invoke(0, 1, 1), Invoke(0, 2, 1), Ok(4, 1, 1), Info(5000, 2, 1, "timeout")};

  Stats stats = ComputeStats(history);

  ASSERT_TRUE(stats.latency_us.has_value());
  EXPECT_EQ(stats.latency_us->max, 4000);
  EXPECT_EQ(stats.latency_us->p99, 4000);
  EXPECT_DOUBLE_EQ(stats.latency_us->mean, 4000.0);
}

TEST(StatsTest, PairsOutOfOrderCompletionsByClientAndSeq) {
  History history;
  // Client 1 seq 1 takes 30 ms, client 2 seq 1 takes 10 ms, client 1 seq 2 takes 20 ms.
  history.ops = {Invoke(0, 1, 1), Invoke(0, 2, 1), Invoke(10, 1, 2),
                 Ok(10, 2, 1),    Ok(30, 1, 2),    Ok(30, 1, 1)};

  Stats stats = ComputeStats(history);

  ASSERT_TRUE(stats.latency_us.has_value());
  EXPECT_NEAR(stats.latency_us->p50, 20'000, 100);  // histogram precision
  EXPECT_EQ(stats.latency_us->max, 30'000);
  EXPECT_DOUBLE_EQ(stats.latency_us->mean, 20'000.0);
  EXPECT_EQ(stats.unfinished, 0);
}

TEST(StatsTest, LatencyTruncatesToWholeMicroseconds) {
  History history;
  Operation invoke = Invoke(0, 1, 1);
  Operation ok = Ok(0, 1, 1);
  ok.time_ns = 1'999;
  history.ops = {invoke, ok};

  Stats stats = ComputeStats(history);

  ASSERT_TRUE(stats.latency_us.has_value());
  EXPECT_EQ(stats.latency_us->max, 1);
  EXPECT_DOUBLE_EQ(stats.latency_us->mean, 1.999);
}

TEST(StatsTest, ThroughputIsCompletionsPerSecondFromFirstInvokeToLastCompletion) {
  History history;
  history.ops = {Invoke(1000, 1, 1),    Ok(1500, 1, 1),     Invoke(1500, 1, 2),
                 Fail(2000, 1, 2, "x"), Invoke(2000, 1, 3), Info(3000, 1, 3, "timeout"),
                 Invoke(3000, 1, 4)};

  Stats stats = ComputeStats(history);

  EXPECT_DOUBLE_EQ(stats.throughput_ops_s, 1.5);  // 3 completions over 2 s
}

TEST(StatsTest, ThroughputIsZeroForEmptySpan) {
  History history;
  history.ops = {Invoke(5, 1, 1), Ok(5, 1, 1)};
  EXPECT_EQ(ComputeStats(history).throughput_ops_s, 0.0);
  history.ops = {Invoke(5, 1, 1)};
  EXPECT_EQ(ComputeStats(history).throughput_ops_s, 0.0);
}

TEST(StatsTest, MalformedRecordsAreCountedWithoutLatency) {
  History history;
  history.ops = {Invoke(0, 1, 1), Invoke(1, 1, 1), Ok(2, 9, 9), Ok(3, 1, 1)};

  Stats stats = ComputeStats(history);

  EXPECT_EQ(stats.ops, 2);
  EXPECT_EQ(stats.ok, 2);
  EXPECT_EQ(stats.unfinished, 1);  // the second invoke of client 1 seq 1
  ASSERT_TRUE(stats.latency_us.has_value());
  EXPECT_EQ(stats.latency_us->max, 3000);
}

TEST(StatsTest, JsonHasNullLatencyWithoutOkOperations) {
  History history;
  history.ops = {Invoke(0, 1, 1), Fail(1000, 1, 1, "refused")};

  nlohmann::json j = ComputeStats(history);

  EXPECT_EQ(j, nlohmann::json::parse(R"({
    "ops": 1, "ok": 0, "failed": 1, "info": 0, "unfinished": 0,
    "latency_us": {"p50": null, "p90": null, "p99": null, "max": null, "mean": null},
    "errors_by_reason": {"refused": 1}, "info_by_reason": {}, "throughput_ops_s": 1.0})"));
}

TEST(StatsTest, JsonCarriesLatency) {
  Stats stats;
  stats.ops = 3;
  stats.ok = 3;
  stats.latency_us = LatencySummary{10, 20, 30, 40, 12.5};
  stats.throughput_ops_s = 100.0;

  nlohmann::json j = stats;

  EXPECT_EQ(j["latency_us"],
            nlohmann::json::parse(R"({"p50": 10, "p90": 20, "p99": 30, "max": 40, "mean": 12.5})"));
  EXPECT_EQ(j["throughput_ops_s"], 100.0);
  EXPECT_EQ(j["errors_by_reason"], nlohmann::json::object());
  EXPECT_EQ(j.size(), 9u);
}

}  // namespace
}  // namespace stampede
