#include "scenario/file_template.h"

#include <algorithm>
#include <cctype>

namespace stampede {
namespace {

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

// Length of the placeholder "{name}" at text[pos] (pos at '{'), or 0 when there is none.
std::size_t PlaceholderAt(std::string_view text, std::size_t pos) {
  std::size_t end = pos + 1;
  if (end >= text.size() || !IsNameStart(text[end])) return 0;
  while (end < text.size() && IsNameChar(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end + 1 - pos : 0;
}

// Calls visit(pos, length) for each placeholder, in order.
template <typename Visit>
void ForEachPlaceholder(std::string_view text, Visit visit) {
  for (std::size_t pos = text.find('{'); pos != std::string_view::npos;
       pos = text.find('{', pos + 1)) {
    if (std::size_t length = PlaceholderAt(text, pos); length > 0) visit(pos, length);
  }
}

}  // namespace

std::vector<FilePlaceholder> FilePlaceholders(std::string_view text) {
  std::vector<FilePlaceholder> found;
  int line = 1;
  std::size_t counted = 0;  // newlines before this offset are in `line`
  ForEachPlaceholder(text, [&](std::size_t pos, std::size_t length) {
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                        text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    counted = pos;
    found.push_back({std::string(text.substr(pos + 1, length - 2)), line});
  });
  return found;
}

std::string ExpandFileTemplate(std::string_view text, const PlaceholderValues& values) {
  std::string out;
  std::size_t copied = 0;
  ForEachPlaceholder(text, [&](std::size_t pos, std::size_t length) {
    auto value = values.find(text.substr(pos + 1, length - 2));
    if (value == values.end()) return;
    out.append(text.substr(copied, pos - copied));
    out.append(value->second);
    copied = pos + length;
  });
  out.append(text.substr(copied));
  return out;
}

std::size_t ExpandedFileTemplateLength(std::string_view text, const PlaceholderValues& values) {
  std::size_t length = text.size();
  ForEachPlaceholder(text, [&](std::size_t pos, std::size_t placeholder) {
    auto value = values.find(text.substr(pos + 1, placeholder - 2));
    if (value != values.end()) length = length - placeholder + value->second.size();
  });
  return length;
}

}  // namespace stampede
