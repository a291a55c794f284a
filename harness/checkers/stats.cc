#include "checkers/stats.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "checkers/latency_histogram.h"
#include "checkers/op_key.h"

namespace stampede {
namespace {

void CountCompletion(const Operation& op, Stats& stats) {
  switch (op.type) {
    case OpType::kOk:
      ++stats.ok;
      break;
    case OpType::kFail:
      ++stats.failed;
      break;
    case OpType::kInfo:
      ++stats.info;
      break;
    case OpType::kInvoke:
      break;
  }
}

LatencySummary Summarize(const LatencyHistogram& histogram, std::int64_t total_ns) {
  return {histogram.Percentile(50), histogram.Percentile(90), histogram.Percentile(99),
          histogram.Max(),
          static_cast<double>(total_ns) / 1000.0 / static_cast<double>(histogram.Count())};
}

// Keeps the kMaxReasons most common reasons and sums the rest under "(other reasons)".
void TrimReasons(std::map<std::string, std::int64_t>& reasons) {
  constexpr std::size_t kMaxReasons = 20;
  if (reasons.size() <= kMaxReasons) return;
  std::vector<std::pair<std::int64_t, std::string>> by_count;
  for (auto& [reason, count] : reasons) by_count.emplace_back(-count, reason);
  std::sort(by_count.begin(), by_count.end());
  std::int64_t other = 0;
  for (std::size_t i = kMaxReasons; i < by_count.size(); ++i) {
    other -= by_count[i].first;
    reasons.erase(by_count[i].second);
  }
  reasons["(other reasons)"] += other;
}

double Throughput(std::int64_t completions, std::int64_t span_ns) {
  if (completions == 0 || span_ns <= 0) return 0.0;
  return static_cast<double>(completions) * 1e9 / static_cast<double>(span_ns);
}

}  // namespace

Stats ComputeStats(const History& history) {
  return ComputeStats(history, StatsScope{});
}

namespace {

bool InScope(const Operation& op, const StatsScope& scope) {
  switch (scope.kind) {
    case StatsScope::Kind::kAll:
      return true;
    case StatsScope::Kind::kLoads:
      return op.stream != kNemesisStream;
    case StatsScope::Kind::kStream:
      return op.stream == scope.stream;
  }
  return true;
}

}  // namespace

std::vector<std::string> LoadStreamNames(const History& history) {
  std::vector<std::string> names;
  for (const Operation& op : history.ops) {
    if (op.stream.empty() || op.stream == kNemesisStream) continue;
    if (std::find(names.begin(), names.end(), op.stream) == names.end()) names.push_back(op.stream);
  }
  return names;
}

Stats ComputeStats(const History& history, const StatsScope& scope) {
  Stats stats;
  std::unordered_map<OpKey, std::int64_t, OpKeyHash> invoked_ns;  // outstanding invokes
  LatencyHistogram histogram;
  std::int64_t total_ns = 0;           // exact sum of ok latencies, for the mean
  std::int64_t duplicate_invokes = 0;  // invokes of a (client, seq) already outstanding
  std::optional<std::int64_t> first_invoke_ns, last_completion_ns;
  for (const Operation& op : history.ops) {
    if (!InScope(op, scope)) continue;
    if (op.type == OpType::kInvoke) {
      ++stats.ops;
      if (!first_invoke_ns) first_invoke_ns = op.time_ns;
      if (!invoked_ns.emplace(KeyOf(op), op.time_ns).second) ++duplicate_invokes;
      continue;
    }
    CountCompletion(op, stats);
    if (op.type != OpType::kOk) ++stats.errors_by_reason[op.error];
    last_completion_ns = op.time_ns;
    auto invoke = invoked_ns.find(KeyOf(op));
    if (invoke == invoked_ns.end()) continue;
    if (op.type == OpType::kOk) {
      histogram.Record((op.time_ns - invoke->second) / 1000);
      total_ns += op.time_ns - invoke->second;
    }
    invoked_ns.erase(invoke);
  }
  stats.unfinished = static_cast<std::int64_t>(invoked_ns.size()) + duplicate_invokes;
  TrimReasons(stats.errors_by_reason);
  if (histogram.Count() > 0) stats.latency_us = Summarize(histogram, total_ns);
  if (first_invoke_ns && last_completion_ns) {
    stats.throughput_ops_s =
        Throughput(stats.ok + stats.failed + stats.info, *last_completion_ns - *first_invoke_ns);
  }
  return stats;
}

void to_json(nlohmann::json& j, const Stats& stats) {
  nlohmann::json latency = {
      {"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  if (stats.latency_us) {
    latency = {{"p50", stats.latency_us->p50},
               {"p90", stats.latency_us->p90},
               {"p99", stats.latency_us->p99},
               {"max", stats.latency_us->max},
               {"mean", stats.latency_us->mean}};
  }
  j = {{"ops", stats.ops},
       {"ok", stats.ok},
       {"failed", stats.failed},
       {"info", stats.info},
       {"unfinished", stats.unfinished},
       {"latency_us", std::move(latency)},
       {"errors_by_reason", stats.errors_by_reason},
       {"throughput_ops_s", stats.throughput_ops_s}};
}

}  // namespace stampede
