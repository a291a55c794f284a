// The verdict of one run: what verdict.json holds (schema "stampede.verdict/1", described
// by docs/schemas/verdict.schema.json).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checkers/failure.h"

namespace stampede {

enum class Outcome { kPass, kFail, kError, kAborted };

const char* ToString(Outcome outcome);

struct Verdict {
  Outcome outcome = Outcome::kPass;
  std::string scenario;
  std::string scenario_file;
  std::vector<Failure> failures;
  nlohmann::json stats = nlohmann::json::object();
  nlohmann::json cycles;    // start-stop runs: SummarizeCycles (checkers/cycles.h); else null
  nlohmann::json timeline;  // runs with actions: SummarizeTimeline (checkers/timeline.h); else null
  nlohmann::json faults;    // runs with fault proxies: {NAME: FaultProxy::Figures()}; else null
  nlohmann::json targets;   // SummarizeTargetTimes (checkers/target_times.h); null: no target
  nlohmann::json perturbation;  // DescribePerturbation (perturb/perturbation.h); null: none
  nlohmann::json containment;   // DescribeContainment (supervisor/containment.h); null: unknown
  nlohmann::json params = nlohmann::json::object();
  std::uint64_t seed = 0;
  std::string started_at;
  std::int64_t duration_ms = 0;
  std::string reproduce;
  std::string error;  // why the run could not be judged (outcome kError)
  nlohmann::json artifacts = nlohmann::json::object();
};

// Aborted wins over everything, then a setup error, then failures.
Outcome DecideOutcome(bool aborted, bool setup_error, const std::vector<Failure>& failures);

void to_json(nlohmann::json& j, const Verdict& verdict);

// verdict.json's text: indented JSON; bytes that are not UTF-8 (a target's garbage in the
// evidence) are replaced, so the file is always valid JSON.
std::string VerdictText(const Verdict& verdict);

}  // namespace stampede
