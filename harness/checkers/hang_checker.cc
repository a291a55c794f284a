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

Failure StallFailure(const StallTally::Stall& stall, std::int64_t stall_ms) {
  nlohmann::json first = nlohmann::json::array();
  for (const auto& op : stall.first_ops) {
    first.push_back({{"client", op.client}, {"seq", op.seq}, {"f", op.f}});
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

std::int64_t HistoryEnd(const History& history) {
  std::int64_t end = 0;
  if (!history.ops.empty()) end = history.ops.back().time_ns;
  for (const ProcessEvent& event : history.processes) end = std::max(end, event.time_ns);
  return end;
}

}  // namespace

void StallTally::Add(const Operation& op) {
  if (stall_ || min_ns_ <= 0) return;
  if (op.type == OpType::kInvoke) {
    if (open_.emplace(StableKeyOf(op, names_), next_invoke_).second) {
      outstanding_.emplace(next_invoke_, Outstanding{op.time_ns, op.client, op.seq, op.f});
    }
    ++next_invoke_;
    return;
  }
  auto open = open_.find(KeyOf(op));
  if (open == open_.end()) return;  // malformed: nothing to complete
  stall_ = StallUntil(op.time_ns, true);
  if (stall_) return;
  outstanding_.erase(open->second);
  open_.erase(open);
  last_progress_ns_ = op.time_ns;
}

std::optional<StallTally::Stall> StallTally::StallUntil(std::int64_t to_ns,
                                                        bool by_completion) const {
  if (outstanding_.empty()) return std::nullopt;
  std::int64_t from_ns = outstanding_.begin()->second.time_ns;
  if (last_progress_ns_) from_ns = std::max(from_ns, *last_progress_ns_);
  if (to_ns - from_ns < min_ns_) return std::nullopt;
  Stall stall{from_ns, to_ns, by_completion, 0, {}};
  for (const auto& [number, op] : outstanding_) {
    if (op.time_ns > from_ns) break;
    ++stall.outstanding;
    if (stall.first_ops.size() < kMaxListed) stall.first_ops.push_back(op);
  }
  return stall;
}

std::optional<Failure> StallTally::Result(std::int64_t history_end_ns) const {
  if (min_ns_ <= 0) return std::nullopt;
  auto stall = stall_ ? stall_ : StallUntil(history_end_ns, false);
  if (!stall) return std::nullopt;
  return StallFailure(*stall, min_ns_ / 1'000'000);
}

std::vector<Failure> CheckProcessHangs(const std::vector<ProcessEvent>& events) {
  return ProcessHangs(events);
}

std::vector<Failure> CheckHangs(const History& history, const HangOptions& options) {
  std::vector<Failure> failures = ProcessHangs(history.processes);
  StallTally stalls(options.stall_ms);
  for (const Operation& op : history.ops) stalls.Add(op);
  if (auto stall = stalls.Result(HistoryEnd(history))) failures.push_back(std::move(*stall));
  return failures;
}

}  // namespace stampede
