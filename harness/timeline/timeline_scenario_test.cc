// Scenario files with `loads` and `actions`: what they read as, and each mistake rejected with
// a located message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario/scenario.h"

namespace stampede {
namespace {

using ::testing::HasSubstr;

// A scenario around `sections` (the text after "targets", starting with a comma).
std::string ScenarioWith(const std::string& sections) {
  return R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["prog", "--port", "{port}"]}])" +
         sections + "\n}";
}

std::string ErrorOf(const std::string& sections) {
  auto scenario = ParseScenario("bad.json", ScenarioWith(sections), {});
  EXPECT_FALSE(scenario.ok()) << sections;
  return scenario.ok() ? "" : scenario.error().message;
}

TEST(TimelineScenarioTest, ReadsLoadsAndActions) {
  auto scenario = ParseScenario("good.json", ScenarioWith(R"(,
  "loads": [
    {"name": "flood", "type": "pingpong", "address": "127.0.0.1:{s.port}", "requests": 5},
    {"name": "paced", "type": "http", "address": "127.0.0.1:{s.port}", "requests": 0,
     "pace_ms": 100, "method": "POST", "path": "/data?n={seq}", "body": "{{\"n\": {seq}}}",
     "headers": {"Content-Type": "application/json"}, "background": true, "start_ms": 20}
  ],
  "actions": [
    {"type": "signal", "target": "s", "signal": "HUP", "at_ms": 10, "every_ms": 5, "times": 3},
    {"type": "freeze", "target": "s", "freeze_ms": 40},
    {"type": "send", "address": "127.0.0.1:{s.port}", "resp": ["CLIENT", "LIST"],
     "expect": {"regex": "id="}},
    {"type": "exec", "command": ["true"], "exit_codes": [0, 1], "name": "admin"}
  ])"),
                                {});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  const auto& s = scenario.value();
  ASSERT_EQ(s.loads.size(), 2u);
  EXPECT_EQ(s.loads[0].name, "flood");
  EXPECT_TRUE(std::holds_alternative<PingPongSpec>(s.loads[0].workload));
  const auto& http = std::get<HttpLoadSpec>(s.loads[1].workload);
  EXPECT_EQ(http.method, "POST");
  EXPECT_EQ(http.pace_ms, 100);
  EXPECT_EQ(http.requests, 0);
  EXPECT_EQ(http.headers.at("Content-Type"), "application/json");
  EXPECT_TRUE(s.loads[1].background);
  EXPECT_EQ(s.loads[1].start_ms, 20);
  ASSERT_EQ(s.actions.size(), 4u);
  EXPECT_EQ(s.actions[0].type, ActionType::kSignal);
  EXPECT_EQ(s.actions[0].signal, 1);
  EXPECT_EQ(s.actions[0].schedule.times, 3);
  EXPECT_EQ(s.actions[0].name, "signal SIGHUP s");
  EXPECT_EQ(s.actions[1].freeze_ms, 40);
  EXPECT_EQ(s.actions[2].send.protocol, SendProtocol::kResp);
  EXPECT_EQ(s.actions[2].send.expect.kind, ReplyExpectation::Kind::kRegex);
  EXPECT_EQ(s.actions[2].name, "send CLIENT LIST");
  EXPECT_EQ(s.actions[3].exec.exit_codes, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.actions[3].name, "admin");
}

TEST(TimelineScenarioTest, RejectsWorkloadAndLoadsTogether) {
  EXPECT_THAT(ErrorOf(R"(,
  "workload": {"type": "pingpong", "address": "127.0.0.1:1"},
  "loads": [{"name": "a", "type": "pingpong", "address": "127.0.0.1:1"}])"),
              HasSubstr("bad.json:5:3: at /loads: give either \"workload\" or \"loads\""));
}

TEST(TimelineScenarioTest, RejectsALoadThatNeverEnds) {
  EXPECT_THAT(ErrorOf(R"(,
  "loads": [{"name": "a", "type": "pingpong", "address": "127.0.0.1:1", "loop": true}])"),
              HasSubstr("at /loads/0: this load never ends by itself"));
  EXPECT_THAT(ErrorOf(R"(,
  "loads": [{"name": "a", "type": "pingpong", "address": "127.0.0.1:1", "background": true}])"),
              HasSubstr("nothing would end the run"));
}

TEST(TimelineScenarioTest, RejectsDuplicateAndReservedLoadNames) {
  auto message = ErrorOf(R"(,
  "loads": [{"name": "a", "type": "pingpong", "address": "127.0.0.1:1"},
            {"name": "a", "type": "rpc", "address": "127.0.0.1:1"},
            {"name": "nemesis", "type": "rpc", "address": "127.0.0.1:1"}])");
  EXPECT_THAT(message, HasSubstr("at /loads/1/name: duplicate load name \"a\""));
  EXPECT_THAT(message, HasSubstr("at /loads/2/name: \"nemesis\" is the name of the actions"));
}

