#include "scenario/parameters.h"

#include <algorithm>
#include <charconv>

namespace stampede {
namespace {

bool IsScalar(const nlohmann::json& value) {
  return value.is_string() || value.is_number() || value.is_boolean();
}

std::string ValueText(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<nlohmann::json> ConvertLike(const nlohmann::json& like, const std::string& text) {
  if (like.is_string()) return nlohmann::json(text);
  if (like.is_boolean()) {
    if (text == "true") return nlohmann::json(true);
    if (text == "false") return nlohmann::json(false);
    return InvalidInput("expected true or false");
  }
  if (like.is_number_integer()) {
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return InvalidInput("expected an integer");
    }
    return nlohmann::json(number);
  }
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_number()) return InvalidInput("expected a number");
  return nlohmann::json(parsed.get<double>());  // stays a floating-point parameter
}

std::string ChoicesText(const Parameter& parameter) {
  std::string out;
  for (const auto& choice : parameter.choices) {
    out += out.empty() ? "" : ", ";
    out += ValueText(choice);
  }
  return out;
}

Parameter ReadParameter(const JsonSource& source, const std::string& name,
                        const nlohmann::json& value, const std::string& pointer,
                        Diagnostics& diagnostics) {
  Parameter parameter{name, nullptr, {}, ""};
  ObjectReader reader(source, value, pointer, diagnostics);
  if (!reader.valid()) return parameter;
  for (const char* reserved : {"port", "targets", "run_dir", "seed", "seq"}) {
    if (name == reserved) {
      reader.Report(pointer, "\"" + name + "\" is a run-time placeholder, not a parameter name");
    }
  }
  reader.Required("default", parameter.value);
  reader.Optional("description", parameter.description);
  if (const auto* choices = reader.Array("choices", false)) {
    parameter.choices.assign(choices->begin(), choices->end());
  }
  reader.Finish();
  if (reader.Has("default") && !IsScalar(parameter.value)) {
    reader.Report(reader.ChildPointer("default"), "must be a string, number or boolean");
  }
  for (std::size_t i = 0; i < parameter.choices.size(); ++i) {
    if (!IsScalar(parameter.choices[i])) {
      reader.Report(reader.ChildPointer("choices") + "/" + std::to_string(i),
                    "must be a string, number or boolean");
    }
  }
  if (!parameter.choices.empty() && IsScalar(parameter.value) &&
      std::find(parameter.choices.begin(), parameter.choices.end(), parameter.value) ==
          parameter.choices.end()) {
    reader.Report(reader.ChildPointer("choices"),
                  "must include the default " + parameter.value.dump());
  }
  return parameter;
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseOverride(const std::string& text) {
  auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return InvalidInput("--set expects key=value, got \"" + text + "\"");
  }
  return std::pair{text.substr(0, equals), text.substr(equals + 1)};
}

std::vector<Parameter> ReadParameters(const JsonSource& source, const nlohmann::json& params,
                                      Diagnostics& diagnostics) {
  std::vector<Parameter> parameters;
  for (const auto& [name, value] : params.items()) {
    parameters.push_back(
        ReadParameter(source, name, value, "/params/" + EscapePointerToken(name), diagnostics));
  }
  return parameters;
}

Status ApplyOverrides(std::vector<Parameter>& parameters, const Overrides& overrides) {
  for (const auto& [name, text] : overrides) {
    auto it = std::find_if(parameters.begin(), parameters.end(),
                           [&](const Parameter& p) { return p.name == name; });
    if (it == parameters.end()) {
      std::string known;
      for (const auto& p : parameters) known += (known.empty() ? "" : ", ") + p.name;
      return InvalidInput("--set " + name + ": the scenario has no parameter \"" + name +
                          "\" (parameters: " + (known.empty() ? "none" : known) + ")");
    }
    auto converted = ConvertLike(it->value, text);
    if (!converted.ok()) {
      return InvalidInput("--set " + name + "=" + text + ": " + converted.error().message);
    }
    if (!it->choices.empty() &&
        std::find(it->choices.begin(), it->choices.end(), converted.value()) == it->choices.end()) {
      return InvalidInput("--set " + name + "=" + text + ": must be one of " + ChoicesText(*it));
    }
    it->value = converted.value();
  }
  return {};
}

PlaceholderValues ParameterText(const std::vector<Parameter>& parameters) {
  PlaceholderValues values;
  for (const auto& p : parameters) values[p.name] = ValueText(p.value);
  return values;
}

void SubstituteParameters(nlohmann::json& node, const std::vector<Parameter>& parameters,
                          JsonSource& source, const std::string& pointer,
                          Diagnostics& diagnostics) {
  if (node.is_object()) {
    for (auto& [key, child] : node.items()) {
      SubstituteParameters(child, parameters, source, pointer + "/" + EscapePointerToken(key),
                           diagnostics);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      SubstituteParameters(node[i], parameters, source, pointer + "/" + std::to_string(i),
                           diagnostics);
    }
  } else if (node.is_string()) {
    const auto text = node.get<std::string>();
    const auto sole = SolePlaceholder(text);
    for (const auto& p : parameters) {
      if (p.name == sole) {
        node = p.value;
        if (!node.is_string()) source.MarkParameterValue(pointer);
        return;
      }
    }
    auto expanded = ExpandPlaceholders(text, ParameterText(parameters), true);
    if (!expanded.ok()) {
      diagnostics.Add(source.Describe(pointer, expanded.error().message));
      return;
    }
    node = expanded.value();
  }
}

}  // namespace stampede
