// `stampede report`: suite folders in, report files out. The one entry point the CLI calls.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "reports/report_error.h"

namespace stampede::reports {

struct ReportRequest {
  // Suite folders (or their suite.json files): shards, merged into one report. At least one.
  std::vector<std::filesystem::path> suites;
  // Optional baseline suite folders (also merged); empty: no comparison.
  std::vector<std::filesystem::path> baseline;
  // Outputs to write; each parent folder is created. None given: nothing is written, but the
  // suites are still loaded and validated.
  std::optional<std::filesystem::path> html, markdown, junit;
};

// What the report found, for the CLI's exit code and its one-line summary.
struct ReportSummary {
  int cells = 0;
  int unexpected = 0;   // cells whose outcome is not as expected
  int regressions = 0;  // significant throughput/p99 regressions against the baseline
  int verdict_changes = 0;
  std::vector<std::filesystem::path> written;  // in the order html, markdown, junit
};

// Loads, merges and validates the suites (and the baseline), then writes each requested
// output (atomically: a temporary file renamed into place). Errors: a missing, unreadable or
// malformed suite.json (kInvalidInput, naming the file and the JSON path), an output that
// cannot be written (kEnvironment, naming the file). Not thread-safe with respect to the
// output paths.
ReportResult<ReportSummary> RunReport(const ReportRequest& request);

}  // namespace stampede::reports
