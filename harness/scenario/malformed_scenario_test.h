// The table-driven test of malformed scenarios, shared by the scenario_errors_*_test.cc files:
// each file holds one concept's table and instantiates MalformedScenarioTest over it.
#ifndef STAMPEDE_SCENARIO_MALFORMED_SCENARIO_TEST_H_
#define STAMPEDE_SCENARIO_MALFORMED_SCENARIO_TEST_H_

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace stampede {

// A scenario text that ParseScenario must reject with kInvalidInput and a message holding each
// of `expected` (file:line:col: at /path: ...), each problem once.
struct Malformed {
  const char* description;
  const char* text;
  std::vector<std::string> expected;  // substrings of the error message
  Overrides overrides = {};
};

inline void PrintTo(const Malformed& c, std::ostream* os) {
  *os << c.description;
}

// The valid scenario most cases take apart, line by line (their expected line:col refer to it):
//  1 {
//  2   "name": "t",
//  3   "targets": [
//  4     {
//  5       "name": "s",
//  6       "command": ["prog", "--port", "{port}"]
//  7     }
//  8   ],
//  9   "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"}
// 10 }
class MalformedScenarioTest : public ::testing::TestWithParam<Malformed> {};

}  // namespace stampede

#endif  // STAMPEDE_SCENARIO_MALFORMED_SCENARIO_TEST_H_
