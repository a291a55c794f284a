// Where each value of a parsed JSON document starts. The values form a tree keyed by member
// name or element index, so recording a value costs its own key (an array element: nothing)
// and never its whole path: memory and time stay linear in the text however deeply or widely
// the document nests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stampede {

class ValueLocations {
 public:
  using Id = std::uint32_t;

  // The root value, starting at byte `offset`; recorded first and once.
  Id AddRoot(std::size_t offset);
  // Member `key` of the object `parent`. When the object has that key already nothing is
  // recorded: returns the earlier member's id and false.
  std::pair<Id, bool> AddMember(Id parent, const std::string& key, std::size_t offset);
  // The next element of the array `parent`.
  Id AddElement(Id parent, std::size_t offset);

  std::size_t offset(Id id) const { return offsets_[id]; }
  // The offset of the value at the JSON pointer ("" for the root, "/a/0"), or of its
  // nearest recorded ancestor; nullopt when not even the root was recorded.
  std::optional<std::size_t> Find(std::string_view pointer) const;

 private:
  std::optional<Id> Child(Id parent, const std::string& token) const;

  std::vector<std::size_t> offsets_;  // by id
  std::map<std::pair<Id, std::string>, Id> members_;
  std::unordered_map<Id, std::vector<Id>> elements_;  // arrays' elements, by index
};

// Line and column (1-based, in bytes) of an offset into one text.
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);
  // {line, column}; offsets past the end count from the last line's start.
  std::pair<int, int> LineAndColumn(std::size_t offset) const;

 private:
  std::vector<std::size_t> line_starts_{0};
};

}  // namespace stampede
