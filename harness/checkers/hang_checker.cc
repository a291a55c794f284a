#include "checkers/hang_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "checkers/op_key.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxListed = 10;

// ---- targets that do not stop, do not give their port back, or do not start again ----

std::string TargetName(const ProcessEvent& event) {
  return event.target.empty() ? "target" : event.target;
}

// The number at evidence[key] as text, or "" when there is none.
std::string NumberAt(const ProcessEvent& event, const char* key) {
  if (!event.evidence.is_object()) return "";
  auto it = event.evidence.find(key);
  return it != event.evidence.end() && it->is_number() ? it->dump() : "";
}

std::string StopTimeoutSummary(const ProcessEvent& event) {
  auto deadline = NumberAt(event, "deadline_ms");
  return fmt::format("{} did not stop {}{} (pid {})", TargetName(event),
                     deadline.empty() ? "before its deadline" : "within " + deadline + " ms",
                     CycleWords(event), event.pid);
}

// "pid 12 (nginx), pid 13 (nginx)" from evidence.listeners[].holders[], or "".
std::string PortHolders(const ProcessEvent& event) {
  std::string holders;
  if (!event.evidence.is_object() || !event.evidence.contains("listeners")) return holders;
  for (const auto& listener : event.evidence["listeners"]) {
    if (!listener.is_object() || !listener.contains("holders")) continue;
    for (const auto& holder : listener["holders"]) {
      if (!holder.is_object()) continue;
      if (!holders.empty()) holders += ", ";
      holders += fmt::format("pid {} ({})", holder.value("pid", 0), holder.value("comm", "?"));
    }
  }
  return holders;
}

std::string PortHeldSummary(const ProcessEvent& event) {
  auto holders = PortHolders(event);
  return fmt::format("{} exited{}, but port {} was still listening {} ms later{}",
                     TargetName(event), CycleWords(event), NumberAt(event, "port"),
                     NumberAt(event, "grace_ms"), holders.empty() ? "" : ", held by " + holders);
}

std::string NotReadyAgainSummary(const ProcessEvent& event) {
  return fmt::format("{}{} (pid {}), though it had started before", event.detail, CycleWords(event),
                     event.pid);
}

std::string UnresponsiveSummary(const ProcessEvent& event) {
  return event.pid > 0 ? fmt::format("{}{} (pid {})", event.detail, CycleWords(event), event.pid)
                       : event.detail + CycleWords(event);
}

Failure ProcessHang(const ProcessEvent& event, const char* phase, std::string summary) {
  nlohmann::json evidence = event.evidence.is_object() ? event.evidence : nlohmann::json::object();
  evidence["phase"] = phase;
  evidence["pid"] = event.pid;
  evidence["time_ms"] = NanosToMillis(event.time_ns);
  AddCycle(event, evidence);
  return {FailureKind::kHang, event.target, std::move(summary), std::move(evidence)};
}

// Hangs told by process events alone, in history order.
std::vector<Failure> ProcessHangs(const std::vector<ProcessEvent>& events) {
  std::vector<Failure> failures;
  std::set<std::string> was_ready;
  for (const ProcessEvent& event : events) {
    switch (event.action) {
      case ProcessAction::kReady:
        was_ready.insert(event.target);
        break;
      case ProcessAction::kStopTimeout:
        failures.push_back(ProcessHang(event, "shutdown", StopTimeoutSummary(event)));
        break;
      case ProcessAction::kPortHeld:
        failures.push_back(ProcessHang(event, "shutdown", PortHeldSummary(event)));
        break;
      case ProcessAction::kUnresponsive:
        failures.push_back(ProcessHang(event, IsClientEvent(event) ? "running" : "serving",
                                       UnresponsiveSummary(event)));
        break;
      case ProcessAction::kNotReady:
        if (was_ready.count(event.target) != 0) {
          failures.push_back(ProcessHang(event, "startup", NotReadyAgainSummary(event)));
        }
        break;
      default:
        break;
    }
  }
  return failures;
}

// ---- stalls ----

struct Stall {
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  bool ended_by_completion = false;
  std::size_t outstanding = 0;         // operations outstanding at from_ns
  std::vector<std::size_t> first_ops;  // indices of the oldest of them, at most kMaxListed
};

