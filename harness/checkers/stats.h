// Run statistics computed from a history: operation counts, latency and throughput.
//
// Pure function of the history; requires history.ops sorted by time_ns (History's invariant).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "history/history.h"

namespace stampede {

// Latency in microseconds. p50/p90/p99 come from a LatencyHistogram (within 0.4%); max is exact
// (truncated to whole us); mean is exact, computed from nanoseconds.
struct LatencySummary {
  std::int64_t p50 = 0;
  std::int64_t p90 = 0;
  std::int64_t p99 = 0;
  std::int64_t max = 0;
  double mean = 0.0;
};

struct Stats {
  std::int64_t ops = 0;         // invokes
  std::int64_t ok = 0;          // ok completions
  std::int64_t failed = 0;      // fail completions
  std::int64_t info = 0;        // info completions (outcome unknown)
  std::int64_t unfinished = 0;  // invokes never completed
  // Latency of ok operations only (fail and info latencies mostly measure timeouts and
  // refusals); nullopt when there was no ok operation.
  std::optional<LatencySummary> latency_us;
  // How many fail and info completions carried each error message ("connection reset by
  // peer", "no reply within 5000 ms", ...): a client's view of dropped connections. The 20
  // most common are kept; the rest are summed under "(other reasons)".
  std::map<std::string, std::int64_t> errors_by_reason;
  // (ok + failed + info) per second over [first invoke, last completion]; 0 when that span is
  // empty or there is no completion.
  double throughput_ops_s = 0.0;
};

// Pairs each invoke with its completion by (client, seq). The latency of an ok operation is
// completion.time_ns - invoke.time_ns, truncated to whole microseconds. Completions count by
// type even when malformed (no outstanding invoke), but then give no latency; a second invoke of
// an outstanding (client, seq) counts in `ops` and never completes.
Stats ComputeStats(const History& history);

// Which operations a Stats counts.
struct StatsScope {
  enum class Kind { kAll, kLoads, kStream } kind = Kind::kAll;
  std::string stream;  // kStream: this stream's operations only
};

// ComputeStats over the operations in `scope`: kLoads leaves out the nemesis's actions.
Stats ComputeStats(const History& history, const StatsScope& scope);

// The names of the load streams in the history (not the nemesis), in order of first operation.
std::vector<std::string> LoadStreamNames(const History& history);

// {"ops","ok","failed","info","unfinished","latency_us":{"p50","p90","p99","max","mean"},
//  "errors_by_reason": {message: count}, "throughput_ops_s"}; every latency_us field is null when
//  latency_us is nullopt.
void to_json(nlohmann::json& j, const Stats& stats);

}  // namespace stampede
