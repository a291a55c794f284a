#include "run/resolve_target.h"

#include <filesystem>

#include "supervisor/line_buffering.h"
#include "supervisor/loopback.h"

namespace stampede {

Result<ResolvedTarget> ResolveTarget(const TargetSpec& spec, int port, PlaceholderValues values) {
  values["port"] = std::to_string(port);
  ResolvedTarget target{spec.name, {}, {}, port, spec.ready, spec.stop};
  target.log_cap_bytes = spec.log_limit_mb << 20;
  for (const auto& arg : spec.command) {
    auto expanded = ExpandPlaceholders(arg, values, false);
    if (!expanded.ok()) return expanded.error();
    target.argv.push_back(expanded.value());
  }
  auto scenario_dir = values.find("scenario_dir");
  if (!target.argv.empty() && scenario_dir != values.end() &&
      target.argv[0].find('/') != std::string::npos &&
      std::filesystem::path(target.argv[0]).is_relative()) {
    target.argv[0] = (std::filesystem::path(scenario_dir->second) / target.argv[0]).string();
  }
  for (const auto& [key, value] : spec.env) {
    auto expanded = ExpandPlaceholders(value, values, false);
    if (!expanded.ok()) return expanded.error();
    target.env[key] = expanded.value();
  }
  if (spec.line_buffered) {
    auto preloaded = LineBufferedEnvironment(target.env);
    if (!preloaded.ok()) return preloaded.error();
  }
  return target;
}

Result<RunPorts> AllocateRunPorts(const Scenario& scenario, PlaceholderValues& values) {
  std::size_t needed = scenario.faults.size();
  for (const auto& target : scenario.targets) needed += 1 + target.extra_ports.size();
  auto allocated = AllocateLoopbackPorts(static_cast<int>(needed));
  if (!allocated.ok()) return allocated.error();
  auto next = allocated.value().begin();
  RunPorts ports;
  for (const auto& target : scenario.targets) {
    ports.targets.push_back(*next);
    values[target.name + ".port"] = std::to_string(*next++);
    for (const auto& extra : target.extra_ports) {
      values[target.name + "." + extra + ".port"] = std::to_string(*next++);
    }
  }
  for (const auto& fault : scenario.faults) {
    ports.faults.push_back(*next);
    values[fault.name + ".port"] = std::to_string(*next++);
  }
  return ports;
}

}  // namespace stampede
