// Root cause first: the load's failures that follow from a target's crash are attached to that
// crash instead of standing beside it, so one bug gives one signature whatever the timing.
#pragma once

#include <vector>

#include "checkers/failure.h"

namespace stampede {

// Returns `failures` in the same order with the consequences of the root moved into its
// `consequences`. The root is the earliest (evidence.time_ms) crash of a target in phase
// "startup" or "running" outside a start-stop cycle (no evidence.cycle). A consequence is a
// failure of the load (no target) of kind errors, or hang in phase "serving" (unanswered
// requests, a stall), whose first sign is at most 2 s before the root's exit was seen (a
// dying process's clients see its sockets close before its core is written): its earliest
// evidence.first[].time_ms or evidence.from_ms; a failure with no time at all (a load none of
// whose requests was ever answered) is a consequence too. When the root is a client under test
// (evidence.role "client"), the fixture's short request count ("saw N, expected M", N < M) is
// its consequence (count: the requests never sent). Mismatches, other targets' failures
// and the run's own timeout are never consequences. Each consequence keeps its kind, summary
// and evidence and gets a count: the operations that failed, went unanswered or were outstanding.
std::vector<Failure> AttachConsequences(std::vector<Failure> failures);

}  // namespace stampede
