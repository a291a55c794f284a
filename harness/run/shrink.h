// Shrinking a failing scenario's numeric parameters (`stampede shrink`): each parameter in turn
// is bisected down to the smallest value at which the failure still reproduces, the others held
// at their smallest so far, in passes until every parameter has been bisected with the others
// at their final values (at most kMaxShrinkPasses).
// Bisection assumes a failure that shows at a value also shows at every larger one; where that
// does not hold, the result still reproduces, it is just not always the smallest. Pure logic:
// the caller's predicate runs the attempts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "scenario/parameters.h"

namespace stampede {

// Parameter name and value, in the scenario's order.
using ParameterValuesList = std::vector<std::pair<std::string, std::int64_t>>;

// Whether the failure reproduces with these values; nullopt: stop shrinking now (interrupted,
// out of time, or the run could not be done).
using ReproducesFn = std::function<std::optional<bool>(const ParameterValuesList&)>;

struct ShrinkTrial {
  ParameterValuesList values;
  bool reproduced = false;
};

struct ShrinkResult {
  ParameterValuesList before;
  ParameterValuesList after;  // the smallest values found that reproduce
  std::vector<ShrinkTrial> trials;
  bool cut_short = false;  // the predicate asked to stop
};

inline constexpr int kMaxShrinkPasses = 3;

// Shrinks `initial` (values known to reproduce) down to at least 1 per parameter.
ShrinkResult ShrinkParameters(const ParameterValuesList& initial, const ReproducesFn& reproduces);

// The parameters to shrink: those `names` lists (each must be an integer parameter of at least
// 1, else an InvalidInput naming it), or with `names` empty every integer parameter of at least
// 2 without choices whose name does not end in "_ms" (durations and deadlines: shrinking them
// turns a failure into a timeout) and is not "nice".
Result<ParameterValuesList> ShrinkableParameters(const std::vector<Parameter>& parameters,
                                                 const std::vector<std::string>& names);

}  // namespace stampede
