// kill -9 of stampede mid-run: with its PID namespace nothing the run started survives; the
// subreaper fallback (STAMPEDE_CONTAINMENT=subreaper) shows what the namespace prevents.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede::cli_test {
namespace {

// Live processes whose command line contains `tag`.
std::vector<int> ProcessesTagged(const std::string& tag) {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& dir : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = dir.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto stat = ReadText(dir.path() / "stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z') continue;
    if (ReadText(dir.path() / "cmdline").find(tag) != std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

// Starts stampede on the daemon-keeps-socket fixture (each attempt leaves a daemon holding the
// port, swept at its end), SIGKILLs it after `delay` (or, with `double_interrupt`, sends
// SIGINT twice: the second makes stampede _Exit at once), and returns what still carries
// `tag` 3 s later (less when nothing does).
std::vector<int> LeftAfterKill9(const std::filesystem::path& out, const std::string& tag,
                                const char* containment, std::chrono::milliseconds delay,
                                bool double_interrupt = false) {
  const std::string scenario =
      std::string(STAMPEDE_SOURCE_DIR) + "/tests/fixtures/hostile/daemon-keeps-socket.json";
  const std::string targets = std::string(STAMPEDE_BINARY_DIR) + "/targets";
  pid_t pid = fork();
  if (pid == 0) {
    if (containment != nullptr) setenv("STAMPEDE_CONTAINMENT", containment, 1);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(STAMPEDE_BINARY, STAMPEDE_BINARY, "run", scenario.c_str(), "--repeat", "1000", "--set",
          ("tag=" + tag).c_str(), "--targets-dir", targets.c_str(), "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  if (double_interrupt) {
    kill(pid, SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    kill(pid, SIGINT);
  } else {
    kill(pid, SIGKILL);
  }
  waitpid(pid, nullptr, 0);
  // The kernel kills the namespace's members once its init is gone; give slow exits (a
  // sanitizer's large mappings on a loaded machine) a few seconds.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  auto left = ProcessesTagged(tag);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = ProcessesTagged(tag);
  }
  return left;
}

TEST_F(CliTest, Kill9LeavesNoDaemonBehindInsideThePidNamespace) {
  for (int trial = 0; trial < 3; ++trial) {
    const std::string tag = "kill9-ns-" + std::to_string(getpid()) + "-" + std::to_string(trial);
    auto left = LeftAfterKill9(dir_ / std::to_string(trial), tag, nullptr,
                               std::chrono::milliseconds(700 + 300 * trial));
    EXPECT_TRUE(left.empty()) << left.size() << " processes tagged " << tag << " left";
    for (int pid : left) kill(pid, SIGKILL);
  }
}

TEST_F(CliTest, ADoubleInterruptLeavesNoDaemonBehind) {
  const std::string tag = "int2-ns-" + std::to_string(getpid());
  auto left = LeftAfterKill9(dir_ / "run", tag, nullptr, std::chrono::milliseconds(800), true);
  EXPECT_TRUE(left.empty()) << left.size() << " processes tagged " << tag << " left";
  for (int pid : left) kill(pid, SIGKILL);
}

// The control: the same kill -9 without the namespace leaves the running attempt's daemon.
TEST_F(CliTest, Kill9OfTheSubreaperFallbackLeavesTheDaemon) {
  std::vector<int> left;
  for (int trial = 0; trial < 5 && left.empty(); ++trial) {
    const std::string tag = "kill9-sub-" + std::to_string(getpid()) + "-" + std::to_string(trial);
    left = LeftAfterKill9(dir_ / std::to_string(trial), tag, "subreaper",
                          std::chrono::milliseconds(700 + 150 * trial));
  }
  EXPECT_FALSE(left.empty()) << "no trial left a daemon: the check above could not fail";
  for (int pid : left) kill(pid, SIGKILL);
}

}  // namespace
}  // namespace stampede::cli_test
