// A scenario's target made ready to launch: placeholders of its command and environment
// expanded with the run's values and its own {port}.
#pragma once

#include "core/status.h"
#include "scenario/placeholders.h"
#include "scenario/scenario.h"
#include "supervisor/supervisor.h"

namespace stampede {

// The loopback ports of a run, in the order of the scenario's targets and of its faults.
struct RunPorts {
  std::vector<int> targets;
  std::vector<int> faults;
};

// Allocates a free loopback port for each target, each of its extra ports and each fault
// proxy, and sets "NAME.port" (and "NAME.EXTRA.port") in `values`.
Result<RunPorts> AllocateRunPorts(const Scenario& scenario, PlaceholderValues& values);

// An InvalidInput naming the placeholder when one cannot be expanded; an EnvironmentError when
// the target is line_buffered and LineBufferedEnvironment fails.
Result<ResolvedTarget> ResolveTarget(const TargetSpec& spec, int port, PlaceholderValues values);

}  // namespace stampede
