// Failure signatures: a short text that names a bug the same way from one attempt to the next,
// so that repeated attempts can be grouped by what failed (summary.json's "signatures").
#pragma once

#include <string>
#include <vector>

#include "checkers/failure.h"

namespace stampede {

// "KIND TARGET: DETAIL" without anything that changes from run to run (pids, addresses,
// ports, counts, times):
//   crash: the core's stack signature (core_dump.h), else the title's first line, else the
//          signal or exit status;
//   hang:  its phase ("shutdown", "serving", ...) and, when its stacks were readable, where its
//          threads wait ("serving; waiting in Loop::Run, Pool::Take", supervisor WaitingFrames);
//   mismatch, errors: the kind alone (the load's), or with the target when one is named.
std::string FailureSignature(const Failure& failure);

// The signature of a whole attempt: its failures' signatures, each once, sorted, joined by
// " + "; empty when there is no failure.
std::string AttemptSignature(const std::vector<Failure>& failures);

}  // namespace stampede
