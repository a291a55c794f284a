// The workload section of a scenario: one of the known workload types.
#pragma once

#include <string>
#include <variant>

#include "scenario/object_reader.h"
#include "workloads/client_run_spec.h"
#include "workloads/http_load_spec.h"
#include "workloads/line_script_spec.h"
#include "workloads/parallel_requests_spec.h"
#include "workloads/pingpong_spec.h"
#include "workloads/reload_storm_spec.h"
#include "workloads/rpc_spec.h"
#include "workloads/start_stop_spec.h"

namespace stampede {

using WorkloadSpec = std::variant<ParallelRequestsSpec, PingPongSpec, RpcSpec, StartStopSpec,
                                  ReloadStormSpec, ClientRunSpec, HttpLoadSpec, LineScriptSpec>;

// The `type` names, in the order of the variant's alternatives.
const char* WorkloadTypeName(const WorkloadSpec& spec);

// The load reopens lost connections (`"reconnect": true`); false for the workloads that have
// no such option.
bool Reconnects(const WorkloadSpec& spec);

// Reads an open-loop load's `rate` (requests per second, 0..1e8) into `rate`; a rate together with
// pacing (`pace_key` non-zero, `pace`) is an error.
void ReadRate(ObjectReader& reader, double& rate, const char* pace_key, std::int64_t pace);

// The requests per second an open-loop load asked for (its `rate`); 0 when it runs closed loop.
double AskedRate(const WorkloadSpec& spec);

// Reads a workload object; an unknown type is reported on `reader`.
WorkloadSpec ReadWorkloadSpec(ObjectReader& reader);

}  // namespace stampede
