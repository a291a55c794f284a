// Limits on what a scenario may hold where the system or a library has limits of its own:
// names that become file names and placeholders, command lines and environments that
// execve takes, patterns that std::regex compiles. Each check reports through the reader of
// the object that holds the value, so messages name file, line, column and JSON path.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

constexpr std::size_t kMaxNameBytes = 100;            // a scenario's, target's, port's name
constexpr std::size_t kMaxArgumentBytes = 64 * 1024;  // a word of a command, an env value
constexpr std::size_t kMaxPatternBytes = 1024;        // a regex a scenario gives

bool IsAsciiLetter(char c);
bool IsAsciiDigit(char c);

// True when `text` is 1 to kMaxNameBytes bytes, `first(text[0])` holds and `rest(c)` for every
// other byte. Written by hand: std::regex recurses once per character and overflows the stack
// on a long string.
template <typename First, typename Rest>
bool IsName(std::string_view text, First first, Rest rest) {
  if (text.empty() || text.size() > kMaxNameBytes || !first(text.front())) return false;
  for (char c : text.substr(1)) {
    if (!rest(c)) return false;
  }
  return true;
}

// The message for a name IsName refused: `rule` (what its characters must be), or that it is
// longer than kMaxNameBytes.
std::string NameProblem(std::string_view name, const std::string& rule);

// Reports a command line (member `key` of the reader's object) that cannot run: an empty
// program, a word holding a NUL byte, a word longer than kMaxArgumentBytes. An empty list is
// left to the caller.
void CheckCommandLine(ObjectReader& reader, const std::string& key,
                      const std::vector<std::string>& command);

// Reports environment variables (member `key`) that execve cannot pass: an empty name, a name
// with '=' or NUL, a value with NUL or longer than kMaxArgumentBytes.
void CheckEnvironment(ObjectReader& reader, const std::string& key,
                      const std::map<std::string, std::string>& env);

// Reports a "name" member of the reader's object that is a string longer than kMaxNameBytes;
// true when the name is absent or short enough, so that other readers may match it.
bool CheckNameLength(ObjectReader& reader);

}  // namespace stampede
