// What a checker reports: one failure of a run, with the evidence a developer acts on.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stampede {

// kExit: a target that ended by itself (an exit status, no signal, core or crash title) while it
// should have been running: no crash, but it stopped serving.
enum class FailureKind { kCrash, kHang, kMismatch, kErrors, kExit };

struct Failure {
  FailureKind kind = FailureKind::kCrash;
  std::string target;   // target name; empty when the failure is the workload's
  std::string summary;  // one line
  nlohmann::json evidence = nlohmann::json::object();
  // Failures of the load that follow from this one (see AttachConsequences): each
  // {kind, summary, count, evidence}; an empty array when there are none.
  nlohmann::json consequences = nlohmann::json::array();
  // FailureSignature (signature.h), set once the run's failures are final; empty before.
  std::string signature;
};

inline const char* ToString(FailureKind kind) {
  switch (kind) {
    case FailureKind::kCrash:
      return "crash";
    case FailureKind::kHang:
      return "hang";
    case FailureKind::kMismatch:
      return "mismatch";
    case FailureKind::kErrors:
      return "errors";
    case FailureKind::kExit:
      return "exit";
  }
  return "unknown";
}

inline void to_json(nlohmann::json& j, const Failure& failure) {
  j = {{"kind", ToString(failure.kind)},
       {"summary", failure.summary},
       {"evidence", failure.evidence}};
  if (!failure.target.empty()) j["target"] = failure.target;
  if (!failure.consequences.empty()) j["consequences"] = failure.consequences;
  if (!failure.signature.empty()) j["signature"] = failure.signature;
}

}  // namespace stampede
