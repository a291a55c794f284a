// Which run-time placeholders ({port}, {NAME.port}, {targets}, {seq}, ...) each part of a
// scenario may use, and the check that its strings use no others.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "scenario/object_reader.h"
#include "scenario/scenario.h"

namespace stampede {

// The run-time placeholder names a string may use.
struct Scope {
  std::set<std::string> names;
};

// Run-time placeholders of target commands; a client-run scenario adds its fixture's {url} and
// {fixture.port}; each fault proxy its {NAME.port}.
Scope TargetScope(const std::vector<TargetSpec>& targets, bool client_run,
                  const std::vector<std::string>& faults = {});

// "{a}, {b}" for messages.
std::string Known(const Scope& scope);

// Reports every run-time placeholder in the parameter-substituted `body` that the part of the
// scenario holding it cannot use.
void CheckRunTimePlaceholders(const JsonSource& source, const nlohmann::json& body,
                              const Scenario& scenario, Diagnostics& diagnostics);

}  // namespace stampede
