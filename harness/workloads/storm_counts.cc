#include "workloads/storm_counts.h"

namespace stampede {

std::string ProbeStage(const ProbeResult& probe) {
  if (probe.outcome == ProbeOutcome::kTimeout) {
    return probe.stage == "connect" ? "connect timed out" : "no response";
  }
  if (probe.stage == "connect") {
    return probe.detail.find("refused") != std::string::npos ? "connect refused" : "connect failed";
  }
  if (probe.stage == "status") return "error status";
  return "bad response";
}

}  // namespace stampede
