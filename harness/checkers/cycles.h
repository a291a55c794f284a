// Start-stop cycles as the history records them, and what a cycle's process events say about
// it. Pure functions.
//
// A start-stop run records each cycle as one operation: client kCycleClient, seq the cycle
// (1-based), f kCycleF; its completion is ok when the cycle passed, fail (error: what went
// wrong first) when it did not, info when the run was stopped in the middle of it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "history/history.h"

namespace stampede {

constexpr int kCycleClient = 0;
constexpr const char* kCycleF = "cycle";

bool IsCycleOp(const Operation& op);

// Moves the cycle operations out of `history`, leaving the operations of the load.
std::vector<Operation> TakeCycleOps(History& history);

// The first thing that went wrong with the processes of one cycle, as one line: a crash, a
// missed stop deadline, a port left listening, a target that was not ready. nullopt when
// every target started, stopped cleanly in time and released its port.
std::optional<std::string> CycleProblem(const std::vector<ProcessEvent>& cycle_events);

// {"planned", "run" (cycles with a completion), "passed", "failed", "first_failed" (cycle
// number or null), "failed_cycles" (the first 10), "cycles_per_s" (run cycles over the span
// from the first cycle's invoke to the last completion; 0 when that span is empty)}.
nlohmann::json SummarizeCycles(const std::vector<Operation>& cycle_ops, int planned);

}  // namespace stampede
