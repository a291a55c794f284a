// Malformed scenarios (workload types, placeholders and targets): each is rejected with a message
// naming file, line, column and path. The test itself is in scenario_errors_test.cc.
#include "scenario/malformed_scenario_test.h"

namespace stampede {
namespace {

// A case that takes apart the valid scenario of malformed_scenario_test.h keeps its lines.
const Malformed kReferences[] = {
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

};

INSTANTIATE_TEST_SUITE_P(References, MalformedScenarioTest, ::testing::ValuesIn(kReferences));

}  // namespace
}  // namespace stampede
