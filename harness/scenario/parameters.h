// Scenario parameters: declared with a default in the file, overridden with --set k=v.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "scenario/object_reader.h"
#include "scenario/placeholders.h"

namespace stampede {

struct Parameter {
  std::string name;
  nlohmann::json value;                 // the default, or the override when one was given
  std::vector<nlohmann::json> choices;  // empty: any value of the default's type
  std::string description;
};

using Overrides = std::vector<std::pair<std::string, std::string>>;

// Parses "key=value"; InvalidInput when there is no '=' or the key is empty.
Result<std::pair<std::string, std::string>> ParseOverride(const std::string& text);

// Reads the "params" object: {"name": {"default": V, "choices": [...], "description": "..."}}.
std::vector<Parameter> ReadParameters(const JsonSource& source, const nlohmann::json& params,
                                      Diagnostics& diagnostics);

// {name: value} of every parameter, as the verdict shows them.
nlohmann::json ParameterValues(const std::vector<Parameter>& parameters);

// Applies --set overrides. A value is converted to the type of the parameter's default
// (integer, number, boolean or string) and must be one of its choices, if any.
Status ApplyOverrides(std::vector<Parameter>& parameters, const Overrides& overrides);

// Parameter values as template text ("none", "200", "true").
PlaceholderValues ParameterText(const std::vector<Parameter>& parameters);

// The most text the strings of a scenario may hold once parameters are substituted: a
// parameter's value used many times must not turn a small file into gigabytes.
constexpr std::size_t kMaxSubstitutedBytes = 4 * 1024 * 1024;

// Replaces parameter placeholders in every string under `node`. A string that is exactly
// one parameter placeholder takes the parameter's typed value, so "{requests}" can stand
// where a number is expected (such values are marked on `source`). Other placeholders are
// kept for run time. Returns false, after reporting it at the string where it happened, when
// the strings would hold more than kMaxSubstitutedBytes; the rest is then left unsubstituted.
bool SubstituteParameters(nlohmann::json& node, const std::vector<Parameter>& parameters,
                          JsonSource& source, const std::string& pointer, Diagnostics& diagnostics);

}  // namespace stampede
