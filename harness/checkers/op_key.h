// Small helpers the checkers share for reading a History: the (client, seq) key that pairs an
// invoke with its completion, the millisecond unit used in summaries and evidence, and the
// start-stop cycle a process event belongs to.
// Header-only; every function is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>

#include "history/event.h"

namespace stampede {

// Identifies one operation: an invoke and its completion carry the same (client, seq) within
// their stream. `stream` views the operation's own string: keys live no longer than the history.
struct OpKey {
  int client = 0;
  std::int64_t seq = 0;
  std::string_view stream{};

  friend bool operator==(const OpKey&, const OpKey&) = default;
};

// Hash for OpKey, for std::unordered_map / std::unordered_set.
struct OpKeyHash {
  std::size_t operator()(const OpKey& key) const noexcept {
    std::size_t hash = std::hash<std::int64_t>{}(key.seq);
    hash ^= std::hash<int>{}(key.client) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
    if (!key.stream.empty()) {
      hash ^= std::hash<std::string_view>{}(key.stream) + 0x9e3779b97f4a7c15ULL + (hash << 6) +
              (hash >> 2);
    }
    return hash;
  }
};

inline OpKey KeyOf(const Operation& op) {
  return {op.client, op.seq, op.stream};
}

// Stable copies of the (few) stream names, for keys that must outlive the operation they were
// made from: a streaming checker sees each operation only for the length of one call.
class StreamNames {
 public:
  std::string_view Intern(const std::string& name) { return *names_.insert(name).first; }

 private:
  std::unordered_set<std::string> names_;  // node-based: views into it stay valid
};

// KeyOf(op) whose stream views `names` instead of the operation.
inline OpKey StableKeyOf(const Operation& op, StreamNames& names) {
  return {op.client, op.seq, names.Intern(op.stream)};
}

// True for ok, fail and info: the records that end an operation.
inline bool IsCompletion(const Operation& op) {
  return op.type != OpType::kInvoke;
}

// Whole milliseconds, truncated toward zero (history times are nanoseconds).
inline std::int64_t NanosToMillis(std::int64_t ns) {
  return ns / 1'000'000;
}

// " in cycle N" when `event` belongs to a start-stop cycle, else "".
inline std::string CycleWords(const ProcessEvent& event) {
  return event.cycle ? " in cycle " + std::to_string(*event.cycle) : std::string();
}

// Sets evidence["cycle"] when `event` belongs to a start-stop cycle.
inline void AddCycle(const ProcessEvent& event, nlohmann::json& evidence) {
  if (event.cycle) evidence["cycle"] = *event.cycle;
}

}  // namespace stampede
