// A scenario's target made ready to launch: placeholders of its command and environment
// expanded with the run's values and its own {port}.
#pragma once

#include "core/status.h"
#include "scenario/placeholders.h"
#include "scenario/scenario.h"
#include "supervisor/supervisor.h"

namespace stampede {

// An InvalidInput naming the placeholder when one cannot be expanded.
Result<ResolvedTarget> ResolveTarget(const TargetSpec& spec, int port, PlaceholderValues values);

}  // namespace stampede
