#include "checkers/timeline.h"

#include <unordered_map>

#include "checkers/op_key.h"

namespace stampede {

nlohmann::json SummarizeTimeline(const History& history) {
  std::vector<const Operation*> invokes;
  std::unordered_map<OpKey, const Operation*, OpKeyHash> completions;
  for (const Operation& op : history.ops) {
    if (op.stream != kNemesisStream || op.client == kPerturbationClient) continue;
    if (op.type == OpType::kInvoke) {
      invokes.push_back(&op);
    } else {
      completions.emplace(KeyOf(op), &op);
    }
  }
  if (invokes.empty()) return nullptr;
  auto actions = nlohmann::json::array();
  auto by_outcome = nlohmann::json::object();
  for (const Operation* invoke : invokes) {
    auto done = completions.find(KeyOf(*invoke));
    const Operation* completion = done == completions.end() ? nullptr : done->second;
    const std::string outcome = completion ? ToString(completion->type) : "unfinished";
    by_outcome[outcome] = by_outcome.value(outcome, 0) + 1;
    if (actions.size() >= kMaxTimelineEntries) continue;
    nlohmann::json entry = {{"at_ms", NanosToMillis(invoke->time_ns)},
                            {"action", invoke->f},
                            {"seq", invoke->seq},
                            {"outcome", outcome},
                            {"took_ms", nullptr}};
    if (completion) {
      entry["took_ms"] = NanosToMillis(completion->time_ns - invoke->time_ns);
      if (!completion->got.empty()) entry["result"] = completion->got;
      if (!completion->error.empty()) entry["error"] = completion->error;
      if (!completion->expected.empty()) entry["expected"] = completion->expected;
    }
    actions.push_back(std::move(entry));
  }
  const auto count = static_cast<std::int64_t>(invokes.size());
  return {
      {"actions", std::move(actions)},
      {"count", count},
      {"more", count - static_cast<std::int64_t>(std::min(invokes.size(), kMaxTimelineEntries))},
      {"by_outcome", std::move(by_outcome)}};
}

}  // namespace stampede
