// Malformed scenarios (parameters, invalid JSON and --set overrides): each is rejected with a
// message naming file, line, column and path. The test itself is in scenario_errors_test.cc.
#include "scenario/malformed_scenario_test.h"

namespace stampede {
namespace {

// A case that takes apart the valid scenario of malformed_scenario_test.h keeps its lines.
const Malformed kInput[] = {
    // ---- parameters ----
    {"parameter default that is not a scalar",
     R"({
  "name": "t",
  "params": {"n": {"default": [1]}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:20: at /params/n/default: must be a string, number or boolean"}},
    {"parameter default outside its choices",
     R"({
  "name": "t",
  "params": {"bug": {"default": "x", "choices": ["none", "unsafe-cache"]}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:38: at /params/bug/choices: must include the default \"x\""}},

    // ---- invalid JSON ----
    {"trailing comma in an array",
     R"({
  "name": "t",
  "targets": [
    {"name": "s", "command": ["p",]}
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:35: invalid JSON: syntax error while parsing value - unexpected ']'"}},
    {"trailing comma in an object",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"},
})",
     {"bad.json:5:1: invalid JSON: syntax error while parsing object key - unexpected '}'"}},
    {"unclosed brace",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
)",
     {"bad.json:5:1: invalid JSON: syntax error while parsing object - unexpected end of input; "
      "expected '}'"}},
    {"missing comma",
     R"({
  "name": "t"
  "targets": []
})",
     {"bad.json:3:3: invalid JSON: ", "expected '}'"}},

    // ---- --set ----
    {"--set of an unknown parameter",
     R"({
  "name": "t",
  "params": {"requests": {"default": 10}, "bug": {"default": "none"}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/", "requests": "{requests}"}
})",
     {"--set reqests: the scenario has no parameter \"reqests\" (parameters: bug, requests)"},
     {{"reqests", "5"}}},
    {"--set with a wrong type",
     R"({
  "name": "t",
  "params": {"requests": {"default": 10}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/", "requests": "{requests}"}
})",
     {"--set requests=lots: expected an integer"},
     {{"requests", "lots"}}},
    {"--set outside the choices",
     R"({
  "name": "t",
  "params": {"bug": {"default": "none", "choices": ["none", "unsafe-cache"]}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/?bug={bug}"}
})",
     {"--set bug=other: must be one of none, unsafe-cache"},
     {{"bug", "other"}}},
    {"--set within range of the type but not of the field",
     R"({
  "name": "t",
  "params": {"requests": {"default": 10}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/",
               "requests": "{requests}"}
})",
     {"bad.json:6:16: at /workload/requests: must be between 1 and 100000, got 0"},
     {{"requests", "0"}}},
};

INSTANTIATE_TEST_SUITE_P(Input, MalformedScenarioTest, ::testing::ValuesIn(kInput));

}  // namespace
}  // namespace stampede
