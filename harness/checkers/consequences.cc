#include "checkers/consequences.h"

#include <limits>
#include <optional>
#include <string>

namespace stampede {
namespace {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
// How long before its exit is seen a process may already be dead to its clients: the kernel
// closes its sockets, then writes its core, and only then is the exit visible.
constexpr std::int64_t kDeathLagMs = 2000;

bool IsRoot(const Failure& failure) {
  if (failure.kind != FailureKind::kCrash && failure.kind != FailureKind::kExit) return false;
  if (failure.target.empty()) return false;
  const auto& evidence = failure.evidence;
  if (evidence.contains("cycle") || !evidence.contains("time_ms")) return false;
  const auto phase = evidence.value("phase", std::string());
  return phase == "startup" || phase == "running";
}

// The client checker's "the fixture saw N requests, expected M" with N < M.
bool IsShortRequestCount(const Failure& failure) {
  const auto& evidence = failure.evidence;
  return failure.kind == FailureKind::kErrors && evidence.contains("expected") &&
         evidence.contains("seen") &&
         evidence["seen"].get<std::int64_t>() < evidence["expected"].get<std::int64_t>();
}

bool CanBeConsequence(const Failure& failure, bool root_is_client) {
  if (!failure.target.empty()) return false;
  if (IsShortRequestCount(failure)) return root_is_client;
  if (failure.kind == FailureKind::kErrors) return failure.evidence.contains("failed");
  return failure.kind == FailureKind::kHang &&
         failure.evidence.value("phase", std::string()) == "serving";
}

// The earliest time the failure shows in its evidence; kNoTime when it names none.
std::int64_t FirstSignMs(const Failure& failure) {
  const auto& evidence = failure.evidence;
  if (evidence.contains("from_ms")) return evidence["from_ms"].get<std::int64_t>();
  std::int64_t first = kNoTime;
  for (const auto& op : evidence.value("first", nlohmann::json::array())) {
    if (!op.contains("time_ms")) continue;
    const auto at = op["time_ms"].get<std::int64_t>();
    if (first == kNoTime || at < first) first = at;
  }
  return first;
}

std::int64_t CountOf(const Failure& failure) {
  const auto& evidence = failure.evidence;
  if (IsShortRequestCount(failure)) {
    return evidence["expected"].get<std::int64_t>() - evidence["seen"].get<std::int64_t>();
  }
  if (failure.kind == FailureKind::kErrors) return evidence.value("failed", std::int64_t{0});
  if (evidence.contains("outstanding")) return evidence["outstanding"].get<std::int64_t>();
  const auto timed_out = evidence.value("timed_out", std::int64_t{0});
  return timed_out > 0 ? timed_out : evidence.value("completed", std::int64_t{0});
}

std::optional<std::size_t> FindRoot(const std::vector<Failure>& failures) {
  std::optional<std::size_t> root;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (!IsRoot(failures[i])) continue;
    const auto at = failures[i].evidence["time_ms"].get<std::int64_t>();
    if (!root || at < failures[*root].evidence["time_ms"].get<std::int64_t>()) root = i;
  }
  return root;
}

}  // namespace

std::vector<Failure> AttachConsequences(std::vector<Failure> failures) {
  const auto root = FindRoot(failures);
  if (!root) return failures;
  const auto root_ms = failures[*root].evidence["time_ms"].get<std::int64_t>();
  const bool root_is_client = failures[*root].evidence.value("role", std::string()) == "client";
  std::vector<Failure> kept;
  std::size_t root_in_kept = 0;
  nlohmann::json consequences = nlohmann::json::array();
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const std::int64_t first_ms = FirstSignMs(failures[i]);
    if (i != *root && CanBeConsequence(failures[i], root_is_client) &&
        (first_ms == kNoTime || first_ms >= root_ms - kDeathLagMs)) {
      consequences.push_back({{"kind", ToString(failures[i].kind)},
                              {"summary", failures[i].summary},
                              {"count", CountOf(failures[i])},
                              {"evidence", std::move(failures[i].evidence)}});
      continue;
    }
    if (i == *root) root_in_kept = kept.size();
    kept.push_back(std::move(failures[i]));
  }
  if (!consequences.empty()) kept[root_in_kept].consequences = std::move(consequences);
  return kept;
}

}  // namespace stampede
