// Run statistics computed from a history: operation counts, latency and throughput.
//
// Pure function of the history; requires history.ops sorted by time_ns (History's invariant).
// Streaming: StatsTally sees each operation once, in history order, with memory bounded by the
// operations outstanding and the distinct error messages (at most 10,000 told apart).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "checkers/latency_histogram.h"
#include "checkers/op_key.h"
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
  // refusals); nullopt when there was no ok operation. An operation of an open-loop load counts
  // from its invoke's intended_ns (corrected for coordinated omission), others from the invoke.
  std::optional<LatencySummary> latency_us;
  // The same latencies all counted from the invoke (uncorrected); set only when some ok
  // operation had an intended time.
  std::optional<LatencySummary> latency_uncorrected_us;
  // How many fail completions carried each error message ("connection reset by peer",
  // "connect: Connection refused", ...): a client's view of dropped connections. The 20 most
  // common are kept; the rest are summed under "(other reasons)".
  std::map<std::string, std::int64_t> errors_by_reason;
  // The same for info completions, whose outcome is unknown ("no reply within 5000 ms",
  // "stopped before completion"): not errors, so kept apart.
  std::map<std::string, std::int64_t> info_by_reason;
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

// ComputeStats one operation at a time.
class StatsTally {
 public:
  explicit StatsTally(StatsScope scope = {}) : scope_(std::move(scope)) {}
  void Add(const Operation& op);
  // What ComputeStats returns for the operations added so far.
  Stats Result() const;

 private:
  StatsScope scope_;
  Stats stats_;
  StreamNames names_;
  struct Invoked {
    std::int64_t time_ns = 0;
    std::int64_t intended_ns = -1;
  };
  // The latencies of ok operations, one way of counting.
  struct Latencies {
    void Record(std::int64_t ns) {
      histogram.Record(ns / 1000);
      total_ns += ns;
    }
    LatencyHistogram histogram;
    std::int64_t total_ns = 0;  // exact sum, for the mean
  };
  std::unordered_map<OpKey, Invoked, OpKeyHash> invoked_;  // outstanding invokes
  Latencies corrected_;
  Latencies uncorrected_;
  bool scheduled_ = false;              // some ok operation had an intended time
  std::int64_t duplicate_invokes_ = 0;  // invokes of a (client, seq) already outstanding
  std::optional<std::int64_t> first_invoke_ns_, last_completion_ns_;
};

// The names of the load streams in the history (not the nemesis), in order of first operation.
std::vector<std::string> LoadStreamNames(const History& history);

// {"ops","ok","failed","info","unfinished","latency_us":{"p50","p90","p99","max","mean"},
//  "errors_by_reason": {message: count}, "info_by_reason": {message: count},
//  "throughput_ops_s"}; every latency_us field is null when
//  latency_us is nullopt.
void to_json(nlohmann::json& j, const Stats& stats);

}  // namespace stampede
