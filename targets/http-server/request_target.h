// Parsing a request target ("/echo?seq=1&x=a%20b") against the RFC 3986 origin-form grammar
// into its path and decoded query parameters.
//
// The grammar is matched with std::regex, which costs about a microsecond per target; that is
// why routes.cc looks parsed targets up through RouteCache instead of parsing every time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct ParsedTarget {
  bool valid = false;  // The target matched the grammar; otherwise the other fields are empty.
  std::string path;    // Everything before '?', not decoded (routes match it literally).
  std::vector<std::pair<std::string, std::string>> params;  // Decoded, in order of appearance.

  // The value of the first parameter named `key`, or nullptr.
  const std::string* Find(std::string_view key) const;
};

// Longest target ParseTarget accepts. libstdc++'s std::regex matcher recurses once per input
// character (a few hundred bytes of stack each), so longer targets could overflow a thread's
// stack; routes.cc answers them with 414 URI Too Long without parsing.
inline constexpr size_t kMaxTargetBytes = 2048;

// Parses `target`. Not valid if it does not match the grammar or is longer than kMaxTargetBytes.
// In the query, "a" without '=' has an empty value and '+' stands for a space.
ParsedTarget ParseTarget(std::string_view target);
