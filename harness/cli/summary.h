// The human-readable summary of a verdict that `stampede run` prints on stdout.
#pragma once

#include <string>

#include "run/verdict.h"

namespace stampede {

// A few lines: the outcome with the run folder, one line per failure, the stats and the
// reproduce command. `color` adds ANSI colours to the outcome word.
std::string FormatSummary(const Verdict& verdict, const std::string& dir, bool color);

}  // namespace stampede
