#include "scenario/network_check.h"

#include "timeline/resolve_actions.h"

namespace stampede {
namespace {

// A value for every run-time placeholder a scenario may use; any port is as good as another.
PlaceholderValues SampleValues(const Scenario& scenario) {
  const std::string port = "1";
  PlaceholderValues values{
      {"targets", "/targets"}, {"run_dir", "/run"},    {"scenario_dir", "/scenario"},
      {"seed", "0"},           {"fixture.port", port}, {"url", "http://127.0.0.1:" + port + "/"}};
  for (const auto& target : scenario.targets) {
    values[target.name + ".port"] = port;
    for (const auto& extra : target.extra_ports) values[target.name + "." + extra + ".port"] = port;
  }
  for (const auto& fault : scenario.faults) values[fault.name + ".port"] = port;
  return values;
}

Status CheckLoads(const Scenario& scenario, const PlaceholderValues& values,
                  const NetworkPolicy& policy) {
  if (scenario.loads.empty()) {
    if (const auto* start_stop = std::get_if<StartStopSpec>(&scenario.workload)) {
      return ResolveEndpoint(start_stop->load.address, values, policy).status();
    }
    if (std::holds_alternative<ClientRunSpec>(scenario.workload)) return {};
    return MakeWorkload(scenario.workload, values, policy).status();
  }
  for (const auto& stream : scenario.loads) {
    auto made = MakeWorkload(stream.workload, values, policy);
    if (!made.ok()) {
      return Error{made.error().kind, "load \"" + stream.name + "\": " + made.error().message};
    }
  }
  return {};
}

}  // namespace

Status CheckScenarioAddresses(const Scenario& scenario, const NetworkPolicy& policy) {
  const auto values = SampleValues(scenario);
  if (auto loads = CheckLoads(scenario, values, policy); !loads.ok()) return loads;
  if (auto actions = ResolveActions(scenario.actions, values, policy); !actions.ok()) {
    return actions.error();
  }
  for (const auto& fault : scenario.faults) {
    auto upstream = ResolveEndpoint(fault.upstream, values, policy);
    if (!upstream.ok()) {
      return Error{upstream.error().kind,
                   "fault \"" + fault.name + "\": " + upstream.error().message};
    }
  }
  return {};
}

}  // namespace stampede
