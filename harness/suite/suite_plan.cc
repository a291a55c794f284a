#include "suite/suite_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace stampede {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

const Parameter* FindParam(const ScenarioInfo& scenario, const std::string& key) {
  for (const auto& param : scenario.params) {
    if (param.name == key) return &param;
  }
  return nullptr;
}

std::string ValueText(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The values an axis takes for `scenario`; empty when the scenario lacks the key.
Result<std::vector<std::string>> AxisValues(const ScenarioInfo& scenario, const MatrixAxis& axis) {
  const Parameter* param = FindParam(scenario, axis.key);
  if (param == nullptr) return std::vector<std::string>{};
  if (axis.values != std::vector<std::string>{"*"}) return axis.values;
  if (param->choices.empty()) {
    return InvalidInput(fmt::format("--matrix {}=*: parameter \"{}\" of {} lists no choices",
                                    axis.key, axis.key, scenario.file));
  }
  std::vector<std::string> values;
  for (const auto& choice : param->choices) values.push_back(ValueText(choice));
  return values;
}

std::string SafeFileName(const std::string& text) {
  std::string safe;
  for (char c : text) {
    if (c == ']') continue;
    if (c == '[') c = '-';
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                       c == '_' || c == '=' || c == ',';
    safe += plain ? c : '_';
  }
  if (safe.size() > 100) safe.resize(100);
  return safe;
}

// The value a cell runs with for `key`: its matrix value, else its --set, else the default.
std::optional<std::string> CellValue(const ScenarioInfo& scenario, const CellPlan& cell,
                                     const std::string& key) {
  std::optional<std::string> value;
  if (const Parameter* param = FindParam(scenario, key)) value = ValueText(param->value);
  for (const auto& [name, text] : cell.overrides) {
    if (name == key) value = text;  // the last one wins, as in the scenario loader
  }
  return value;
}

bool ExpectedToFail(const ScenarioInfo& scenario, const CellPlan& cell,
                    const std::vector<ExpectRule>& rules) {
  return std::any_of(rules.begin(), rules.end(), [&](const ExpectRule& rule) {
    if (rule.all) return true;
    auto value = CellValue(scenario, cell, rule.key);
    return value && (*value == rule.value) == rule.equal;
  });
}

Status CheckKeysDeclared(const std::vector<ScenarioInfo>& scenarios,
                         const std::vector<MatrixAxis>& matrix, const Overrides& sets) {
  std::set<std::string> declared;
  for (const auto& scenario : scenarios) {
    for (const auto& param : scenario.params) declared.insert(param.name);
  }
  for (const auto& axis : matrix) {
    if (!declared.count(axis.key)) {
      return InvalidInput("--matrix " + axis.key + ": no scenario of the suite has that parameter");
    }
  }
  for (const auto& [key, value] : sets) {
    if (!declared.count(key)) {
      return InvalidInput("--set " + key + ": no scenario of the suite has that parameter");
    }
  }
  return {};
}

// Appends the cells of one scenario: the cartesian product of its axes.
Status AddCells(const ScenarioInfo& scenario, const std::vector<MatrixAxis>& matrix,
                const Overrides& sets, std::vector<CellPlan>& cells) {
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const auto& axis : matrix) {
    auto values = AxisValues(scenario, axis);
    if (!values.ok()) return values.error();
    if (!values.value().empty()) axes.emplace_back(axis.key, values.value());
  }
  Overrides base;
  for (const auto& set : sets) {
    if (FindParam(scenario, set.first)) base.push_back(set);
  }
  std::vector<std::size_t> index(axes.size(), 0);
  for (;;) {
    CellPlan cell{scenario.name, scenario.file, scenario.name, {}, base, false, ""};
    std::string suffix;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto& value = axes[i].second[index[i]];
      cell.values.emplace_back(axes[i].first, value);
      cell.overrides.emplace_back(axes[i].first, value);
      suffix += (suffix.empty() ? "" : ",") + axes[i].first + "=" + value;
    }
    if (!suffix.empty()) cell.id += "[" + suffix + "]";
    cells.push_back(std::move(cell));
    std::size_t axis = axes.size();
    while (axis > 0 && ++index[axis - 1] == axes[axis - 1].second.size()) index[--axis] = 0;
    if (axis == 0) return {};
  }
}

}  // namespace

Result<MatrixAxis> ParseMatrixAxis(const std::string& text) {
  auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    return InvalidInput("--matrix \"" + text + "\": give key=v1,v2,... or key=*");
  }
  MatrixAxis axis{text.substr(0, equals), Split(text.substr(equals + 1), ',')};
  if (std::any_of(axis.values.begin(), axis.values.end(),
                  [](const auto& v) { return v.empty(); })) {
    return InvalidInput("--matrix \"" + text + "\": an empty value");
  }
  return axis;
}

Result<ExpectRule> ParseExpectRule(const std::string& text) {
  if (text == "*") return ExpectRule{"", true, "", true};
  auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return InvalidInput("--expect-fail \"" + text + "\": give key=value, key!=value or *");
  }
  const bool negated = text[equals - 1] == '!';
  std::string key = text.substr(0, negated ? equals - 1 : equals);
  if (key.empty()) return InvalidInput("--expect-fail \"" + text + "\": the key is empty");
  return ExpectRule{key, !negated, text.substr(equals + 1)};
}

Result<std::pair<int, int>> ParseShard(const std::string& text) {
  auto parts = Split(text, '/');
  int index = 0;
  int count = 0;
  auto number = [](const std::string& part, int& out) {
    if (part.empty() || part.size() > 6 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    out = std::stoi(part);
    return true;
  };
  if (parts.size() != 2 || !number(parts[0], index) || !number(parts[1], count) || index < 1 ||
      index > count) {
    return InvalidInput("--shard \"" + text + "\": give K/N with 1 <= K <= N");
  }
  return std::pair{index, count};
}

Result<std::vector<CellPlan>> PlanSuite(const std::vector<ScenarioInfo>& scenarios,
                                        const std::vector<MatrixAxis>& matrix,
                                        const Overrides& sets,
                                        const std::vector<ExpectRule>& expect_fail) {
  if (auto declared = CheckKeysDeclared(scenarios, matrix, sets); !declared.ok()) {
    return declared.error();
  }
  std::vector<CellPlan> cells;
  for (const auto& scenario : scenarios) {
    const std::size_t first = cells.size();
    if (auto added = AddCells(scenario, matrix, sets, cells); !added.ok()) return added.error();
    for (std::size_t i = first; i < cells.size(); ++i) {
      cells[i].expect_fail = ExpectedToFail(scenario, cells[i], expect_fail);
    }
  }
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (int n = ++seen[cells[i].id]; n > 1) cells[i].id += "#" + std::to_string(n);
    cells[i].dir = fmt::format("{:03d}-{}", i + 1, SafeFileName(cells[i].id));
  }
  return cells;
}

std::vector<CellPlan> ShardCells(const std::vector<CellPlan>& cells, int index, int count) {
  std::vector<CellPlan> slice;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(count)) == index - 1) {
      slice.push_back(cells[i]);
    }
  }
  return slice;
}

}  // namespace stampede
