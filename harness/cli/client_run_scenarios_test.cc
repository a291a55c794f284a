// The client-run workload end to end through the stampede binary:
// scenarios/lab/client-parallel.json, scenarios/real/client-curl.json, and clients that hang or
// fail.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede {
namespace {

using namespace cli_test;

class ClientRunTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& file, const std::string& args, int expected_exit) {
    return RunChecked(file, args, expected_exit);
  }
  // A client-run scenario whose client is `command` (JSON array items, {url} allowed).
  std::string Scenario(const std::string& command, int deadline_ms, int expect_requests) {
    auto file = dir_ / "client.json";
    std::ofstream(file) << R"({
  "name": "client",
  "targets": [{"name": "client", "command": [)" +
                               command + R"(], "ready": {"probe": "none"}}],
  "workload": {"type": "client-run", "path": "/echo", "deadline_ms": )" +
                               std::to_string(deadline_ms) + R"(, "expect_requests": )" +
                               std::to_string(expect_requests) + R"(},
  "timeout_ms": 30000
})";
    return file.string();
  }
};

TEST_F(ClientRunTest, TheLabClientPassesAndTheFixtureSeesEveryRequest) {
  auto verdict = Run(ScenarioPath("lab/client-parallel.json"), "", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ok"], 200);
  EXPECT_EQ(verdict["stats"]["failed"], 0);
}

// The bug crashes the client in about 99% of runs (targets/README.md); three attempts make a
// miss of a working detector vanishingly rare.
TEST_F(ClientRunTest, TheUnsafeUriCacheCrashesTheClient) {
  // The race shows in most attempts, not all (17 to 20 of 20 measured): up to 10 attempts.
  bool caught = false;
  for (int attempt = 0; attempt < 10 && !caught; ++attempt) {
    auto out = dir_ / ("attempt" + std::to_string(attempt));
    auto result = Stampede("run " + ScenarioPath("lab/client-parallel.json") +
                           " --set bug=unsafe-uri-cache --out " + out.string());
    auto verdict = ReadVerdict(out);
    ExpectNoProcessLeft(out);
    if (verdict["verdict"] == "pass") continue;
    caught = true;
    EXPECT_EQ(result.exit_code, 1) << result.out;
    ASSERT_FALSE(verdict["failures"].empty());
    const auto& first = verdict["failures"][0];
    EXPECT_EQ(first["kind"], "crash") << verdict.dump(2);
    EXPECT_EQ(first["target"], "client");
    // Under TSan, segfaults in several threads at once may end in the sanitizer's own exit
    // (status 66 after "ThreadSanitizer:DEADLYSIGNAL") instead of the signal: still a crash.
    const auto& evidence = first["evidence"];
    const bool by_signal = evidence["signal"].is_string();
    const bool by_sanitizer = evidence.value("title", "").find("Sanitizer:") != std::string::npos;
    EXPECT_TRUE(by_signal || by_sanitizer) << first.dump(2);
  }
  EXPECT_TRUE(caught);
}

TEST_F(ClientRunTest, CurlPassesWith200ParallelTransfers) {
  auto verdict = Run(ScenarioPath("real/client-curl.json"), "", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ok"], 200);
}

TEST_F(ClientRunTest, AClientThatNeverExitsIsAHangWithBacktraces) {
  auto file = Scenario(R"(")" + std::string(STAMPEDE_TESTPROG) + R"(", "never-ready")", 500, 0);
  auto verdict = Run(file, "", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "hang");
  EXPECT_EQ(failure["summary"].get<std::string>().rfind("client did not exit within 500 ms", 0), 0u)
      << failure["summary"];
  EXPECT_EQ(failure["evidence"]["phase"], "running");
  EXPECT_TRUE(failure["evidence"]["backtraces"].contains("text") ||
              failure["evidence"]["backtraces"].contains("unavailable"));
}

TEST_F(ClientRunTest, ANonZeroExitIsAnErrorNotACrash) {
  auto file = Scenario(R"(")" + std::string(STAMPEDE_TESTPROG) + R"(", "exit", "3")", 5000, 0);
  auto verdict = Run(file, "", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["kind"], "errors");
  EXPECT_EQ(verdict["failures"][0]["evidence"]["exit_code"], 3);
}

TEST_F(ClientRunTest, TooFewRequestsAtTheFixtureAreErrors) {
  auto file =
      Scenario(R"("{targets}/http-client", "--url", "{url}", "--requests", "10")", 10000, 20);
  auto verdict = Run(file, "", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  EXPECT_EQ(verdict["failures"][0]["summary"], "the fixture saw 10 requests, expected 20");
}

// The client reaches the fixture through a fault proxy: with latency it still passes; with a
// reset after 10 bytes of each reply it exits non-zero, and the resets are on the timeline.
TEST_F(ClientRunTest, AClientRunsThroughAFaultProxyInFrontOfTheFixture) {
  auto scenario = [&](const std::string& toxic) {
    auto file = dir_ / "faulty.json";
    std::ofstream(file) << R"({
  "name": "faulty",
  "targets": [{"name": "client", "ready": {"probe": "none"},
               "command": ["{targets}/http-client", "--url", "http://127.0.0.1:{f.port}/echo",
                           "--requests", "20"]}],
  "faults": [{"name": "f", "upstream": "127.0.0.1:{fixture.port}", "toxics": [)" +
                               toxic + R"(]}],
  "workload": {"type": "client-run", "path": "/echo", "deadline_ms": 10000,
               "expect_requests": 20},
  "timeout_ms": 30000
})";
    return file.string();
  };
  auto slow = Run(scenario(R"({"type": "latency", "latency_ms": 30})"), "", 0);
  EXPECT_EQ(slow["faults"]["f"]["connections"], 20) << slow.dump(2);
  EXPECT_EQ(slow["stats"]["ok"], 20);
  auto reset = Run(scenario(R"({"type": "reset_peer", "bytes": 10})"), "", 1);
  ASSERT_FALSE(reset["failures"].empty());
  EXPECT_EQ(reset["failures"][0]["target"], "client") << reset.dump(2);
  EXPECT_GT(reset["faults"]["f"]["resets"], 0);
  EXPECT_GT(reset["timeline"]["count"], 0);
}

// A client that talks to a server target of the scenario, listed before it: the server is
// started (and ready) first, the fixture is off, and the summary says no requests were observed
// by stampede instead of giving rates.
TEST_F(ClientRunTest, AClientListedBeforeItsServerStartsAfterItWithoutTheFixture) {
  auto file = dir_ / "own-server.json";
  std::ofstream(file) << R"({
  "name": "own-server",
  "targets": [
    {"name": "client", "ready": {"probe": "none"},
     "command": ["{targets}/http-client", "--url", "http://127.0.0.1:{server.port}/echo",
                 "--requests", "20"]},
    {"name": "server", "command": ["{targets}/http-server", "--port", "{port}"],
     "ready": {"probe": "tcp", "deadline_ms": 5000}}
  ],
  "workload": {"type": "client-run", "client": "client", "fixture": false, "deadline_ms": 10000},
  "timeout_ms": 30000
})";
  auto out = dir_ / "run";
  auto result = Stampede("run " + file.string() + " --out " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("no requests were observed"), std::string::npos) << result.out;
  auto verdict = ReadVerdict(out);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ops"], 0);
  auto history = LoadHistory(out / "history.jsonl");
  ASSERT_TRUE(history.ok());
  std::vector<std::string> spawned;
  for (const auto& event : history.value().processes) {
    if (event.action == ProcessAction::kSpawned) spawned.push_back(event.target);
  }
  EXPECT_EQ(spawned, (std::vector<std::string>{"server", "client"}));
  ExpectNoProcessLeft(out);
}

TEST_F(ClientRunTest, FixtureSettingsWithoutTheFixtureAreRefused) {
  auto file = dir_ / "refused.json";
  std::ofstream(file) << R"({
  "name": "refused",
  "targets": [{"name": "client", "command": ["true"], "ready": {"probe": "none"}}],
  "workload": {"type": "client-run", "fixture": false, "expect_requests": 3}
})";
  const auto err = dir_ / "err.txt";
  auto result = Stampede("validate " + file.string(), err.string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(ReadText(err).find("/workload/expect_requests"), std::string::npos) << ReadText(err);
  EXPECT_NE(ReadText(err).find("\"fixture\": false turns off"), std::string::npos);
}

}  // namespace
}  // namespace stampede
