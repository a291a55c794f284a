// A workload drives clients against the running targets and records every operation.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>

#include "core/status.h"
#include "history/history.h"
#include "scenario/placeholders.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload_spec.h"

namespace stampede {

// Live counters a workload keeps for a progress display; written by the load thread,
// read by anyone (relaxed atomics: approximate by design).
struct WorkloadProgress {
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> errors{0};
  // Set (release) when the workload found a target unresponsive and holds its connections
  // open until it is stopped, so the evidence shows the target as the load left it; its
  // unresponsive() may then be read (acquire) while Run still waits.
  std::atomic<bool> stuck{false};
};

// A target that stopped answering, as a workload found it (a liveness probe went unanswered).
struct Unresponsive {
  int port = 0;         // where the workload reached it
  std::string summary;  // one line without the target's name, e.g. "did not answer a liveness
                        // probe (GET /) within 2000 ms after round 3 of 20"
  nlohmann::json details = nlohmann::json::object();  // the workload's figures, for the evidence
};

class Workload {
 public:
  virtual ~Workload() = default;
  // Runs on the calling thread until the workload is complete or `stop` is requested,
  // recording every operation through `recorder` (owned by the calling thread).
  virtual void Run(OpRecorder& recorder, const std::stop_token& stop) = 0;
  WorkloadProgress& progress() { return progress_; }
  // Set when Run ended early because a target stopped answering; read after Run returned, or
  // once progress().stuck is set.
  virtual std::optional<Unresponsive> unresponsive() const { return std::nullopt; }
  // The workload's own figures of its last run for the verdict's stats (the reload storm's
  // connection counts); null when it has none. Read after Run returned.
  virtual nlohmann::json Figures() const { return nullptr; }

 protected:
  WorkloadProgress progress_;
};

// Where a workload may send traffic. Loopback only unless the user allowed more.
struct NetworkPolicy {
  bool allow_remote = false;
};

// The endpoint of a raw TCP workload ("HOST:PORT" with run-time placeholders), refused outside
// loopback under a loopback-only policy (InvalidInput).
Result<TcpEndpoint> ResolveEndpoint(const std::string& address_template,
                                    const PlaceholderValues& values, const NetworkPolicy& policy);

// Builds the workload for `spec`, expanding its run-time placeholders with `values`.
// A URL outside loopback under a loopback-only policy is an InvalidInput.
Result<std::unique_ptr<Workload>> MakeWorkload(const WorkloadSpec& spec,
                                               const PlaceholderValues& values,
                                               const NetworkPolicy& policy);

}  // namespace stampede
