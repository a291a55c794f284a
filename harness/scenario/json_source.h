// JSON text parsed together with where each value came from, so that validation errors
// can name a file, a line, a column and a JSON path.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/status.h"
#include "scenario/value_locations.h"

namespace stampede {

struct SourceLocation {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

// A parsed document and the location of each value, found by JSON pointer ("" for the root,
// "/targets/0/name", ...). For an object member the location is that of its key, which is
// where a reader looks for a mistake in that member. Parsing takes time and memory linear in
// the text, whatever it holds.
class JsonSource {
 public:
  // Arrays and objects nested inside each other deeper than this are an error (a scenario
  // needs about 6 levels); it also bounds the recursion of everything that walks the document.
  static constexpr std::size_t kMaxDepth = 64;
  // The largest file Load reads (scenarios in the repository have a few KiB).
  static constexpr std::size_t kMaxFileBytes = 1024 * 1024;

  // Parses `text`. Each of these is an InvalidInput naming `name`, the line and column: a
  // syntax error, text that is not UTF-8, nesting deeper than kMaxDepth, and a key that an
  // object has already (naming where the first one is).
  static Result<JsonSource> Parse(std::string name, const std::string& text);
  // Reads (see ReadTextFile: at most kMaxFileBytes) and parses a file; a missing or unreadable
  // path, a directory or a larger file is an InvalidInput naming the path.
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
  // "name:line:col" of a byte offset into the text.
  std::string At(std::size_t offset) const;

  std::string name_;
  nlohmann::json root_;
  ValueLocations locations_;
  LineIndex lines_;
  std::size_t size_ = 0;  // of the text
  std::set<std::string> parameter_values_;
};

// A member name as a JSON pointer token ("a/b" → "a~1b").
std::string EscapePointerToken(const std::string& token);

}  // namespace stampede
