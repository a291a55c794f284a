// Judging an attempt: the failures its history shows, given how the attempt ended, and the
// workloads' own figures in its stats. Pure functions of what the attempt recorded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "checkers/failure.h"
#include "history/history.h"
#include "run/history_pass.h"
#include "scenario/scenario.h"

namespace stampede {

// How an attempt ended, as far as judging it depends on it.
struct AttemptEnd {
  bool stalled_live = false;  // on a stall seen live, already a kUnresponsive event with evidence
  bool aborted = false;       // cut short on purpose (Ctrl-C)
  bool timed_out = false;     // it outlived the scenario's timeout_ms
};

// Every failure of the attempt: crashes and process hangs from `history`, the pass's stall,
// mismatch and errors, its unanswered requests (unless a live stall already said why nothing
// came back, or the attempt was aborted), a client-run's client checks, and a `workload` hang
// when it timed out; consequences attached (AttachConsequences) and each signature set.
std::vector<Failure> JudgeFailures(const Scenario& scenario, const History& history,
                                   HistoryPassResult& pass, const AttemptEnd& end);

// Each stream's workload figures (StreamRunner::figures) merged into the verdict's `stats`: the
// single workload's (stream "") at the top level, a named stream's into stats.streams.NAME
// when that stream has stats (else dropped).
void MergeWorkloadFigures(nlohmann::json& stats,
                          const std::vector<std::pair<std::string, nlohmann::json>>& figures);

}  // namespace stampede
