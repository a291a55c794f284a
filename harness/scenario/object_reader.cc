#include "scenario/object_reader.h"

#include <algorithm>
#include <limits>

namespace stampede {
namespace {

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Diagnostics::Joined() const {
  std::string out;
  for (const auto& message : messages_) {
    if (!out.empty()) out += '\n';
    out += message;
  }
  if (dropped_ > 0) out += "\n... and " + std::to_string(dropped_) + " more problems";
  return out;
}

std::string DescribeJson(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "the string " + value.dump();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    default:
      return "the number " + value.dump();
  }
}

ObjectReader::ObjectReader(const JsonSource& source, const nlohmann::json& value,
                           std::string pointer, Diagnostics& diagnostics)
    : source_(source), value_(value), pointer_(std::move(pointer)), diagnostics_(diagnostics) {
  if (!value_.is_object()) Report(pointer_, "expected an object, got " + DescribeJson(value_));
}

bool ObjectReader::Has(const std::string& key) const {
  return value_.is_object() && value_.contains(key);
}

std::string ObjectReader::ChildPointer(const std::string& key) const {
  return pointer_ + "/" + EscapePointerToken(key);
}

void ObjectReader::RequireRange(const std::string& key, std::int64_t value, std::int64_t min,
                                std::int64_t max) {
  if (!Has(key) || (value >= min && value <= max)) return;
  Report(ChildPointer(key), "must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got " + std::to_string(value));
}

void ObjectReader::Report(const std::string& pointer, const std::string& message) {
  diagnostics_.Add(source_.Describe(pointer, message));
}

const nlohmann::json* ObjectReader::Object(const std::string& key, bool required) {
  known_.insert(key);
  if (!Has(key)) {
    if (required) Report(pointer_, "missing required field \"" + key + "\"");
    return nullptr;
  }
  const auto& child = value_.at(key);
  if (!child.is_object()) {
    TypeError(key, "an object");
    return nullptr;
  }
  return &child;
}

std::optional<ObjectReader> ObjectReader::Nested(const std::string& key, bool required) {
  const nlohmann::json* child = Object(key, required);
  if (child == nullptr) return std::nullopt;
  return std::optional<ObjectReader>(std::in_place, source_, *child, ChildPointer(key),
                                     diagnostics_);
}

const nlohmann::json* ObjectReader::Array(const std::string& key, bool required) {
  known_.insert(key);
  if (!Has(key)) {
    if (required) Report(pointer_, "missing required field \"" + key + "\"");
    return nullptr;
  }
  const auto& child = value_.at(key);
  if (!child.is_array()) {
    TypeError(key, "an array");
    return nullptr;
  }
  return &child;
}

void ObjectReader::Finish() {
  if (!value_.is_object()) return;
  for (const auto& [key, unused] : value_.items()) {
    if (known_.count(key) != 0) continue;
    std::string message = "unknown field \"" + key + "\"";
    const std::string* best = nullptr;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto& candidate : known_) {
      auto distance = EditDistance(key, candidate);
      if (distance < best_distance) {
        best_distance = distance;
        best = &candidate;
      }
    }
    if (best != nullptr && best_distance <= 2) message += " (did you mean \"" + *best + "\"?)";
    Report(ChildPointer(key), message);
  }
}

bool ObjectReader::TypeError(const std::string& key, const char* expected) {
  Report(ChildPointer(key),
         std::string("expected ") + expected + ", got " + DescribeJson(value_.at(key)));
  return false;
}

bool ObjectReader::TextOf(const nlohmann::json& v, const std::string& pointer,
                          std::string& out) const {
  if (v.is_string()) {
    out = v.get<std::string>();
    return true;
  }
  if (source_.IsParameterValue(pointer) && v.is_primitive() && !v.is_null()) {
    out = v.dump();
    return true;
  }
  return false;
}

bool ObjectReader::Convert(const std::string& key, std::string& out) {
  if (!TextOf(value_.at(key), ChildPointer(key), out)) return TypeError(key, "a string");
  return true;
}

bool ObjectReader::Convert(const std::string& key, bool& out) {
  const auto& v = value_.at(key);
  if (!v.is_boolean()) return TypeError(key, "true or false");
  out = v.get<bool>();
  return true;
}

bool ObjectReader::Convert(const std::string& key, std::int64_t& out) {
  const auto& v = value_.at(key);
  if (!v.is_number_integer()) return TypeError(key, "an integer");
  out = v.get<std::int64_t>();
  return true;
}

bool ObjectReader::Convert(const std::string& key, int& out) {
  std::int64_t wide = 0;
  if (!Convert(key, wide)) return false;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return TypeError(key, "an integer in the 32-bit range");
  }
  out = static_cast<int>(wide);
  return true;
}

bool ObjectReader::Convert(const std::string& key, double& out) {
  const auto& v = value_.at(key);
  if (!v.is_number()) return TypeError(key, "a number");
  out = v.get<double>();
  return true;
}

bool ObjectReader::Convert(const std::string& key, std::vector<std::string>& out) {
  const auto& v = value_.at(key);
  if (!v.is_array()) return TypeError(key, "an array of strings");
  std::vector<std::string> items;
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto pointer = ChildPointer(key) + "/" + std::to_string(i);
    std::string text;
    if (!TextOf(v[i], pointer, text)) {
      Report(pointer, "expected a string, got " + DescribeJson(v[i]));
      return false;
    }
    items.push_back(std::move(text));
  }
  out = std::move(items);
  return true;
}

bool ObjectReader::Convert(const std::string& key, std::map<std::string, std::string>& out) {
  const auto& v = value_.at(key);
  if (!v.is_object()) return TypeError(key, "an object of strings");
  std::map<std::string, std::string> items;
  for (const auto& [name, item] : v.items()) {
    auto pointer = ChildPointer(key) + "/" + EscapePointerToken(name);
    std::string text;
    if (!TextOf(item, pointer, text)) {
      Report(pointer, "expected a string, got " + DescribeJson(item));
      return false;
    }
    items[name] = std::move(text);
  }
  out = std::move(items);
  return true;
}

bool ObjectReader::Convert(const std::string& key, nlohmann::json& out) {
  out = value_.at(key);
  return true;
}

}  // namespace stampede
