#include "scenario/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "test_paths.h"

namespace stampede {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

Scenario MustParse(const std::string& text, const Overrides& overrides = {}) {
  auto scenario = ParseScenario("ok.json", text, overrides);
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  if (!scenario.ok()) return {};
  return std::move(scenario).value();
}

const ParallelRequestsSpec& Workload(const Scenario& scenario) {
  return std::get<ParallelRequestsSpec>(scenario.workload);
}

// Every field of the format, none at its default.
constexpr const char* kFull = R"({
  "$schema": "../../docs/schemas/scenario.schema.json",
  "name": "demo",
  "description": "a demo; {braces} and { are free text here",
  "params": {
    "requests": {"default": 20, "description": "per round"},
    "bug": {"default": "none", "choices": ["none", "unsafe-cache"]}
  },
  "targets": [
    {
      "name": "server",
      "command": ["{targets}/http-server", "--port", "{port}", "--bug", "{bug}", "-n", "{requests}"],
      "env": {"MODE": "{bug}", "N": "{requests}", "DIR": "{run_dir}/x"},
      "ready": {"probe": "http", "path": "/health", "status": 204, "deadline_ms": 3000},
      "stop": {"signal": "INT", "deadline_ms": 2000, "clean_exits": [0, 3, "SIGTERM"]}
    },
    {
      "name": "watcher",
      "command": ["{targets}/w", "{server.port}", "{seed}"],
      "ready": {"probe": "log", "pattern": "listening on [0-9]+", "stream": "stderr"},
      "stop": {"http_path": "/quit", "signal": "SIGUSR1"}
    }
  ],
  "workload": {
    "type": "parallel-requests",
    "url": "http://127.0.0.1:{server.port}/echo?seq={seq}&n={requests}&j={{x}}",
    "requests": "{requests}",
    "rounds": 2,
    "timeout_ms": 500,
    "expect_status": 201,
    "echo": "body"
  },
  "checks": {"max_errors": 3, "max_error_rate": 0.25, "stall_ms": 0},
  "timeout_ms": 60000
})";

TEST(ParseScenarioTest, ReadsEveryField) {
  auto scenario = MustParse(kFull);
  EXPECT_EQ(scenario.name, "demo");
  EXPECT_EQ(scenario.description, "a demo; {braces} and { are free text here");
  ASSERT_EQ(scenario.params.size(), 2u);
  EXPECT_EQ(scenario.params[0].name, "bug");  // by name
  EXPECT_EQ(scenario.params[1].name, "requests");
  EXPECT_EQ(scenario.params[1].description, "per round");

  ASSERT_EQ(scenario.targets.size(), 2u);
  const auto& server = scenario.targets[0];
  EXPECT_EQ(server.name, "server");
  // Parameters are substituted; run-time placeholders stay.
  EXPECT_THAT(server.command, ElementsAre("{targets}/http-server", "--port", "{port}", "--bug",
                                          "none", "-n", "20"));
  EXPECT_EQ(server.env.at("MODE"), "none");
  EXPECT_EQ(server.env.at("N"), "20");
  EXPECT_EQ(server.env.at("DIR"), "{run_dir}/x");
  EXPECT_EQ(server.ready.probe, ProbeKind::kHttp);
  EXPECT_EQ(server.ready.path, "/health");
  EXPECT_EQ(server.ready.status, 204);
  EXPECT_EQ(server.ready.deadline_ms, 3000);
  EXPECT_EQ(server.stop.signal, SIGINT);
  EXPECT_EQ(server.stop.deadline_ms, 2000);
  EXPECT_THAT(server.stop.clean_exit_codes, ElementsAre(0, 3));
  EXPECT_THAT(server.stop.clean_signals, ElementsAre(SIGTERM));
  EXPECT_TRUE(server.stop.http_path.empty());

  const auto& watcher = scenario.targets[1];
  EXPECT_THAT(watcher.command, ElementsAre("{targets}/w", "{server.port}", "{seed}"));
  EXPECT_EQ(watcher.ready.probe, ProbeKind::kLog);
  EXPECT_EQ(watcher.ready.pattern, "listening on [0-9]+");
  EXPECT_EQ(watcher.ready.stream, "stderr");
  EXPECT_EQ(watcher.stop.http_path, "/quit");
  EXPECT_EQ(watcher.stop.signal, SIGUSR1);

  const auto& workload = Workload(scenario);
  EXPECT_EQ(workload.url, "http://127.0.0.1:{server.port}/echo?seq={seq}&n=20&j={{x}}");
  EXPECT_EQ(workload.requests, 20);
  EXPECT_EQ(workload.rounds, 2);
  EXPECT_EQ(workload.timeout_ms, 500);
  EXPECT_EQ(workload.expect_status, 201);
  EXPECT_EQ(workload.echo, EchoCheck::kBody);
  EXPECT_STREQ(WorkloadTypeName(scenario.workload), "parallel-requests");

  EXPECT_EQ(scenario.checks.max_errors, 3);
  EXPECT_DOUBLE_EQ(scenario.checks.max_error_rate, 0.25);
  EXPECT_EQ(scenario.checks.stall_ms, 0);
  EXPECT_EQ(scenario.timeout_ms, 60000);
}

