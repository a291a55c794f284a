#include "scenario/value_locations.h"

#include <algorithm>
#include <charconv>

namespace stampede {
namespace {

// "a~1b" → "a/b", "c~0d" → "c~d".
std::string UnescapePointerToken(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[++i] == '0' ? '~' : '/';
    } else {
      out += token[i];
    }
  }
  return out;
}

}  // namespace

ValueLocations::Id ValueLocations::AddRoot(std::size_t offset) {
  offsets_.assign(1, offset);
  members_.clear();
  elements_.clear();
  return 0;
}

std::pair<ValueLocations::Id, bool> ValueLocations::AddMember(Id parent, const std::string& key,
                                                              std::size_t offset) {
  const auto id = static_cast<Id>(offsets_.size());
  auto [it, added] = members_.try_emplace({parent, key}, id);
  if (!added) return {it->second, false};
  offsets_.push_back(offset);
  return {id, true};
}

ValueLocations::Id ValueLocations::AddElement(Id parent, std::size_t offset) {
  const auto id = static_cast<Id>(offsets_.size());
  offsets_.push_back(offset);
  elements_[parent].push_back(id);
  return id;
}

std::optional<ValueLocations::Id> ValueLocations::Child(Id parent, const std::string& token) const {
  if (auto array = elements_.find(parent); array != elements_.end()) {
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    const bool leading_zero = token.size() > 1 && token.front() == '0';
    if (ec != std::errc() || end != token.data() + token.size() || leading_zero ||
        index >= array->second.size()) {
      return std::nullopt;
    }
    return array->second[index];
  }
  auto member = members_.find({parent, token});
  if (member == members_.end()) return std::nullopt;
  return member->second;
}

std::optional<std::size_t> ValueLocations::Find(std::string_view pointer) const {
  if (offsets_.empty()) return std::nullopt;
  Id id = 0;
  while (!pointer.empty() && pointer.front() == '/') {
    pointer.remove_prefix(1);
    const auto slash = std::min(pointer.find('/'), pointer.size());
    auto child = Child(id, UnescapePointerToken(pointer.substr(0, slash)));
    if (!child) break;
    id = *child;
    pointer.remove_prefix(slash);
  }
  return offsets_[id];
}

LineIndex::LineIndex(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::pair<int, int> LineIndex::LineAndColumn(std::size_t offset) const {
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(after - line_starts_.begin());  // >= 1
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

}  // namespace stampede
