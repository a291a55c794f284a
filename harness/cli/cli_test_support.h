// Helpers for end-to-end tests of the stampede binary (test code only).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "history/history.h"
#include "test_paths.h"

namespace stampede::cli_test {

struct CliResult {
  int exit_code = -1;
  std::string out;
};

// Runs `command` through the shell and collects its stdout.
inline CliResult Shell(const std::string& command) {
  CliResult result;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.out += buffer.data();
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `stampede ARGS` through the shell; stderr goes to `stderr_path` when given, else to the
// test's own stderr, so that a failed test's log shows why stampede ended as it did.
inline CliResult Stampede(const std::string& args, const std::string& stderr_path = "") {
  const std::string redirect = stderr_path.empty() ? "" : " 2>" + stderr_path;
  return Shell(std::string(STAMPEDE_BINARY) + " " + args + redirect);
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json ReadVerdict(const std::filesystem::path& dir) {
  return nlohmann::json::parse(ReadText(dir / "verdict.json"));
}

inline bool ValidatesAgainstSchema(const std::filesystem::path& verdict) {
  std::string command = std::string(STAMPEDE_PYTHON) + " " + std::string(STAMPEDE_SOURCE_DIR) +
                        "/tests/check_schemas.py " + verdict.string() + " >/dev/null";
  return std::system(command.c_str()) == 0;
}

// Every process the run spawned is gone (reaped, not even a zombie of ours).
inline void ExpectNoProcessLeft(const std::filesystem::path& dir, bool expect_spawned = true) {
  auto history = LoadHistory(dir / "history.jsonl");
  ASSERT_TRUE(history.ok()) << history.error().message;
  int spawned = 0;
  for (const auto& event : history.value().processes) {
    if (event.action != ProcessAction::kSpawned) continue;
    ++spawned;
    EXPECT_NE(kill(event.pid, 0), 0) << event.target << " (pid " << event.pid << ") still runs";
    EXPECT_NE(kill(-event.pid, 0), 0) << "process group " << event.pid << " still has members";
  }
  EXPECT_EQ(spawned > 0, expect_spawned);
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Runs `stampede run FILE ARGS --out dir_/run`, expects `expected_exit`, a verdict that
  // matches its schema and no process left behind, and returns the verdict.
  nlohmann::json RunChecked(const std::string& file, const std::string& args, int expected_exit) {
    auto out = dir_ / "run";
    auto result = Stampede("run " + file + " " + args + " --out " + out.string());
    EXPECT_EQ(result.exit_code, expected_exit) << result.out;
    EXPECT_TRUE(ValidatesAgainstSchema(out / "verdict.json"));
    ExpectNoProcessLeft(out);
    return ReadVerdict(out);
  }

  std::filesystem::path dir_;
};

inline std::string ScenarioPath(const std::string& relative) {
  return std::string(STAMPEDE_SOURCE_DIR) + "/scenarios/" + relative;
}

}  // namespace stampede::cli_test
