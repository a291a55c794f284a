#include "checkers/client_checker.h"

#include <fmt/format.h>

#include "checkers/crash_checker.h"

namespace stampede {
namespace {

Failure FailedExit(const ProcessEvent& event) {
  const int code = event.exit && event.exit->exit_code ? *event.exit->exit_code : -1;
  nlohmann::json evidence = {{"exit_code", code}, {"pid", event.pid}};
  for (const char* key : {"stderr_tail", "stderr_path"}) {
    if (event.evidence.contains(key)) evidence[key] = event.evidence[key];
  }
  return {FailureKind::kErrors, event.target,
          fmt::format("{} exited with status {}, not a clean exit (pid {})", event.target, code,
                      event.pid),
          std::move(evidence)};
}

std::int64_t FixtureRequests(const std::vector<Operation>& ops) {
  std::int64_t seen = 0;
  for (const auto& op : ops) {
    if (op.type != OpType::kInvoke && op.f.rfind(kFixtureOpPrefix, 0) == 0) ++seen;
  }
  return seen;
}

}  // namespace

std::vector<Failure> CheckClientRun(const History& history, const ClientRunOptions& options) {
  std::vector<Failure> failures;
  for (const ProcessEvent& event : history.processes) {
    if (event.action != ProcessAction::kExited || !IsClientEvent(event)) continue;
    if (event.clean || event.killed_by_harness || IsCrash(event)) continue;
    failures.push_back(FailedExit(event));
  }
  if (options.expect_requests > 0) {
    const std::int64_t seen = FixtureRequests(history.ops);
    if (seen != options.expect_requests) {
      failures.push_back(
          {FailureKind::kErrors,
           "",
           fmt::format("the fixture saw {} requests, expected {}", seen, options.expect_requests),
           {{"expected", options.expect_requests}, {"seen", seen}}});
    }
  }
  return failures;
}

}  // namespace stampede
