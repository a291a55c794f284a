#include "run/shrink.h"

#include <algorithm>

namespace stampede {
namespace {

bool IsWholeNumber(const nlohmann::json& value) {
  return value.is_number_integer() || value.is_number_unsigned();
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ShrinkResult ShrinkParameters(const ParameterValuesList& initial, const ReproducesFn& reproduces) {
  ShrinkResult result{initial, initial, {}, false};
  auto& current = result.after;
  // settled[i]: parameter i was bisected with the others at their present values.
  std::vector<bool> settled(current.size(), false);
  for (int pass = 0; pass < kMaxShrinkPasses; ++pass) {
    for (std::size_t i = 0; i < current.size(); ++i) {
      if (settled[i]) continue;
      std::int64_t low = 1;                   // the smallest value not yet ruled out
      std::int64_t high = current[i].second;  // reproduces
      while (low < high) {
        const std::int64_t middle = low + (high - low) / 2;
        ParameterValuesList trial = current;
        trial[i].second = middle;
        const auto reproduced = reproduces(trial);
        if (!reproduced) {
          current[i].second = high;
          result.cut_short = true;
          return result;
        }
        result.trials.push_back({trial, *reproduced});
        if (*reproduced) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      if (high != current[i].second) {
        current[i].second = high;
        std::fill(settled.begin(), settled.end(), false);
      }
      settled[i] = true;
    }
    if (std::all_of(settled.begin(), settled.end(), [](bool s) { return s; })) break;
  }
  return result;
}

Result<ParameterValuesList> ShrinkableParameters(const std::vector<Parameter>& parameters,
                                                 const std::vector<std::string>& names) {
  ParameterValuesList chosen;
  for (const auto& name : names) {
    auto found = std::find_if(parameters.begin(), parameters.end(),
                              [&](const Parameter& p) { return p.name == name; });
    if (found == parameters.end()) return InvalidInput("--param " + name + ": no such parameter");
    if (!IsWholeNumber(found->value) || found->value.get<std::int64_t>() < 1) {
      return InvalidInput("--param " + name + ": not an integer parameter of at least 1 (it is " +
                          found->value.dump() + ")");
    }
  }
  for (const auto& parameter : parameters) {
    const bool asked = std::find(names.begin(), names.end(), parameter.name) != names.end();
    if (!names.empty() && !asked) continue;
    if (names.empty() && (!IsWholeNumber(parameter.value) || !parameter.choices.empty() ||
                          EndsWith(parameter.name, "_ms") || parameter.name == "nice" ||
                          parameter.value.get<std::int64_t>() < 2)) {
      continue;
    }
    chosen.emplace_back(parameter.name, parameter.value.get<std::int64_t>());
  }
  return chosen;
}

}  // namespace stampede
