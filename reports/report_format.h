// Plain-text pieces shared by the HTML and Markdown reports: numbers, durations, the first
// failure of a cell, shortened summaries. Pure functions; results are not escaped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reports/suite_data.h"

namespace stampede::reports {

// "4391.6", "12", "0.25": at most `decimals` decimals, trailing zeros dropped.
std::string Number(double value, int decimals = 1);

// A latency in microseconds, scaled: "850 µs", "1.79 ms", "2.40 s".
std::string Micros(double us);

// "+12.3%" / "-4.0%".
std::string SignedPercent(double fraction);

// At most `max_bytes` bytes of `text` cut at a UTF-8 character boundary, "…" appended when cut.
std::string Shorten(std::string_view text, std::size_t max_bytes);

// The first failure of the cell's attempts, in attempt order; the error of the first errored
// attempt when none failed; absent when neither.
struct FirstProblem {
  int attempt = 0;
  std::string kind;     // failure kind, or "error" / "aborted"
  std::string summary;  // the failure's summary or the error message
};
std::optional<FirstProblem> FirstProblemOf(const Cell& cell);

// "mismatch ×3, crash ×1" from failures_by_kind; "" when none.
std::string KindsText(const Cell& cell);

// "3 pass, 1 fail, 1 error" (only non-zero counts; "no attempts" when empty).
std::string AttemptCountsText(const Cell& cell);

// "shard 1/3" labels and commands of the sources, one line each.
std::string SourceLine(const SuiteSource& source);

}  // namespace stampede::reports
