// Scenarios a hostile or careless user might write: each is refused with a located message
// (exit 2), cheaply, and never crashes the validator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scenario/input_limits.h"
#include "scenario/scenario.h"

namespace stampede {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A valid scenario to take apart.
json Base() {
  return json::parse(R"({
    "name": "t",
    "targets": [{"name": "s", "command": ["prog", "--port", "{port}"]}],
    "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"}
  })");
}

std::string Rejected(const json& scenario, const Overrides& overrides = {}) {
  auto parsed = ParseScenario("bad.json", scenario.dump(), overrides);
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput);
  return parsed.error().message;
}

TEST(ScenarioLimitsTest, TheBaseIsValid) {
  auto parsed = ParseScenario("ok.json", Base().dump(), {});
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
}

TEST(ScenarioLimitsTest, DuplicateWorkloadNamesBothPlaces) {
  auto parsed = ParseScenario("bad.json", R"({
  "name": "t",
  "targets": [{"name": "s", "command": ["prog"]}],
  "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"},
  "workload": {"type": "pingpong", "address": "127.0.0.1:{s.port}"}
})",
                              {});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message,
            "bad.json:5:3: at /: duplicate key \"workload\", the first is at bad.json:4:3");
}

TEST(ScenarioLimitsTest, AnEmptyProgramIsRefused) {
  auto scenario = Base();
  scenario["targets"][0]["command"] = {""};
  EXPECT_THAT(Rejected(scenario),
              HasSubstr("at /targets/0/command/0: the program is empty: give its name or path"));
}

TEST(ScenarioLimitsTest, ANulByteInAnArgumentIsRefused) {
  auto scenario = Base();
  scenario["targets"][0]["command"][1] = std::string("--a\0b", 5);
  EXPECT_THAT(Rejected(scenario),
              HasSubstr("at /targets/0/command/1: holds a NUL byte (\\u0000), which a command "
                        "line cannot carry"));
}

TEST(ScenarioLimitsTest, AnArgumentLongerThanTheLimitIsRefused) {
  auto scenario = Base();
  scenario["targets"][0]["command"][1] = std::string(kMaxArgumentBytes, 'x');
  EXPECT_TRUE(ParseScenario("ok.json", scenario.dump(), {}).ok());
  scenario["targets"][0]["command"][1] = std::string(100 * 1024, 'x');
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/command/1: is 100 KiB long, more than "
                                            "the 64 KiB allowed"));
}

TEST(ScenarioLimitsTest, AParameterCannotSmuggleANulOrAHugeArgumentIn) {
  auto scenario = Base();
  scenario["params"] = {{"x", {{"default", std::string(40 * 1024, 'x')}}}};
  scenario["targets"][0]["command"][1] = "{x}{x}";
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/command/1: is 80 KiB long"));
  scenario["params"]["x"]["default"] = std::string("\0", 1);
  scenario["targets"][0]["command"][1] = "{x}";
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/command/1: holds a NUL byte"));
}

TEST(ScenarioLimitsTest, EnvironmentVariablesExecveCannotPassAreRefused) {
  auto scenario = Base();
  scenario["targets"][0]["env"] = {{"A=B", "1"}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/env/A=B: a variable's name must not "
                                            "be empty or hold '=' or a NUL byte"));
  scenario["targets"][0]["env"] = {{"", "1"}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/env/: a variable's name"));
  scenario["targets"][0]["env"] = {{"A", std::string("x\0y", 3)}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/env/A: holds a NUL byte"));
  scenario["targets"][0]["env"] = {{"A", std::string(70 * 1024, 'x')}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/env/A: is 70.0 KiB long"));
}

TEST(ScenarioLimitsTest, ExecActionsAreCheckedLikeTargets) {
  auto scenario = Base();
  scenario["actions"] = json::array({{{"type", "exec"}, {"command", {""}}}});
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /actions/0/command/0: the program is empty"));
  scenario["actions"][0]["command"] = {"prog", std::string("\0", 1)};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /actions/0/command/1: holds a NUL byte"));
}

// std::regex recurses once per character: a long name must never reach it.
TEST(ScenarioLimitsTest, LongNamesAreRefusedWithoutCrashing) {
  const std::string long_name(300000, 'a');
  auto scenario = Base();
  scenario["targets"][0]["name"] = long_name;
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/name: is 293.0 KiB long, more than "
                                            "the 100 bytes allowed for a name"));
  scenario = Base();
  scenario["name"] = long_name;
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /name: must be 1 to 100"));
  scenario = Base();
  scenario["targets"][0]["extra_ports"] = {long_name};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/extra_ports/0: is 293.0 KiB long"));
  scenario = Base();
  scenario["targets"][0]["files"] = {{long_name, "x.conf"}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("/files/" + long_name + ": is 293.0 KiB long"));
  scenario = Base();
  scenario["faults"] = json::array(
      {{{"name", long_name}, {"upstream", "127.0.0.1:{s.port}"}, {"toxics", json::array()}}});
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /faults/0/name: is 293.0 KiB long, more than the "
                                            "100 bytes allowed for a name"));
  scenario = Base();
  scenario.erase("workload");
  scenario["loads"] =
      json::array({{{"name", long_name}, {"type", "pingpong"}, {"address", "127.0.0.1:{s.port}"}}});
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /loads/0/name: is 293.0 KiB long"));
}