TEST(TimelineScenarioTest, RejectsRunModesAsLoads) {
  EXPECT_THAT(ErrorOf(R"(,
  "loads": [{"name": "a", "type": "start-stop", "cycles": 1, "protocol": "http",
             "address": "127.0.0.1:1"}])"),
              HasSubstr("at /loads/0/type: \"start-stop\" is a run of its own"));
}

TEST(TimelineScenarioTest, RejectsActionsOnUnknownTargetsAndBadSchedules) {
  auto message = ErrorOf(R"(,
  "workload": {"type": "pingpong", "address": "127.0.0.1:1"},
  "actions": [
    {"type": "signal", "target": "server", "signal": "SIGHUP"},
    {"type": "stop", "target": "s", "at_ms": -5},
    {"type": "signal", "target": "s", "signal": "SIGNOPE", "times": 4},
    {"type": "explode", "target": "s"}
  ])");
  EXPECT_THAT(message, HasSubstr("bad.json:6:24: at /actions/0/target: no target is named "
                                 "\"server\" (targets: s)"));
  EXPECT_THAT(message, HasSubstr("at /actions/1/at_ms: must be between 0 and 86400000, got -5"));
  EXPECT_THAT(message, HasSubstr("at /actions/2/signal: unknown signal \"SIGNOPE\""));
  EXPECT_THAT(message, HasSubstr("at /actions/2/times: an action fired more than once needs"));
  EXPECT_THAT(message, HasSubstr("at /actions/3/type: unknown action type \"explode\""));
}

TEST(TimelineScenarioTest, ReadsActionsScheduledAfterEvents) {
  auto scenario = ParseScenario("good.json", ScenarioWith(R"(,
  "loads": [{"name": "fill", "type": "pingpong", "address": "127.0.0.1:{s.port}"}],
  "actions": [
    {"type": "restart", "target": "s", "after": "load:fill", "name": "bounce"},
    {"type": "signal", "target": "s", "signal": "HUP", "after": "action:bounce", "at_ms": 10}
  ])"),
                                {});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  EXPECT_EQ(scenario.value().actions[0].schedule.after, "load:fill");
  EXPECT_EQ(scenario.value().actions[1].schedule.after, "action:bounce");
  EXPECT_EQ(scenario.value().actions[1].schedule.at_ms, 10);
}

TEST(TimelineScenarioTest, RejectsEventsThatCannotHappen) {
  auto message = ErrorOf(R"(,
  "loads": [
    {"name": "fill", "type": "pingpong", "address": "127.0.0.1:{s.port}"},
    {"name": "idle", "type": "pingpong", "address": "127.0.0.1:{s.port}", "background": true}
  ],
  "actions": [
    {"type": "stop", "target": "s", "after": "load:nope"},
    {"type": "stop", "target": "s", "after": "load:idle"},
    {"type": "stop", "target": "s", "after": "tomorrow"},
    {"type": "start", "target": "s", "after": "action:b", "name": "a"},
    {"type": "start", "target": "s", "after": "action:a", "name": "b"},
    {"type": "start", "target": "s", "after": "action:stop s"}
  ])");
  EXPECT_THAT(message, HasSubstr("at /actions/0/after: no load is named \"nope\""));
  EXPECT_THAT(message, HasSubstr("at /actions/1/after: load \"idle\" runs in the background"));
  EXPECT_THAT(message, HasSubstr("at /actions/2/after: \"tomorrow\" is not an event"));
  EXPECT_THAT(message, HasSubstr("at /actions/3/after: actions wait on each other in a cycle"));
  EXPECT_THAT(message, HasSubstr("at /actions/4/after: actions wait on each other in a cycle"));
  EXPECT_THAT(message, HasSubstr("at /actions/5/after: several actions are named \"stop s\""));
}

TEST(TimelineScenarioTest, RejectsMalformedSendAndExec) {
  auto message = ErrorOf(R"(,
  "workload": {"type": "pingpong", "address": "127.0.0.1:1"},
  "actions": [
    {"type": "send", "address": "127.0.0.1:{s.port}"},
    {"type": "send", "address": "127.0.0.1:1", "raw": "x", "expect": {"regex": "("}},
    {"type": "send", "address": "127.0.0.1:{nope.port}", "resp": ["INFO"], "expect": "some"},
    {"type": "exec", "command": [], "exit_codes": [300]}
  ])");
  EXPECT_THAT(message, HasSubstr("at /actions/0: a send action needs exactly one of"));
  EXPECT_THAT(message, HasSubstr("at /actions/1/expect/regex: invalid regex"));
  EXPECT_THAT(message, HasSubstr("at /actions/2/expect: must be \"any\""));
  EXPECT_THAT(message, HasSubstr("at /actions/2/address: unknown placeholder {nope.port}"));
  EXPECT_THAT(message, HasSubstr("at /actions/3/command: must name a program"));
  EXPECT_THAT(message, HasSubstr("at /actions/3/exit_codes: must be a list of exit codes"));
}

