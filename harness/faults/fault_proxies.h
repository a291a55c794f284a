// A run's fault proxies, by name, with what they did recorded in the history (FaultEvents).
// Start, Stop and Take are called from the run's main thread; SetEnabled from anywhere.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "faults/fault_events.h"
#include "faults/fault_proxy.h"
#include "scenario/placeholders.h"
#include "workloads/workload.h"

namespace stampede {

class FaultProxies {
 public:
  FaultProxies(HistoryWriter& writer, std::int64_t origin_ns) : events_(writer, origin_ns) {}

  // Starts a proxy per spec on ports[i], its upstream expanded with `values` and checked
  // against `policy`. The first that cannot start is the error, naming its fault.
  Status Start(const std::vector<FaultSpec>& specs, const std::vector<int>& ports,
               const PlaceholderValues& values, const NetworkPolicy& policy, std::uint64_t seed);
  // Switches fault `name`'s toxics; an InvalidInput for an unknown name.
  Status SetEnabled(const std::string& name, bool enabled);
  // Stops every proxy and returns {NAME: figures}, or null when there is none.
  nlohmann::json Stop();
  // The operations FaultEvents recorded.
  std::vector<Operation> TakeOps() { return events_.Take(); }

 private:
  FaultEvents events_;  // outlives the proxies, whose threads record into it
  std::map<std::string, std::unique_ptr<FaultProxy>> proxies_;
};

}  // namespace stampede
