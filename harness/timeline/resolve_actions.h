// Actions as the nemesis fires them: a scenario's ActionSpecs with their run-time placeholders
// expanded, send addresses resolved (under the network policy) and send requests encoded.
#pragma once

#include <vector>

#include "core/status.h"
#include "scenario/placeholders.h"
#include "timeline/action_spec.h"
#include "timeline/nemesis.h"
#include "workloads/workload.h"

namespace stampede {

// An unknown placeholder or a refused address is an error naming the action.
Result<std::vector<ResolvedAction>> ResolveActions(const std::vector<ActionSpec>& specs,
                                                   const PlaceholderValues& values,
                                                   const NetworkPolicy& policy);

}  // namespace stampede
