// Malformed scenarios (unknown keys, wrong types and ranges, missing required fields): each is
// rejected with a message naming file, line, column and path. The test itself is in
// scenario_errors_test.cc.
#include "scenario/malformed_scenario_test.h"

namespace stampede {
namespace {

// A case that takes apart the valid scenario of malformed_scenario_test.h keeps its lines.
const Malformed kFields[] = {
    // ---- unknown keys ----
    {"typo in a top-level key",
     R"({
  "name": "t",
  "targets": [
    {
      "name": "s",
      "command": ["prog", "--port", "{port}"]
    }
  ],
  "wrokload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"}
})",
     {"bad.json:9:3: at /wrokload: unknown field \"wrokload\" (did you mean \"workload\"?)",
      "bad.json:1:1: at /: missing required field \"workload\""}},
    {"unknown top-level key with nothing close",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"},
  "extra": 1
})",
     {"bad.json:5:3: at /extra: unknown field \"extra\""}},
    {"typo inside a target",
     R"({
  "name": "t",
  "targets": [
    {
      "name": "s",
      "comand": ["prog", "--port", "{port}"]
    }
  ],
  "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"}
})",
     {"bad.json:6:7: at /targets/0/comand: unknown field \"comand\" (did you mean \"command\"?)",
      "bad.json:4:5: at /targets/0: missing required field \"command\""}},
    {"typo inside the second target is located in the second target",
     R"({
  "name": "t",
  "targets": [
    {"name": "s", "command": ["prog"]},
    {
      "name": "u",
      "command": ["prog"],
      "evn": {}
    }
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:8:7: at /targets/1/evn: unknown field \"evn\" (did you mean \"env\"?)"}},
    {"typo inside workload",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "parallel-requests",
    "url": "http://x/",
    "reqests": 10
  }
})",
     {"bad.json:7:5: at /workload/reqests: unknown field \"reqests\" (did you mean "
      "\"requests\"?)"}},
    {"typo inside ready",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"probe": "http", "pth": "/"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:43: at /targets/0/ready/pth: unknown field \"pth\" (did you mean \"path\"?)"}},
    {"typo inside stop",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"signal": "SIGINT", "clean_exit": [0]}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:45: at /targets/0/stop/clean_exit: unknown field \"clean_exit\" (did you mean "
      "\"clean_exits\"?)"}},
    {"typo inside checks",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"},
  "checks": {"max_erors": 1}
})",
     {"bad.json:5:14: at /checks/max_erors: unknown field \"max_erors\" (did you mean "
      "\"max_errors\"?)"}},
    {"typo inside a parameter",
     R"({
  "name": "t",
  "params": {
    "n": {"defualt": 1}
  },
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:11: at /params/n/defualt: unknown field \"defualt\" (did you mean "
      "\"default\"?)",
      "bad.json:4:5: at /params/n: missing required field \"default\""}},

    // ---- wrong types and ranges ----
    {"requests as a string",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "parallel-requests",
    "url": "http://x/",
    "requests": "many"
  }
})",
     {"bad.json:7:5: at /workload/requests: expected an integer, got the string \"many\""}},
    {"requests zero",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/",
               "requests": 0}
})",
     {"bad.json:5:16: at /workload/requests: must be between 1 and 100000, got 0"}},
    {"rounds as a float",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/",
               "rounds": 1.5}
})",
     {"bad.json:5:16: at /workload/rounds: expected an integer, got the number 1.5"}},
    {"string parameter where an integer is expected",
     R"({
  "name": "t",
  "params": {"n": {"default": "lots"}},
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/",
               "requests": "{n}"}
})",
     {"bad.json:6:16: at /workload/requests: expected an integer, got the string \"lots\""}},
    {"unknown echo",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/",
               "echo": "trailer"}
})",
     {"bad.json:5:16: at /workload/echo: must be \"none\", \"header\" or \"body\", got "
      "\"trailer\""}},
    {"command as a string",
     R"({
  "name": "t",
  "targets": [
    {
      "name": "s",
      "command": "prog --port {port}"
    }
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:6:7: at /targets/0/command: expected an array of strings, got the string \"prog "
      "--port {port}\""}},
    {"command with a number",
     R"({
  "name": "t",
  "targets": [
    {
      "name": "s",
      "command": ["prog", 8080]
    }
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:6:27: at /targets/0/command/1: expected a string, got the number 8080"}},
    {"empty command",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": []}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:29: at /targets/0/command: must name a program"}},
    {"env value that is not a string",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "env": {"N": 5}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:24: at /targets/0/env/N: expected a string, got the number 5"}},
    {"negative ready deadline",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"deadline_ms": -5}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:26: at /targets/0/ready/deadline_ms: must be between 1 and 3600000, got -5"}},
    {"stop deadline beyond 32 bits",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"deadline_ms": 99999999999}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:25: at /targets/0/stop/deadline_ms: expected an integer in the 32-bit range, "
      "got the number 99999999999"}},
    {"stop deadline too long",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"deadline_ms": 3600001}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:25: at /targets/0/stop/deadline_ms: must be between 1 and 3600000, got 3600001"}},
    {"timeout_ms out of range",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"},
  "timeout_ms": -1
})",
     {"bad.json:5:3: at /timeout_ms: must be between 1 and 86400000, got -1"}},
    {"max_error_rate above 1",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"},
  "checks": {"max_error_rate": 1.5, "stall_ms": -1}
})",
     {"bad.json:5:14: at /checks/max_error_rate: must be between 0 and 1",
      "bad.json:5:37: at /checks/stall_ms: must be between 0 and 86400000, got -1"}},
    {"name that is not a string",
     R"({
  "name": 7,
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:2:3: at /name: expected a string, got the number 7"}},
    {"targets as an object",
     R"({
  "name": "t",
  "targets": {"name": "s"},
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:3: at /targets: expected an array, got an object"}},
    {"target that is not an object",
     R"({
  "name": "t",
  "targets": ["s"],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:15: at /targets/0: expected an object, got the string \"s\""}},
    {"workload that is not an object",
     R"({
  "name": "t",
  "targets": [],
  "workload": "parallel-requests"
})",
     {"bad.json:4:3: at /workload: expected an object, got the string \"parallel-requests\""}},
    {"root that is not an object",
     "[1, 2]",
     {"bad.json:1:1: at /: expected an object, got an array"}},
    {"bad target name",
     R"({
  "name": "t",
  "targets": [{"name": "9lives", "command": ["p"]}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:16: at /targets/0/name: must start with a letter"}},

    // ---- missing required fields ----
    {"missing name",
     R"({
  "targets": [],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:1:1: at /: missing required field \"name\""}},
    {"missing targets",
     R"({
  "name": "t",
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:1:1: at /: missing required field \"targets\""}},
    {"missing workload",
     R"({
  "name": "t",
  "targets": []
})",
     {"bad.json:1:1: at /: missing required field \"workload\""}},
    {"missing url",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "parallel-requests"
  }
})",
     {"bad.json:4:3: at /workload: missing required field \"url\""}},
    {"missing workload type",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"url": "http://x/"}
})",
     {"bad.json:4:3: at /workload: missing required field \"type\""}},
    {"missing command",
     R"({
  "name": "t",
  "targets": [
    {"name": "s"}
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:5: at /targets/0: missing required field \"command\""}},
    {"missing target name",
     R"({
  "name": "t",
  "targets": [
    {"command": ["p"]}
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:5: at /targets/0: missing required field \"name\""}},

};

INSTANTIATE_TEST_SUITE_P(Fields, MalformedScenarioTest, ::testing::ValuesIn(kFields));

}  // namespace
}  // namespace stampede