TEST(TimelineScenarioTest, RejectsActionsAndFaultsBesideAStartStopRun) {
  auto message = ErrorOf(R"(,
  "workload": {"type": "start-stop", "address": "127.0.0.1:{s.port}"},
  "faults": [{"name": "f", "upstream": "127.0.0.1:1", "toxics": []}],
  "actions": [{"type": "stop", "target": "s"}])");
  EXPECT_THAT(message, HasSubstr("at /actions: actions run beside \"loads\", a workload or a "
                                 "client-run, not a start-stop run"));
  EXPECT_THAT(message, HasSubstr("at /faults: faults run beside"));
}

TEST(TimelineScenarioTest, AClientRunTakesFaultsAndActions) {
  auto scenario = ParseScenario("good.json", ScenarioWith(R"(,
  "workload": {"type": "client-run"},
  "faults": [{"name": "slow", "upstream": "127.0.0.1:{fixture.port}",
              "toxics": [{"type": "latency", "latency_ms": 20}]}],
  "actions": [{"type": "fault", "fault": "slow", "enabled": false, "at_ms": 100}])"),
                                {});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  EXPECT_EQ(scenario.value().faults.size(), 1u);
  EXPECT_EQ(scenario.value().actions.size(), 1u);
}

TEST(TimelineScenarioTest, RejectsMalformedHttpLoads) {
  auto message = ErrorOf(R"(,
  "loads": [{"name": "a", "type": "http", "address": "127.0.0.1:1", "method": "GET /x",
             "path": "no-slash", "headers": {"Bad Name": "v"}, "expect_status": 700}])");
  EXPECT_THAT(message, HasSubstr("at /loads/0/method: must be an HTTP method"));
  EXPECT_THAT(message, HasSubstr("at /loads/0/path: must start with '/'"));
  EXPECT_THAT(message, HasSubstr("at /loads/0/headers/Bad Name: must be a header name"));
  EXPECT_THAT(message, HasSubstr("at /loads/0/expect_status: must be between 100 and 599"));
}

}  // namespace
}  // namespace stampede

namespace stampede {
namespace {

TEST(FaultScenarioTest, ReadsFaultsTheirToxicsAndTheSwitches) {
  auto scenario = ParseScenario("good.json", ScenarioWith(R"(,
  "faults": [{"name": "slow", "upstream": "127.0.0.1:{s.port}", "enabled": false,
              "toxics": [{"type": "slicer", "average_size": 3, "size_variation": 1},
                         {"type": "latency", "stream": "upstream", "latency_ms": 5,
                          "toxicity": 0.5}]}],
  "loads": [{"name": "a", "type": "pingpong", "address": "127.0.0.1:{slow.port}"}],
  "actions": [{"type": "fault", "fault": "slow", "enabled": true, "at_ms": 100}])"),
                                {});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  const auto& fault = scenario.value().faults.at(0);
  EXPECT_EQ(fault.name, "slow");
  EXPECT_FALSE(fault.enabled);
  ASSERT_EQ(fault.toxics.size(), 2u);
  EXPECT_EQ(fault.toxics[0].type, ToxicType::kSlicer);
  EXPECT_EQ(fault.toxics[0].stream, ToxicStream::kDownstream);
  EXPECT_EQ(fault.toxics[1].stream, ToxicStream::kUpstream);
  EXPECT_EQ(fault.toxics[1].toxicity, 0.5);
  const auto& action = scenario.value().actions.at(0);
  EXPECT_EQ(action.type, ActionType::kFault);
  EXPECT_EQ(action.name, "fault slow on");
}

TEST(FaultScenarioTest, RejectsBadFaultsAndSwitchesOfUnknownFaults) {
  auto message = ErrorOf(R"(,
  "faults": [{"name": "s", "upstream": "127.0.0.1:{s.port}",
              "toxics": [{"type": "jam"}, {"type": "slicer", "average_size": 2,
                          "size_variation": 2, "stream": "sideways"},
                         {"type": "latency"}]}],
  "workload": {"type": "pingpong", "address": "127.0.0.1:{nope.port}"},
  "actions": [{"type": "fault", "fault": "nope", "enabled": true}])");
  EXPECT_THAT(message, HasSubstr("at /faults/0/name: \"s\" already names a target or a fault"));
  EXPECT_THAT(message, HasSubstr("at /faults/0/toxics/0/type: unknown toxic \"jam\""));
  EXPECT_THAT(message, HasSubstr("at /faults/0/toxics/1/size_variation: must be less than"));
  EXPECT_THAT(message, HasSubstr("at /faults/0/toxics/1/stream: must be \"upstream\""));
  EXPECT_THAT(message, HasSubstr("at /faults/0/toxics/2: missing required field \"latency_ms\""));
  EXPECT_THAT(message, HasSubstr("at /actions/0/fault: no fault is named \"nope\" (faults: s)"));
  EXPECT_THAT(message, HasSubstr("at /workload/address: unknown placeholder {nope.port}"));
}

}  // namespace
}  // namespace stampede
