#include "run/verdict.h"

namespace stampede {

const char* ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kError:
      return "error";
    case Outcome::kAborted:
      return "aborted";
  }
  return "error";
}

Outcome DecideOutcome(bool aborted, bool setup_error, const std::vector<Failure>& failures) {
  if (aborted) return Outcome::kAborted;
  if (setup_error) return Outcome::kError;
  return failures.empty() ? Outcome::kPass : Outcome::kFail;
}

void to_json(nlohmann::json& j, const Verdict& verdict) {
  j = {{"schema", "stampede.verdict/1"},
       {"scenario", verdict.scenario},
       {"scenario_file", verdict.scenario_file},
       {"verdict", ToString(verdict.outcome)},
       {"failures", verdict.failures},
       {"stats", verdict.stats},
       {"params", verdict.params},
       {"seed", verdict.seed},
       {"started_at", verdict.started_at},
       {"duration_ms", verdict.duration_ms},
       {"reproduce", verdict.reproduce},
       {"artifacts", verdict.artifacts}};
  if (!verdict.cycles.is_null()) j["cycles"] = verdict.cycles;
  if (!verdict.timeline.is_null()) j["timeline"] = verdict.timeline;
  if (!verdict.faults.is_null()) j["faults"] = verdict.faults;
  if (!verdict.targets.is_null() && !verdict.targets.empty()) j["targets"] = verdict.targets;
  if (!verdict.perturbation.is_null()) j["perturbation"] = verdict.perturbation;
  if (!verdict.containment.is_null()) j["containment"] = verdict.containment;
  if (!verdict.error.empty()) j["error"] = verdict.error;
}

std::string VerdictText(const Verdict& verdict) {
  return nlohmann::json(verdict).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace stampede