constexpr const char* kMinimal = R"({
  "name": "min",
  "targets": [{"name": "s", "command": ["prog"]}],
  "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:{s.port}/"}
})";

// The name is a folder under runs/: nothing that leaves it, nothing too long for a path.
TEST(ParseScenarioTest, RejectsNamesThatAreNotOneSafePathComponent) {
  for (const std::string& name :
       std::vector<std::string>{"../../../escaped", "/abs", "", ".", "..", "x/y", ".hidden",
                                std::string(101, 'a'), "a b"}) {
    auto scenario = ParseScenario(
        "bad.json",
        R"({"name": ")" + name +
            R"(", "targets": [{"name": "s", "command": ["p"]}], "workload": {"type": "pingpong", "address": "127.0.0.1:1"}})",
        {});
    ASSERT_FALSE(scenario.ok()) << name;
    EXPECT_NE(scenario.error().message.find("bad.json:1:2: at /name: must be 1 to 100 letters"),
              std::string::npos)
        << scenario.error().message;
  }
  auto fine = ParseScenario(
      "good.json",
      R"({"name": "redis-7.2_restart", "targets": [{"name": "s", "command": ["p"]}], "workload": {"type": "pingpong", "address": "127.0.0.1:1"}})",
      {});
  EXPECT_TRUE(fine.ok()) << fine.error().message;
}

TEST(ParseScenarioTest, AppliesDefaults) {
  auto scenario = MustParse(kMinimal);
  EXPECT_EQ(scenario.description, "");
  EXPECT_THAT(scenario.params, IsEmpty());
  ASSERT_EQ(scenario.targets.size(), 1u);
  const auto& target = scenario.targets[0];
  EXPECT_THAT(target.env, IsEmpty());
  EXPECT_EQ(target.ready.probe, ProbeKind::kTcp);
  EXPECT_EQ(target.ready.path, "/");
  EXPECT_EQ(target.ready.status, 200);
  EXPECT_EQ(target.ready.stream, "stdout");
  EXPECT_EQ(target.ready.deadline_ms, 10000);
  EXPECT_EQ(target.stop.signal, SIGTERM);
  EXPECT_EQ(target.stop.deadline_ms, 5000);
  EXPECT_TRUE(target.stop.http_path.empty());
  // A clean stop: exit code 0, or death by the stop signal.
  EXPECT_THAT(target.stop.clean_exit_codes, ElementsAre(0));
  EXPECT_THAT(target.stop.clean_signals, ElementsAre(SIGTERM));

  const auto& workload = Workload(scenario);
  EXPECT_EQ(workload.requests, 200);
  EXPECT_EQ(workload.rounds, 1);
  EXPECT_EQ(workload.timeout_ms, 10000);
  EXPECT_EQ(workload.expect_status, 200);
  EXPECT_EQ(workload.echo, EchoCheck::kNone);

  EXPECT_EQ(scenario.checks.max_errors, 0);
  EXPECT_EQ(scenario.checks.max_error_rate, 0.0);
  EXPECT_EQ(scenario.checks.stall_ms, 10000);
  EXPECT_EQ(scenario.timeout_ms, 300000);
}

TEST(ParseScenarioTest, CleanExitsDefaultToZeroAndTheStopSignal) {
  auto scenario = MustParse(R"({
    "name": "t",
    "targets": [{"name": "s", "command": ["p"], "stop": {"signal": "SIGUSR2"}},
                {"name": "u", "command": ["p"], "stop": {"deadline_ms": 100}}],
    "workload": {"type": "parallel-requests", "url": "http://x/"}
  })");
  ASSERT_EQ(scenario.targets.size(), 2u);
  EXPECT_EQ(scenario.targets[0].stop.signal, SIGUSR2);
  EXPECT_THAT(scenario.targets[0].stop.clean_exit_codes, ElementsAre(0));
  EXPECT_THAT(scenario.targets[0].stop.clean_signals, ElementsAre(SIGUSR2));
  EXPECT_THAT(scenario.targets[1].stop.clean_exit_codes, ElementsAre(0));
  EXPECT_THAT(scenario.targets[1].stop.clean_signals, ElementsAre(SIGTERM));
}

