// The network rule of a run (loopback only unless allowed; see workloads/loopback_policy.h)
// applied to a scenario before anything runs, so that `stampede validate` refuses what
// `stampede run` would refuse.
#pragma once

#include "core/status.h"
#include "scenario/scenario.h"
#include "workloads/workload.h"

namespace stampede {

// Checks every address the scenario's loads, actions and fault proxies would reach, exactly
// as a run does but with sample values for the run-time placeholders (ports, folders, seed).
// The first refused or malformed address is an InvalidInput naming the load, action or fault.
Status CheckScenarioAddresses(const Scenario& scenario, const NetworkPolicy& policy);

}  // namespace stampede