// Walks the operations in time order and finds the first stall (see the header).
class StallFinder {
 public:
  StallFinder(const std::vector<Operation>& ops, std::int64_t min_ns)
      : ops_(ops), min_ns_(min_ns) {}

  std::optional<Stall> Run(std::int64_t history_end_ns) {
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].type == OpType::kInvoke) {
        Open(i);
        continue;
      }
      auto open = open_.find(KeyOf(ops_[i]));
      if (open == open_.end()) continue;  // malformed: nothing to complete
      if (auto stall = StallUntil(ops_[i].time_ns, true)) return stall;
      outstanding_.erase(open->second);
      open_.erase(open);
      last_progress_ns_ = ops_[i].time_ns;
    }
    return StallUntil(history_end_ns, false);
  }

 private:
  void Open(std::size_t index) {
    if (open_.emplace(KeyOf(ops_[index]), index).second) outstanding_.insert(index);
  }

  // The stall that ends at `to_ns`, if the stretch since the last progress holds one.
  std::optional<Stall> StallUntil(std::int64_t to_ns, bool by_completion) const {
    if (outstanding_.empty()) return std::nullopt;
    std::int64_t from_ns = ops_[*outstanding_.begin()].time_ns;
    if (last_progress_ns_) from_ns = std::max(from_ns, *last_progress_ns_);
    if (to_ns - from_ns < min_ns_) return std::nullopt;
    Stall stall{from_ns, to_ns, by_completion, 0, {}};
    for (std::size_t index : outstanding_) {
      if (ops_[index].time_ns > from_ns) break;
      ++stall.outstanding;
      if (stall.first_ops.size() < kMaxListed) stall.first_ops.push_back(index);
    }
    return stall;
  }

  const std::vector<Operation>& ops_;
  const std::int64_t min_ns_;
  std::unordered_map<OpKey, std::size_t, OpKeyHash> open_;  // key -> index of its invoke
  std::set<std::size_t> outstanding_;                       // invoke indices, oldest first
  std::optional<std::int64_t> last_progress_ns_;
};

std::int64_t HistoryEnd(const History& history) {
  std::int64_t end = 0;
  if (!history.ops.empty()) end = history.ops.back().time_ns;
  for (const ProcessEvent& event : history.processes) end = std::max(end, event.time_ns);
  return end;
}

Failure StallFailure(const std::vector<Operation>& ops, const Stall& stall, std::int64_t stall_ms) {
  nlohmann::json first = nlohmann::json::array();
  for (std::size_t index : stall.first_ops) {
    first.push_back({{"client", ops[index].client}, {"seq", ops[index].seq}, {"f", ops[index].f}});
  }
  const std::int64_t stalled_ms = NanosToMillis(stall.to_ns - stall.from_ns);
  const std::int64_t from_ms = NanosToMillis(stall.from_ns);
  nlohmann::json evidence = {
      {"phase", "serving"},
      {"stalled_ms", stalled_ms},
      {"stall_threshold_ms", stall_ms},
      {"from_ms", from_ms},
      {"to_ms", NanosToMillis(stall.to_ns)},
      {"ended_by", stall.ended_by_completion ? "completion" : "end_of_history"},
      {"outstanding", stall.outstanding},
      {"first_outstanding", std::move(first)},
  };
  std::string summary =
      fmt::format("no operation completed for {} ms while {} {} outstanding (from {} ms{})",
                  stalled_ms, stall.outstanding, stall.outstanding == 1 ? "was" : "were", from_ms,
                  stall.ended_by_completion ? "" : " to the end of the history");
  return {FailureKind::kHang, "", std::move(summary), std::move(evidence)};
}

}  // namespace

std::vector<Failure> CheckHangs(const History& history, const HangOptions& options) {
  std::vector<Failure> failures = ProcessHangs(history.processes);
  if (options.stall_ms <= 0) return failures;
  StallFinder finder(history.ops, options.stall_ms * 1'000'000);
  if (auto stall = finder.Run(HistoryEnd(history))) {
    failures.push_back(StallFailure(history.ops, *stall, options.stall_ms));
  }
  return failures;
}

}  // namespace stampede
