// JSON text parsed together with where each value came from, so that validation errors
// can name a file, a line, a column and a JSON path.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/status.h"

namespace stampede {

struct SourceLocation {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

// A parsed document and the location of each value, keyed by JSON pointer
// ("" for the root, "/targets/0/name", ...). For an object member the location is that of
// its key, which is where a reader looks for a mistake in that member.
class JsonSource {
 public:
  // Parses `text`; a syntax error is an InvalidInput naming `name`, the line and column.
  static Result<JsonSource> Parse(std::string name, const std::string& text);
  // Reads and parses a file; an unreadable file is an EnvironmentError.
  static Result<JsonSource> Load(const std::filesystem::path& path);

  const nlohmann::json& root() const { return root_; }
  nlohmann::json& mutable_root() { return root_; }
  const std::string& name() const { return name_; }
  SourceLocation Locate(const std::string& pointer) const;
  // "file:line:col: at /path: message", leaving out what is unknown.
  std::string Describe(const std::string& pointer, const std::string& message) const;

  // Values that a parameter placeholder replaced with a number or boolean ("{requests}").
  // Where text is expected such a value stands for its text, e.g. in a command line.
  void MarkParameterValue(const std::string& pointer) { parameter_values_.insert(pointer); }
  bool IsParameterValue(const std::string& pointer) const {
    return parameter_values_.count(pointer) != 0;
  }

 private:
  std::string name_;
  nlohmann::json root_;
  std::map<std::string, SourceLocation> locations_;
  std::set<std::string> parameter_values_;
};

// A member name as a JSON pointer token ("a/b" → "a~1b").
std::string EscapePointerToken(const std::string& token);

}  // namespace stampede
