// The HTML report: ONE self-contained page (inline CSS and SVG, no scripts, nothing from the
// network, readable without JavaScript). A verdict matrix (scenarios × cell values, coloured by
// outcome), a table of cells with failure kinds, the first failure and links to every attempt's
// run folder, verdict.json and evidence files, the charts (html_charts.h) and, with a baseline,
// the comparison. Reads the filesystem only to link the evidence files that exist.
#pragma once

#include <filesystem>
#include <string>

#include "reports/baseline_compare.h"
#include "reports/suite_data.h"

namespace stampede::reports {

// `document` is where the page will be written: links are relative to its folder.
// `comparison` is null without a baseline. User text is HTML-escaped.
std::string HtmlReport(const Suite& suite, const Comparison* comparison,
                       const std::filesystem::path& document);

}  // namespace stampede::reports
