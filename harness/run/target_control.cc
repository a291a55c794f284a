#include "run/target_control.h"

#include <chrono>

#include "core/clock.h"

namespace stampede {

Status SupervisorControl::Signal(const std::string& target, int signal, bool group) {
  return supervisor_.Signal(target, signal, group);
}

Result<std::string> SupervisorControl::Stop(const std::string& target) {
  return supervisor_.StopTarget(target, abort_);
}

Result<std::string> SupervisorControl::Start(const std::string& target) {
  if (!supervisor_.HasExited(target)) {
    return InvalidInput("target \"" + target + "\" is still running");
  }
  for (const auto& resolved : targets_) {
    if (resolved.name != target) continue;
    const auto started = MonoClock::now();
    auto outcome = supervisor_.Start(resolved, abort_);
    if (!outcome.ok()) return outcome.error();
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(MonoClock::now() - started).count();
    switch (outcome.value()) {
      case StartOutcome::kReady:
        return "started; ready after " + std::to_string(took) + " ms";
      case StartOutcome::kNotReady:
        return InvalidInput("not ready within " + std::to_string(resolved.ready.deadline_ms) +
                            " ms");
      case StartOutcome::kDied:
        return InvalidInput("exited before it was ready");
      case StartOutcome::kAborted:
        return InvalidInput("aborted while starting");
    }
  }
  return InvalidInput("no target is named \"" + target + "\"");
}

}  // namespace stampede

namespace stampede {

Status SupervisorControl::SetFault(const std::string& fault, bool enabled) {
  return faults_.SetEnabled(fault, enabled);
}

}  // namespace stampede