TEST(ParseScenarioTest, ExplicitCleanExitsReplaceTheDefaults) {
  auto scenario = MustParse(R"({
    "name": "t",
    "targets": [{"name": "s", "command": ["p"], "stop": {"clean_exits": [1, "KILL", "15"]}},
                {"name": "u", "command": ["p"], "stop": {"clean_exits": []}}],
    "workload": {"type": "parallel-requests", "url": "http://x/"}
  })");
  ASSERT_EQ(scenario.targets.size(), 2u);
  EXPECT_THAT(scenario.targets[0].stop.clean_exit_codes, ElementsAre(1));
  EXPECT_THAT(scenario.targets[0].stop.clean_signals, ElementsAre(SIGKILL, SIGTERM));
  EXPECT_THAT(scenario.targets[1].stop.clean_exit_codes, IsEmpty());
  EXPECT_THAT(scenario.targets[1].stop.clean_signals, IsEmpty());
}

TEST(ParseScenarioTest, OverridesReachEveryUse) {
  auto scenario = MustParse(kFull, {{"requests", "5"}, {"bug", "unsafe-cache"}});
  EXPECT_EQ(Workload(scenario).requests, 5);
  EXPECT_THAT(scenario.targets[0].command, ElementsAre("{targets}/http-server", "--port", "{port}",
                                                       "--bug", "unsafe-cache", "-n", "5"));
  EXPECT_EQ(scenario.targets[0].env.at("N"), "5");
  EXPECT_EQ(scenario.params[0].value, "unsafe-cache");
  EXPECT_EQ(scenario.params[1].value, 5);
}

TEST(ParseScenarioTest, ParameterCanStandForAStringEnum) {
  auto scenario = MustParse(R"({
    "name": "t",
    "params": {"probe": {"default": "none"}, "echo": {"default": "header"}},
    "targets": [{"name": "s", "command": ["p"], "ready": {"probe": "{probe}"}}],
    "workload": {"type": "parallel-requests", "url": "http://x/", "echo": "{echo}"}
  })");
  EXPECT_EQ(scenario.targets[0].ready.probe, ProbeKind::kNone);
  EXPECT_EQ(Workload(scenario).echo, EchoCheck::kHeader);
}

TEST(ParseScenarioTest, NoTargetsIsAllowed) {
  auto scenario = MustParse(R"({
    "name": "external",
    "targets": [],
    "workload": {"type": "parallel-requests", "url": "http://127.0.0.1:8080/"}
  })");
  EXPECT_THAT(scenario.targets, IsEmpty());
}

TEST(ParseScenarioTest, ReportsEveryProblemAtOnce) {
  auto scenario = ParseScenario("bad.json", R"({
  "name": "t",
  "targets": [{"name": "s", "comand": ["p"]}],
  "workload": {"type": "parallel-requests", "url": "http://x/", "requests": "many"},
  "timeout_ms": 0
})",
                                {});
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(scenario.error().message,
            "bad.json:3:15: at /targets/0: missing required field \"command\"\n"
            "bad.json:3:29: at /targets/0/comand: unknown field \"comand\" (did you mean "
            "\"command\"?)\n"
            "bad.json:4:65: at /workload/requests: expected an integer, got the string \"many\"\n"
            "bad.json:5:3: at /timeout_ms: must be between 1 and 86400000, got 0");
}

// The user named a file that is not there: bad usage (exit 2), with the system's reason.
TEST(LoadScenarioTest, MissingFileIsInvalidInput) {
  auto scenario = LoadScenario("/nonexistent/stampede.json", {});
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(scenario.error().message, HasSubstr("No such file or directory"));
}

TEST(LoadScenarioTest, RecordsTheFileAndNamesItInMessages) {
  auto path = std::filesystem::temp_directory_path() / "stampede_scenario_test.json";
  {
    std::ofstream out(path);
    out << kMinimal;
  }
  auto scenario = LoadScenario(path, {});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  EXPECT_EQ(scenario.value().file, path);
  {
    std::ofstream out(path);
    out << "{\n  \"name\": 1\n}\n";
  }
  auto bad = LoadScenario(path, {});
  std::filesystem::remove(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, StartsWith(path.string() + ":2:3: at /name: "));
}

