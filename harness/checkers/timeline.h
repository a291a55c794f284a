// The nemesis's actions of a run, as the verdict shows them: when each firing started, what it
// was, how it ended and what it did. Pure function of the history.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "history/history.h"

namespace stampede {

// At most this many firings are listed; the rest are counted in "more".
constexpr std::size_t kMaxTimelineEntries = 200;

// {"actions": [{"at_ms", "action", "seq", "outcome" ("ok"|"fail"|"info"|"unfinished"),
// "took_ms" (null when unfinished), "result" (what it did or got), "error"}...], "count",
// "more", "by_outcome": {outcome: n}}, in order of invocation; null when the run had no action.
nlohmann::json SummarizeTimeline(const History& history);

}  // namespace stampede
