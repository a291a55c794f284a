#include "run/judge.h"

#include "checkers/client_checker.h"
#include "checkers/consequences.h"
#include "checkers/crash_checker.h"
#include "checkers/hang_checker.h"
#include "checkers/signature.h"

namespace stampede {

std::vector<Failure> JudgeFailures(const Scenario& scenario, const History& history,
                                   HistoryPassResult& pass, const AttemptEnd& end) {
  std::vector<Failure> failures = CheckCrashes(history);
  for (auto& hang : CheckProcessHangs(history.processes)) failures.push_back(std::move(hang));
  if (pass.stall) failures.push_back(std::move(*pass.stall));
  if (pass.mismatch) failures.push_back(std::move(*pass.mismatch));
  if (pass.errors) failures.push_back(std::move(*pass.errors));
  if (pass.unanswered && !end.stalled_live && !end.aborted) {
    failures.push_back(std::move(*pass.unanswered));
  }
  if (const auto* spec = std::get_if<ClientRunSpec>(&scenario.workload)) {
    for (auto& failure : CheckClientRun(history, {spec->expect_requests})) {
      failures.push_back(std::move(failure));
    }
  }
  if (end.timed_out) {
    failures.push_back({FailureKind::kHang,
                        "",
                        "the run did not finish within timeout_ms (" +
                            std::to_string(scenario.timeout_ms) + " ms)",
                        {{"phase", "workload"}, {"timeout_ms", scenario.timeout_ms}}});
  }
  failures = AttachConsequences(std::move(failures));
  for (auto& failure : failures) failure.signature = FailureSignature(failure);
  return failures;
}

void MergeWorkloadFigures(nlohmann::json& stats,
                          const std::vector<std::pair<std::string, nlohmann::json>>& figures) {
  for (const auto& [name, figure] : figures) {
    if (name.empty()) {
      stats.update(figure);
    } else if (auto streams = stats.find("streams");
               streams != stats.end() && streams->contains(name)) {
      (*streams)[name].update(figure);
    }
  }
}

}  // namespace stampede
