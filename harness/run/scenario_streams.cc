#include "run/scenario_streams.h"

namespace stampede {

std::vector<StreamSpec> ScenarioStreams(const Scenario& scenario) {
  if (!scenario.loads.empty()) return scenario.loads;
  if (std::holds_alternative<ClientRunSpec>(scenario.workload)) return {};
  StreamSpec single;
  single.workload = scenario.workload;
  return {single};
}

std::set<std::string> ReconnectingStreams(const Scenario& scenario) {
  std::set<std::string> names;
  for (const auto& stream : ScenarioStreams(scenario)) {
    if (Reconnects(stream.workload)) names.insert(stream.name);
  }
  return names;
}

std::vector<std::pair<std::string, double>> AskedRates(const Scenario& scenario) {
  std::vector<std::pair<std::string, double>> rates;
  for (const auto& stream : ScenarioStreams(scenario)) {
    if (double asked = AskedRate(stream.workload); asked > 0)
      rates.emplace_back(stream.name, asked);
  }
  return rates;
}

}  // namespace stampede
