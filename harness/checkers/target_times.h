// How long each target took to become ready and to exit once asked to stop, from the process
// events of a history: a pure function, like the checkers.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "history/event.h"
#include "scenario/scenario.h"

namespace stampede {

// {NAME: {"starts", "ready_ms", "stop_ms", "stops_missed"}} for every target of `targets` that
// was started. ready_ms pairs each start (spawned) with its ready event; stop_ms each stop
// request with the exit of the same process, unless stampede killed it at the deadline (counted
// in stops_missed instead). Each figure is {count, min, median, max, deadline_ms, margin_ms}:
// margin_ms is the deadline minus the slowest, what is left before a slower run would fail;
// a figure with no sample is left out.
nlohmann::json SummarizeTargetTimes(const std::vector<ProcessEvent>& events,
                                    const std::vector<TargetSpec>& targets);

}  // namespace stampede
