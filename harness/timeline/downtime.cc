#include "timeline/downtime.h"

#include <cstring>
#include <map>

#include "checkers/op_key.h"

namespace stampede {
namespace {

bool ChangesLifecycle(ActionType type) {
  return type == ActionType::kStop || type == ActionType::kStart || type == ActionType::kRestart;
}

}  // namespace

std::vector<DowntimeWindow> DowntimeWindows(const std::vector<Operation>& ops,
                                            const std::vector<ActionSpec>& actions) {
  std::vector<DowntimeWindow> windows;
  std::map<std::string, std::size_t> open;  // target -> index into windows
  for (const auto& op : ops) {
    if (op.stream != kNemesisStream || op.client < 0 ||
        static_cast<std::size_t>(op.client) >= actions.size()) {
      continue;
    }
    const ActionSpec& action = actions[static_cast<std::size_t>(op.client)];
    if (!ChangesLifecycle(action.type)) continue;
    auto it = open.find(action.target);
    if (op.type == OpType::kInvoke) {
      if (it == open.end()) {
        open[action.target] = windows.size();
        windows.push_back({action.target, op.time_ns, INT64_MAX});
      }
    } else if (action.type != ActionType::kStop && it != open.end()) {
      windows[it->second].end_ns = op.time_ns;
      open.erase(it);
    }
  }
  return windows;
}

std::vector<TimeSpan> DowntimeSpans(const std::vector<Operation>& ops,
                                    const std::vector<ActionSpec>& actions) {
  std::vector<TimeSpan> spans;
  for (const auto& window : DowntimeWindows(ops, actions)) {
    spans.push_back({window.begin_ns, window.end_ns});
  }
  return spans;
}

nlohmann::json SummarizeDowntime(const std::vector<Operation>& ops,
                                 const std::vector<ActionSpec>& actions,
                                 std::int64_t excused_failures) {
  constexpr std::size_t kMaxListed = 100;
  const auto windows = DowntimeWindows(ops, actions);
  if (windows.empty()) return nullptr;
  auto listed = nlohmann::json::array();
  for (const auto& window : windows) {
    if (listed.size() >= kMaxListed) break;
    listed.push_back(
        {{"target", window.target},
         {"from_ms", NanosToMillis(window.begin_ns)},
         {"to_ms", window.end_ns == INT64_MAX ? nlohmann::json(nullptr)
                                              : nlohmann::json(NanosToMillis(window.end_ns))}});
  }
  return {{"windows", std::move(listed)},
          {"count", windows.size()},
          {"excused_failures", excused_failures}};
}

}  // namespace stampede
