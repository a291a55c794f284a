// Small text helpers the HTTP/1.x parsers share (header names and values).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace stampede::http {

// ASCII lower case, for header names and tokens, which compare case-insensitively.
inline std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

// `text` without leading and trailing spaces and tabs (optional whitespace around a value).
inline std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace stampede::http
