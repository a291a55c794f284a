// The nemesis's hands on a run's targets: TargetControl over the run's Supervisor.
// Main thread only, like the Supervisor.
#pragma once

#include <map>
#include <memory>
#include <stop_token>
#include <vector>

#include "faults/fault_proxies.h"
#include "supervisor/supervisor.h"
#include "timeline/nemesis.h"

namespace stampede {

class SupervisorControl : public TargetControl {
 public:
  // `targets` are the run's resolved targets, for starting one again. All references must
  // outlive the control.
  SupervisorControl(Supervisor& supervisor, const std::vector<ResolvedTarget>& targets,
                    FaultProxies& faults, const std::stop_token& abort)
      : supervisor_(supervisor), targets_(targets), faults_(faults), abort_(abort) {}

  Status Signal(const std::string& target, int signal, bool group) override;
  Result<std::string> Stop(const std::string& target) override;
  Result<std::string> Start(const std::string& target) override;
  Status SetFault(const std::string& fault, bool enabled) override;

 private:
  Supervisor& supervisor_;
  const std::vector<ResolvedTarget>& targets_;
  FaultProxies& faults_;
  const std::stop_token& abort_;
};

}  // namespace stampede
