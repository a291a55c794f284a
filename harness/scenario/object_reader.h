// Strict, typed reading of JSON objects for scenario files. Every mistake is collected as a
// message naming file, line, column and JSON path; unknown keys are mistakes too.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario/json_source.h"

namespace stampede {

// Collected validation messages, in the order found. Only the first kMaxMessages are kept
// (a file of a million mistakes must not print a million lines); the rest are counted.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxMessages = 50;

  void Add(std::string message) {
    if (messages_.size() < kMaxMessages) {
      messages_.push_back(std::move(message));
    } else {
      ++dropped_;
    }
  }
  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  // One message a line, then "... and N more problems" when some were dropped.
  std::string Joined() const;

 private:
  std::vector<std::string> messages_;
  std::size_t dropped_ = 0;
};

// Reads the members of one JSON object. Each Required/Optional call marks its key as known;
// Finish() reports every member that no call asked for. A missing required member or a
// value of the wrong type is reported and leaves `out` unchanged.
class ObjectReader {
 public:
  // `value` must outlive the reader. When it is not an object that is reported at once.
  ObjectReader(const JsonSource& source, const nlohmann::json& value, std::string pointer,
               Diagnostics& diagnostics);

  bool valid() const { return value_.is_object(); }
  const nlohmann::json& value() const { return value_; }
  const std::string& pointer() const { return pointer_; }
  bool Has(const std::string& key) const;

  template <typename T>
  bool Required(const std::string& key, T& out) {
    known_.insert(key);
    if (!Has(key)) {
      Report(pointer_, "missing required field \"" + key + "\"");
      return false;
    }
    return Convert(key, out);
  }

  template <typename T>
  bool Optional(const std::string& key, T& out) {
    known_.insert(key);
    return Has(key) && Convert(key, out);
  }

  // A nested object member, for a nested reader; null when absent or not an object.
  const nlohmann::json* Object(const std::string& key, bool required);
  // A reader over the nested object member `key` (reported like Object); nullopt when absent
  // or not an object. The caller calls Finish() on it.
  std::optional<ObjectReader> Nested(const std::string& key, bool required);
  // A nested array member; null when absent or not an array.
  const nlohmann::json* Array(const std::string& key, bool required);
  // Marks `key` as known without reading it (it is read elsewhere).
  void Skip(const std::string& key) { known_.insert(key); }
  // Marks every member as known, so Finish() reports nothing.
  void SkipRemaining() {
    if (value_.is_object()) {
      for (const auto& item : value_.items()) known_.insert(item.key());
    }
  }

  // Reports "must be between MIN and MAX, got VALUE" at `key` when `key` is present and the
  // value read from it lies outside [min, max].
  void RequireRange(const std::string& key, std::int64_t value, std::int64_t min, std::int64_t max);

  // Reports members nobody asked for, suggesting a known key that is close.
  void Finish();

  void Report(const std::string& pointer, const std::string& message);
  std::string ChildPointer(const std::string& key) const;
  // For readers of nested arrays' elements.
  const JsonSource& source() const { return source_; }
  Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  bool Convert(const std::string& key, std::string& out);
  bool Convert(const std::string& key, bool& out);
  bool Convert(const std::string& key, int& out);
  bool Convert(const std::string& key, std::int64_t& out);
  bool Convert(const std::string& key, double& out);
  bool Convert(const std::string& key, std::vector<std::string>& out);
  bool Convert(const std::string& key, std::map<std::string, std::string>& out);
  bool Convert(const std::string& key, nlohmann::json& out);
  bool TypeError(const std::string& key, const char* expected);
  // A string, or a parameter's number/boolean standing where text is expected.
  bool TextOf(const nlohmann::json& v, const std::string& pointer, std::string& out) const;

  const JsonSource& source_;
  const nlohmann::json& value_;
  std::string pointer_;
  Diagnostics& diagnostics_;
  std::set<std::string> known_;
};

// Describes a JSON value's type for messages: "a string", "the number 5", ...
std::string DescribeJson(const nlohmann::json& value);

}  // namespace stampede
