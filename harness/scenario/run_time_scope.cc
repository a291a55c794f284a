#include "scenario/run_time_scope.h"

#include <algorithm>

namespace stampede {
namespace {

using nlohmann::json;

// Fault proxies' names, read ahead of the rest so that every scope knows {NAME.port}.
std::vector<std::string> FaultNames(const json& body) {
  std::vector<std::string> names;
  if (!body.contains("faults") || !body["faults"].is_array()) return names;
  for (const auto& fault : body["faults"]) {
    if (fault.is_object() && fault.contains("name") && fault["name"].is_string()) {
      names.push_back(fault["name"].get<std::string>());
    }
  }
  return names;
}

void AddPortNames(const std::vector<TargetSpec>& targets, Scope& scope) {
  for (const auto& target : targets) {
    scope.names.insert(target.name + ".port");
    for (const auto& extra : target.extra_ports) {
      scope.names.insert(target.name + "." + extra + ".port");
    }
  }
}

Scope WorkloadScope(const std::vector<TargetSpec>& targets,
                    const std::vector<std::string>& faults = {}) {
  Scope scope{{"targets", "run_dir", "scenario_dir", "seed", "seq"}};
  AddPortNames(targets, scope);
  for (const auto& fault : faults) scope.names.insert(fault + ".port");
  return scope;
}

// `pointer` is the JSON pointer of `node`; it grows and shrinks as the walk descends, so a
// value costs its own key, not its whole path.
void CheckPlaceholders(const json& node, const Scope& scope, const JsonSource& source,
                       std::string& pointer, Diagnostics& diagnostics) {
  const std::size_t length = pointer.size();
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) {
      pointer += "/" + EscapePointerToken(key);
      CheckPlaceholders(child, scope, source, pointer, diagnostics);
      pointer.resize(length);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      pointer += "/" + std::to_string(i);
      CheckPlaceholders(node[i], scope, source, pointer, diagnostics);
      pointer.resize(length);
    }
  } else if (node.is_string()) {
    auto names = PlaceholderNames(node.get<std::string>());
    if (!names.ok()) {
      // Usually SubstituteParameters has reported this string already.
      auto message = source.Describe(pointer, names.error().message);
      const auto& reported = diagnostics.messages();
      if (std::find(reported.begin(), reported.end(), message) == reported.end()) {
        diagnostics.Add(std::move(message));
      }
      return;
    }
    for (const auto& name : names.value()) {
      if (scope.names.count(name) == 0) {
        diagnostics.Add(source.Describe(
            pointer,
            "unknown placeholder {" + name + "} (known here: parameters, " + Known(scope) + ")"));
      }
    }
  }
}

}  // namespace

Scope TargetScope(const std::vector<TargetSpec>& targets, bool client_run,
                  const std::vector<std::string>& faults) {
  Scope scope{{"port", "targets", "run_dir", "scenario_dir", "seed"}};
  if (client_run) scope.names.insert({"url", "fixture.port"});
  AddPortNames(targets, scope);
  for (const auto& fault : faults) scope.names.insert(fault + ".port");
  return scope;
}

std::string Known(const Scope& scope) {
  std::string out;
  for (const auto& name : scope.names) out += (out.empty() ? "{" : ", {") + name + "}";
  return out;
}

void CheckRunTimePlaceholders(const JsonSource& source, const json& body, const Scenario& scenario,
                              Diagnostics& diagnostics) {
  const auto faults = FaultNames(body);
  const bool client_run = std::holds_alternative<ClientRunSpec>(scenario.workload);
  if (body.contains("targets")) {
    std::string pointer = "/targets";
    CheckPlaceholders(body["targets"], TargetScope(scenario.targets, client_run, faults), source,
                      pointer, diagnostics);
  }
  for (const char* section : {"workload", "loads", "actions", "faults"}) {
    if (body.contains(section)) {
      auto scope = WorkloadScope(scenario.targets, faults);
      if (client_run) scope.names.insert("fixture.port");
      std::string pointer = std::string("/") + section;
      CheckPlaceholders(body[section], scope, source, pointer, diagnostics);
    }
  }
}

}  // namespace stampede