TEST(ScenarioLimitsTest, ALongReadinessPatternIsRefusedBeforeItIsCompiled) {
  auto scenario = Base();
  scenario["targets"][0]["ready"] = {
      {"probe", "log"}, {"pattern", std::string(20000, '(') + std::string(20000, ')')}};
  EXPECT_THAT(Rejected(scenario), HasSubstr("at /targets/0/ready/pattern: is 39.1 KiB long; a "
                                            "pattern may have at most 1 KiB"));
}

TEST(ScenarioLimitsTest, ParametersCannotBlowTheScenarioUp) {
  auto scenario = Base();
  scenario["params"] = {{"x", {{"default", std::string(400000, 'A')}}}};
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "{x}";
  scenario["targets"][0]["command"][1] = many;
  EXPECT_THAT(Rejected(scenario),
              HasSubstr("at /targets/0/command/1: with the parameters substituted, "
                        "the scenario's strings would hold more than 4 MiB of text"));
  // The same through values that are exactly the placeholder, each a copy of the parameter.
  scenario["targets"][0]["command"] = json::array({"prog"});
  for (int i = 0; i < 20; ++i) scenario["targets"][0]["command"].push_back("{x}");
  EXPECT_THAT(Rejected(scenario), HasSubstr("would hold more than 4 MiB of text"));
}

TEST(ScenarioLimitsTest, ManyMistakesAreCappedWithACount) {
  auto scenario = Base();
  for (int i = 0; i < 1000; ++i) scenario["unknown" + std::to_string(i)] = i;
  auto message = Rejected(scenario);
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 50);
  EXPECT_THAT(message, HasSubstr("\n... and 950 more problems"));
}

TEST(ScenarioLimitsTest, TopLevelValuesOtherThanAnObjectAreRefused) {
  for (const char* text : {"[]", "42", "\"text\"", "null", "true"}) {
    auto parsed = ParseScenario("bad.json", text, {});
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_THAT(parsed.error().message, HasSubstr("bad.json:1:1: at /: expected an object"));
  }
}

class ScenarioTemplateLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-template-limits-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_ / "configs");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Result<Scenario> LoadWith(const json& files, const json& params = json::object()) {
    auto scenario = Base();
    scenario["targets"][0]["files"] = files;
    scenario["params"] = params;
    std::ofstream(dir_ / "s.json") << scenario.dump();
    return LoadScenario(dir_ / "s.json", {});
  }
  std::filesystem::path dir_;
};

TEST_F(ScenarioTemplateLimitsTest, ADirectoryAsATemplateIsRefused) {
  auto scenario = LoadWith({{"a.conf", "configs"}});
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(scenario.error().message,
              HasSubstr("at /targets/0/files/a.conf: " + (dir_ / "configs").string() +
                        " is a directory, not a file template"));
}

TEST_F(ScenarioTemplateLimitsTest, AHugeTemplateIsRefusedBeforeItIsRead) {
  std::ofstream(dir_ / "configs/big.conf") << "x";
  std::filesystem::resize_file(dir_ / "configs/big.conf", 50 * 1024 * 1024);
  auto scenario = LoadWith({{"a.conf", "configs/big.conf"}});
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(
      scenario.error().message,
      HasSubstr(
          "big.conf: 50 MiB (52428800 bytes), larger than the 1 MiB a file template may have"));
}

TEST_F(ScenarioTemplateLimitsTest, ATemplateCannotBlowUpWithParameters) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "{x}\n";
  std::ofstream(dir_ / "configs/a.conf") << text;
  auto scenario =
      LoadWith({{"a.conf", "configs/a.conf"}}, {{"x", {{"default", std::string(10000, 'A')}}}});
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(scenario.error().message,
              HasSubstr("a.conf: with the parameters substituted it would be larger than 4 MiB"));
}

}  // namespace
}  // namespace stampede
