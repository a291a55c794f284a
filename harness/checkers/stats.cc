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

// Counts one more `reason`; past kMaxDistinctReasons distinct ones, new ones count under
// "(other reasons)".
void CountReason(const std::string& reason, std::map<std::string, std::int64_t>& reasons) {
  constexpr std::size_t kMaxDistinctReasons = 10000;
  auto it = reasons.find(reason);
  if (it != reasons.end()) {
    ++it->second;
  } else if (reasons.size() < kMaxDistinctReasons) {
    reasons.emplace(reason, 1);
  } else {
    ++reasons["(other reasons)"];
  }
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
  StatsTally tally(scope);
  for (const Operation& op : history.ops) tally.Add(op);
  return tally.Result();
}

void StatsTally::Add(const Operation& op) {
  if (!InScope(op, scope_)) return;
  if (op.type == OpType::kInvoke) {
    ++stats_.ops;
    if (!first_invoke_ns_) first_invoke_ns_ = op.time_ns;
    if (!invoked_.emplace(StableKeyOf(op, names_), Invoked{op.time_ns, op.intended_ns}).second) {
      ++duplicate_invokes_;
    }
    return;
  }
  CountCompletion(op, stats_);
  if (op.type == OpType::kFail) CountReason(op.error, stats_.errors_by_reason);
  if (op.type == OpType::kInfo) CountReason(op.error, stats_.info_by_reason);
  last_completion_ns_ = op.time_ns;
  auto invoke = invoked_.find(KeyOf(op));
  if (invoke == invoked_.end()) return;
  if (op.type == OpType::kOk) {
    const Invoked& from = invoke->second;
    uncorrected_.Record(op.time_ns - from.time_ns);
    corrected_.Record(op.time_ns - (from.intended_ns >= 0 ? from.intended_ns : from.time_ns));
    scheduled_ = scheduled_ || from.intended_ns >= 0;
  }
  invoked_.erase(invoke);
}

Stats StatsTally::Result() const {
  Stats stats = stats_;
  stats.unfinished = static_cast<std::int64_t>(invoked_.size()) + duplicate_invokes_;
  TrimReasons(stats.errors_by_reason);
  TrimReasons(stats.info_by_reason);
  if (corrected_.histogram.Count() > 0) {
    stats.latency_us = Summarize(corrected_.histogram, corrected_.total_ns);
  }
  if (scheduled_) {
    stats.latency_uncorrected_us = Summarize(uncorrected_.histogram, uncorrected_.total_ns);
  }
  if (first_invoke_ns_ && last_completion_ns_) {
    stats.throughput_ops_s =
        Throughput(stats.ok + stats.failed + stats.info, *last_completion_ns_ - *first_invoke_ns_);
  }
  return stats;
}

namespace {

nlohmann::json LatencyJson(const std::optional<LatencySummary>& latency) {
  if (!latency) {
    return {
        {"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  }
  return {{"p50", latency->p50},
          {"p90", latency->p90},
          {"p99", latency->p99},
          {"max", latency->max},
          {"mean", latency->mean}};
}

}  // namespace

void to_json(nlohmann::json& j, const Stats& stats) {
  nlohmann::json latency = LatencyJson(stats.latency_us);
  j = {{"ops", stats.ops},
       {"ok", stats.ok},
       {"failed", stats.failed},
       {"info", stats.info},
       {"unfinished", stats.unfinished},
       {"latency_us", std::move(latency)},
       {"errors_by_reason", stats.errors_by_reason},
       {"info_by_reason", stats.info_by_reason},
       {"throughput_ops_s", stats.throughput_ops_s}};
  if (stats.latency_uncorrected_us) {
    j["latency_uncorrected_us"] = LatencyJson(stats.latency_uncorrected_us);
  }
}

}  // namespace stampede
