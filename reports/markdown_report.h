// The Markdown summary of a suite (GitHub-flavoured, fit for $GITHUB_STEP_SUMMARY or a pull
// request comment): the verdict matrix, key figures per cell and, with a baseline, the changes.
// Pure function: user text is escaped (text_escape.h), nothing is read from disk.
#pragma once

#include <string>

#include "reports/baseline_compare.h"
#include "reports/suite_data.h"

namespace stampede::reports {

// `comparison` is null without a baseline.
std::string MarkdownReport(const Suite& suite, const Comparison* comparison);

}  // namespace stampede::reports
