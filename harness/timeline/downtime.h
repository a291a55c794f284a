// When a run's targets were down on purpose: the windows between the nemesis's stop (or
// restart) of a target and the completion of the start (or restart) that brought it back.
// Failures of the loads inside such a window are the expected cost of the action (refused
// connects, connections closed by the stop), not errors of the target. Pure function.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "checkers/errors_checker.h"
#include "history/history.h"
#include "timeline/action_spec.h"

namespace stampede {

struct DowntimeWindow {
  std::string target;
  std::int64_t begin_ns = 0;  // the stop's or restart's invoke
  std::int64_t end_ns = 0;    // the start's or restart's completion; INT64_MAX when never back
};

// `ops` holds the nemesis's operations (stream "nemesis", client = index into `actions`), in
// time order; other operations are ignored. A stop opens a window for its target that the
// completion of the next start (or restart) of that target closes; a restart opens and closes
// its own; a start alone opens one from its invoke to its completion.
std::vector<DowntimeWindow> DowntimeWindows(const std::vector<Operation>& ops,
                                            const std::vector<ActionSpec>& actions);

// The windows as the errors checker takes them.
std::vector<TimeSpan> DowntimeSpans(const std::vector<Operation>& ops,
                                    const std::vector<ActionSpec>& actions);

// The verdict's timeline.downtime: {"windows": [{"target", "from_ms", "to_ms" (null when the
// target never came back)}] (at most 100), "count", "excused_failures" (load failures inside
// a window by a reconnecting stream, not counted as errors: `excused_failures`, as the errors
// checker counted them)}; null when no action stopped or started a target. `ops` as in
// DowntimeWindows.
nlohmann::json SummarizeDowntime(const std::vector<Operation>& ops,
                                 const std::vector<ActionSpec>& actions,
                                 std::int64_t excused_failures);

}  // namespace stampede
