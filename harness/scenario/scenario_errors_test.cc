// Malformed scenarios: each is rejected with a message naming file, line, column and path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "scenario/scenario.h"

namespace stampede {
namespace {

using ::testing::HasSubstr;

struct Malformed {
  const char* description;
  const char* text;
  std::vector<std::string> expected;  // substrings of the error message
  Overrides overrides = {};
};

void PrintTo(const Malformed& c, std::ostream* os) {
  *os << c.description;
}

class MalformedScenarioTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedScenarioTest, IsRejectedWithALocatedMessage) {
  const auto& c = GetParam();
  auto scenario = ParseScenario("bad.json", c.text, c.overrides);
  ASSERT_FALSE(scenario.ok()) << c.description;
  EXPECT_EQ(scenario.error().kind, ErrorKind::kInvalidInput);
  for (const auto& expected : c.expected) {
    EXPECT_THAT(scenario.error().message, HasSubstr(expected)) << c.description;
  }
  // Each problem is reported once.
  const auto& message = scenario.error().message;
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= message.size();) {
    auto end = std::min(message.find('\n', start), message.size());
    lines.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(std::adjacent_find(lines.begin(), lines.end()), lines.end()) << message;
}

// A valid scenario to take apart, line by line:
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
const Malformed kMalformed[] = {
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

    // ---- workload type ----
    {"unknown workload type",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "tcp-flood"
  }
})",
     {"bad.json:5:5: at /workload/type: unknown workload type \"tcp-flood\" (known: "
      "parallel-requests, pingpong, rpc, http, lines, start-stop, reload-storm, client-run)"}},
    {"start-stop: busy connections without a request, an unknown protocol, no cycles",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "start-stop",
    "cycles": 0,
    "protocol": "grpc",
    "address": "127.0.0.1:1",
    "busy_connections": 2,
    "port_release_ms": 5
  }
})",
     {"bad.json:6:5: at /workload/cycles: must be between 1 and 1000000, got 0",
      "bad.json:7:5: at /workload/protocol: must be \"http\" or \"resp\", got \"grpc\"",
      "bad.json:9:5: at /workload/busy_connections: busy connections need a non-empty "
      "\"busy_request\"",
      "bad.json:10:5: at /workload/port_release_ms: unknown field \"port_release_ms\""}},
    {"reload-storm: too many connections per tab, no weight, a path without a slash",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "reload-storm",
    "address": "127.0.0.1:1",
    "connections_per_tab": 7,
    "paths": ["/", "index.html"],
    "abort_mix": {"rst": 0, "fin": 0, "idle": 0, "slam": 1}
  }
})",
     {"bad.json:7:5: at /workload/connections_per_tab: must be between 1 and 6, got 7",
      "bad.json:9:5: at /workload/abort_mix: needs at least one positive weight",
      "bad.json:9:50: at /workload/abort_mix/slam: unknown field \"slam\"",
      "bad.json:8:20: at /workload/paths/1: must be a request target starting with \"/\", got "
      "\"index.html\""}},
    {"pingpong: out-of-range pipeline and a mode the protocol lacks",
     R"({
  "name": "t",
  "targets": [],
  "workload": {
    "type": "pingpong",
    "address": "127.0.0.1:1",
    "protocol": "line",
    "mode": "set-get",
    "pipeline": 0
  }
})",
     {"bad.json:8:5: at /workload/mode: \"set-get\" needs protocol \"resp\"",
      "bad.json:9:5: at /workload/pipeline: must be between 1 and 1024, got 0"}},
    {"rpc: unknown method and callers out of range",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "rpc", "address": "127.0.0.1:1", "callers": 0, "methods": ["echo", "add"]}
})",
     {"bad.json:4:57: at /workload/callers: must be between 1 and 100000, got 0",
      "at /workload/methods/1: must be \"echo\", \"reverse\" or \"upper\", got \"add\""}},
    {"pingpong: missing address, unknown protocol",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "pingpong", "protocol": "http"}
})",
     {"bad.json:4:3: at /workload: missing required field \"address\"",
      "bad.json:4:36: at /workload/protocol: must be \"resp\" or \"line\", got \"http\""}},
    {"a rate together with pacing, and a negative rate",
     R"({
  "name": "t",
  "targets": [],
  "loads": [
    {"name": "a", "type": "http", "address": "127.0.0.1:1", "rate": 100, "pace_ms": 5},
    {"name": "b", "type": "lines", "address": "127.0.0.1:1", "rate": -1,
     "steps": [{"send": "x\n", "expect": ["x"]}]}
  ]
})",
     {"bad.json:5:61: at /loads/0/rate: a load runs at a rate or is paced (pace_ms), not both",
      "bad.json:6:62: at /loads/1/rate: must be between 0 and 100000000 requests per second"}},

    // ---- placeholders ----
    {"unknown placeholder in a command",
     R"({
  "name": "t",
  "targets": [
    {
      "name": "s",
      "command": ["prog", "--port", "{nosuch}"]
    }
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:6:37: at /targets/0/command/2: unknown placeholder {nosuch} (known here: "
      "parameters, {port}, {run_dir}, {s.port}, {scenario_dir}, {seed}, {targets})"}},
    {"port of a target that does not exist",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"]}],
  "workload": {"type": "parallel-requests",
               "url": "http://127.0.0.1:{other.port}/"}
})",
     {"bad.json:5:16: at /workload/url: unknown placeholder {other.port}"}},
    {"{port} is not known in the workload",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"]}],
  "workload": {"type": "parallel-requests",
               "url": "http://127.0.0.1:{port}/"}
})",
     {"bad.json:5:16: at /workload/url: unknown placeholder {port} (known here: parameters, "
      "{run_dir}, {s.port}, {scenario_dir}, {seed}, {seq}, {targets})"}},
    {"{seq} is not known in a target",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "env": {"SEQ": "{seq}"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:24: at /targets/0/env/SEQ: unknown placeholder {seq}"}},
    {"unclosed brace",
     R"({
  "name": "t",
  "targets": [],
  "workload": {"type": "parallel-requests",
               "url": "http://x/{seq"}
})",
     {"bad.json:5:16: at /workload/url: unclosed \"{\" in \"http://x/{seq\" (write {{ for a "
      "brace)"}},
    {"unmatched closing brace",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p", "a}"]}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:3:46: at /targets/0/command/1: unmatched \"}\""}},

    // ---- targets ----
    {"duplicate target names",
     R"({
  "name": "t",
  "targets": [
    {"name": "s", "command": ["p"]},
    {"name": "s", "command": ["q"]}
  ],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:5:6: at /targets/1/name: duplicate target name \"s\""}},
    {"bad probe kind",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"probe": "udp"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:26: at /targets/0/ready/probe: must be \"tcp\", \"http\", \"log\" or \"none\", "
      "got \"udp\""}},
    {"log probe without a pattern",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"probe": "log"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:16: at /targets/0/ready: probe \"log\" needs \"pattern\""}},
    {"invalid regex",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"probe": "log", "pattern": "([a-z"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:42: at /targets/0/ready/pattern: invalid regex: "}},
    {"bad log stream",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "ready": {"probe": "log", "pattern": "up", "stream": "stdin"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:59: at /targets/0/ready/stream: must be \"stdout\" or \"stderr\""}},
    {"unknown signal name",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"signal": "SIGFOO"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:25: at /targets/0/stop/signal: unknown signal \"SIGFOO\""}},
    {"signal number out of range",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"signal": "0"}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:25: at /targets/0/stop/signal: unknown signal \"0\""}},
    {"clean_exits with bad items",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"clean_exits": [0, "SIGNOPE", 1.5, 256, -1, true]}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:44: at /targets/0/stop/clean_exits/1: expected an exit code (0-255) or a "
      "signal name, got the string \"SIGNOPE\"",
      "bad.json:4:55: at /targets/0/stop/clean_exits/2: expected an exit code (0-255) or a "
      "signal name, got the number 1.5",
      "bad.json:4:60: at /targets/0/stop/clean_exits/3: expected an exit code (0-255) or a "
      "signal name, got the number 256",
      "bad.json:4:65: at /targets/0/stop/clean_exits/4: expected an exit code (0-255) or a "
      "signal name, got the number -1",
      "bad.json:4:69: at /targets/0/stop/clean_exits/5: expected an exit code (0-255) or a "
      "signal name, got true"}},
    {"clean_exits that is not an array",
     R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["p"],
               "stop": {"clean_exits": 0}}],
  "workload": {"type": "parallel-requests", "url": "http://x/"}
})",
     {"bad.json:4:25: at /targets/0/stop/clean_exits: expected an array, got the number 0"}},

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

INSTANTIATE_TEST_SUITE_P(Table, MalformedScenarioTest, ::testing::ValuesIn(kMalformed));

}  // namespace
}  // namespace stampede
