// JUnit XML (the Ant/Jenkins shape, reports/junit.xsd) of a suite, for CI systems: one
// <testsuite> per scenario, one <testcase> per cell and attempt. Pure except that it lists the
// evidence files that exist in each attempt's run folder.
#pragma once

#include <string>

#include "reports/suite_data.h"

namespace stampede::reports {

// The document. Per attempt of a cell (name "ID #N" when the cell has several attempts, else
// ID; classname the scenario; time in seconds):
//   pass of an expect-pass cell, or any attempt of an expected-fail cell → passes (an expected
//     failure is told in <system-out>);
//   fail of an expect-pass cell → <failure type="KIND" message="KIND: summary"> (first failure);
//   each attempt of an unexpected-pass cell → <failure type="unexpected-pass">;
//   error → <error type="error">; aborted → <error type="aborted">.
// <system-out> holds the reproduce command, the run folder and its evidence files.
std::string JunitXml(const Suite& suite);

}  // namespace stampede::reports
