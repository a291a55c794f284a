#include "scenario/parameters.h"

#include <algorithm>
#include <charconv>
#include <map>

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
  for (const char* reserved : {"port", "targets", "run_dir", "scenario_dir", "seed", "seq"}) {
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

// The walk of SubstituteParameters. The pointer of the current value grows and shrinks as
// the walk descends, so a value costs its own key, not its whole path.
class Substitution {
 public:
  Substitution(const std::vector<Parameter>& parameters, JsonSource& source,
               Diagnostics& diagnostics)
      : text_(ParameterText(parameters)), source_(source), diagnostics_(diagnostics) {
    for (const auto& p : parameters) by_name_.emplace(p.name, &p);
  }

  // False once the budget ran out (reported at `pointer`).
  bool Walk(nlohmann::json& node, std::string& pointer) {
    const std::size_t length = pointer.size();
    bool within = true;
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end() && within; ++it) {
        pointer += "/" + EscapePointerToken(it.key());
        within = Walk(it.value(), pointer);
        pointer.resize(length);
      }
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size() && within; ++i) {
        pointer += "/" + std::to_string(i);
        within = Walk(node[i], pointer);
        pointer.resize(length);
      }
    } else if (node.is_string()) {
      within = Replace(node, pointer);
    }
    return within;
  }

 private:
  bool Replace(nlohmann::json& node, const std::string& pointer) {
    const auto& text = node.get_ref<const std::string&>();
    if (auto sole = by_name_.find(SolePlaceholder(text)); sole != by_name_.end()) {
      const auto& value = sole->second->value;
      if (!Spend(value.is_string() ? value.get_ref<const std::string&>().size() : 0, pointer)) {
        return false;
      }
      node = value;
      if (!node.is_string()) source_.MarkParameterValue(pointer);
      return true;
    }
    auto length = ExpandedLength(text, text_);
    if (!length.ok()) {
      diagnostics_.Add(source_.Describe(pointer, length.error().message));
      return true;
    }
    if (!Spend(length.value(), pointer)) return false;
    node = ExpandPlaceholders(text, text_, true).value();
    return true;
  }

  bool Spend(std::size_t bytes, const std::string& pointer) {
    if (bytes <= budget_) {
      budget_ -= bytes;
      return true;
    }
    diagnostics_.Add(source_.Describe(
        pointer, "with the parameters substituted, the scenario's strings would hold more than " +
                     std::to_string(kMaxSubstitutedBytes / (1024 * 1024)) +
                     " MiB of text (a long parameter value used many times?)"));
    return false;
  }

  PlaceholderValues text_;
  std::map<std::string, const Parameter*, std::less<>> by_name_;
  JsonSource& source_;
  Diagnostics& diagnostics_;
  std::size_t budget_ = kMaxSubstitutedBytes;
};

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
                           [&name = name](const Parameter& p) { return p.name == name; });
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

bool SubstituteParameters(nlohmann::json& node, const std::vector<Parameter>& parameters,
                          JsonSource& source, const std::string& pointer,
                          Diagnostics& diagnostics) {
  Substitution substitution(parameters, source, diagnostics);
  std::string path = pointer;
  return substitution.Walk(node, path);
}

nlohmann::json ParameterValues(const std::vector<Parameter>& parameters) {
  auto values = nlohmann::json::object();
  for (const auto& parameter : parameters) values[parameter.name] = parameter.value;
  return values;
}

}  // namespace stampede