// A scenario with a configuration file template beside it, in a fresh folder.
class ScenarioFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-files-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "configs");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Result<Scenario> Load(const std::string& config, const Overrides& overrides = {}) {
    Write("configs/proxy.conf", config);
    Write("s.json", R"({
  "name": "files",
  "params": {"mode": {"default": "fast"}},
  "targets": [
    {"name": "redis", "command": ["redis-server", "--port", "{port}"]},
    {"name": "proxy", "command": ["proxy", "-c", "{run_dir}/proxy.conf", "-s", "{proxy.stats.port}"],
     "extra_ports": ["stats"],
     "files": {"proxy.conf": "configs/proxy.conf"}}
  ],
  "workload": {"type": "pingpong", "address": "127.0.0.1:{proxy.port}"}
})");
    return LoadScenario(dir_ / "s.json", overrides);
  }
  std::filesystem::path dir_;
};

TEST_F(ScenarioFilesTest, ReadsTemplatesBesideTheScenarioWithParametersSubstituted) {
  auto scenario = Load("server {\n  listen {port}; mode {mode};\n  upstream {redis.port};\n}\n",
                       {{"mode", "slow"}});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  const auto& proxy = scenario.value().targets[1];
  EXPECT_EQ(proxy.extra_ports, std::vector<std::string>{"stats"});
  ASSERT_EQ(proxy.files.size(), 1u);
  EXPECT_EQ(proxy.files[0].name, "proxy.conf");
  EXPECT_EQ(proxy.files[0].source, dir_ / "configs/proxy.conf");
  EXPECT_EQ(proxy.files[0].content,
            "server {\n  listen {port}; mode slow;\n  upstream {redis.port};\n}\n");
}

TEST_F(ScenarioFilesTest, UnknownPlaceholderInATemplateNamesFileAndLine) {
  auto scenario = Load("listen {port}\nupstream {redis.prot}\n");
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(scenario.error().message, HasSubstr("at /targets/1/files/proxy.conf: " +
                                                  (dir_ / "configs/proxy.conf").string() +
                                                  ":2: unknown placeholder {redis.prot}"));
  EXPECT_THAT(scenario.error().message, HasSubstr("{proxy.stats.port}"));  // listed as known
}

TEST_F(ScenarioFilesTest, MissingTemplateIsReportedAtItsField) {
  auto scenario = Load("");
  ASSERT_TRUE(scenario.ok());
  std::filesystem::remove(dir_ / "configs/proxy.conf");
  scenario = LoadScenario(dir_ / "s.json", {});
  ASSERT_FALSE(scenario.ok());
  EXPECT_THAT(scenario.error().message,
              HasSubstr("s.json:8:16: at /targets/1/files/proxy.conf: cannot read \""));
  EXPECT_EQ(scenario.error().kind, ErrorKind::kInvalidInput);
}

TEST(ParseScenarioTest, ExtraPortNamesAreCheckedAndUsable) {
  auto scenario = ParseScenario("bad.json", R"({
  "name": "t",
  "targets": [{"name": "a", "command": ["x", "{a.admin.port}", "{a.other.port}"],
               "extra_ports": ["admin", "Bad", "admin"]}],
  "workload": {"type": "pingpong", "address": "127.0.0.1:{a.admin.port}"}
})",
                                {});
  ASSERT_FALSE(scenario.ok());
  const auto& message = scenario.error().message;
  EXPECT_THAT(message, HasSubstr("at /targets/0/extra_ports/1: must start with a lowercase"));
  EXPECT_THAT(message, HasSubstr("at /targets/0/extra_ports/2: duplicate port name \"admin\""));
  EXPECT_THAT(message, HasSubstr("unknown placeholder {a.other.port}"));
  EXPECT_THAT(message, Not(HasSubstr("{a.admin.port} is")));
}

#ifdef STAMPEDE_SOURCE_DIR
TEST(LoadScenarioTest, LabScenarioLoads) {
  auto scenario = LoadScenario(
      std::filesystem::path(STAMPEDE_SOURCE_DIR) / "scenarios/lab/parallel-requests.json",
      {{"bug", "unsafe-cache"}});
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  EXPECT_EQ(scenario.value().name, "parallel-requests");
  EXPECT_THAT(scenario.value().targets[0].command, ::testing::Contains("unsafe-cache"));
}
#endif

// ---- malformed scenarios ----

}  // namespace
}  // namespace stampede
