#include "checkers/cycles.h"

#include <algorithm>

#include "checkers/crash_checker.h"

namespace stampede {

bool IsCycleOp(const Operation& op) {
  return op.client == kCycleClient && op.f == kCycleF;
}

std::vector<Operation> TakeCycleOps(History& history) {
  std::vector<Operation> cycles;
  std::vector<Operation> rest;
  rest.reserve(history.ops.size());
  for (auto& op : history.ops) (IsCycleOp(op) ? cycles : rest).push_back(std::move(op));
  history.ops = std::move(rest);
  return cycles;
}

std::optional<std::string> CycleProblem(const std::vector<ProcessEvent>& cycle_events) {
  for (const ProcessEvent& event : cycle_events) {
    const bool problem = IsCrash(event) || event.action == ProcessAction::kStopTimeout ||
                         event.action == ProcessAction::kPortHeld ||
                         event.action == ProcessAction::kNotReady;
    if (problem) return event.detail.empty() ? ToString(event.action) : event.detail;
  }
  return std::nullopt;
}

nlohmann::json SummarizeCycles(const std::vector<Operation>& cycle_ops, int planned) {
  std::int64_t run = 0;
  std::int64_t passed = 0;
  std::optional<std::int64_t> first_ns;
  std::int64_t last_ns = 0;
  auto failed_cycles = nlohmann::json::array();
  std::int64_t failed = 0;
  for (const Operation& op : cycle_ops) {
    if (op.type == OpType::kInvoke) {
      if (!first_ns) first_ns = op.time_ns;
      continue;
    }
    last_ns = std::max(last_ns, op.time_ns);
    ++run;
    if (op.type == OpType::kOk) ++passed;
    if (op.type != OpType::kFail) continue;
    ++failed;
    if (failed_cycles.size() < 10) failed_cycles.push_back(op.seq);
  }
  const double span_s = first_ns ? static_cast<double>(last_ns - *first_ns) / 1e9 : 0.0;
  return {{"planned", planned},
          {"run", run},
          {"passed", passed},
          {"failed", failed},
          {"first_failed", failed_cycles.empty() ? nlohmann::json() : failed_cycles[0]},
          {"failed_cycles", failed_cycles},
          {"cycles_per_s", span_s > 0 ? static_cast<double>(run) / span_s : 0.0}};
}

}  // namespace stampede
