#include "perturb/perturbation.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "scenario/scenario.h"
#include "supervisor/child_process.h"

namespace stampede {
namespace {

TEST(PerturbationTest, CommandLineSettingsChangeOneFieldEach) {
  Perturbation perturbation;
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "cpus=1").ok());
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "nice=-10").ok());
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "cpu_hogs=2").ok());
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "memory_hogs=1").ok());
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "hog_duty_percent=50").ok());
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "targets=server,proxy").ok());
  EXPECT_EQ(perturbation.cpus, 1);
  EXPECT_EQ(perturbation.nice, -10);
  EXPECT_EQ(perturbation.cpu_hogs, 2);
  EXPECT_EQ(perturbation.memory_hogs, 1);
  EXPECT_EQ(perturbation.hog_duty_percent, 50);
  EXPECT_EQ(perturbation.targets, (std::vector<std::string>{"server", "proxy"}));
  EXPECT_TRUE(perturbation.AppliesTo("proxy"));
  EXPECT_FALSE(perturbation.AppliesTo("client"));
  ASSERT_TRUE(ApplyPerturbSetting(perturbation, "none").ok());
  EXPECT_FALSE(perturbation.active());
  EXPECT_TRUE(perturbation.AppliesTo("client"));
}

TEST(PerturbationTest, BadSettingsAreNamedWithWhatIsExpected) {
  Perturbation perturbation;
  for (const char* bad : {"cpus", "cpus=", "cpus=-1", "cpus=1x", "cpu_hogs=65", "nice=20",
                          "nice=-21", "hog_duty_percent=0", "speed=3"}) {
    auto applied = ApplyPerturbSetting(perturbation, bad);
    ASSERT_FALSE(applied.ok()) << bad;
    EXPECT_EQ(applied.error().kind, ErrorKind::kInvalidInput);
    EXPECT_NE(applied.error().message.find(bad), std::string::npos) << applied.error().message;
  }
  EXPECT_FALSE(perturbation.active()) << "a rejected setting changes nothing";
}

TEST(PerturbationTest, TheTargetsGetTheHighestAllowedCpus) {
  const auto all = ChooseCpus(0);
  ASSERT_FALSE(all.empty());
  const auto one = ChooseCpus(1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], all.back());
  EXPECT_EQ(ChooseCpus(static_cast<int>(all.size()) + 5), all);
}

TEST(PerturbationTest, TheVerdictDescribesOnlyAnActivePerturbation) {
  EXPECT_TRUE(DescribePerturbation(Perturbation{}, {}).is_null());
  Perturbation pinned;
  pinned.cpus = 1;
  auto described = DescribePerturbation(pinned, {3});
  EXPECT_EQ(described["cpus"], 1);
  EXPECT_EQ(described["target_cpus"], nlohmann::json::array({3}));
}

TEST(PerturbationTest, AScenarioReadsItsPerturbAndChecksTheTargetsItNames) {
  const std::string base = R"({"name": "p", "targets": [{"name": "server", "command": ["x"]}],
    "workload": {"type": "pingpong", "address": "127.0.0.1:1"}, "perturb": )";
  auto read = ParseScenario("p.json", base + R"({"cpus": 1, "cpu_hogs": 2}})", {});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read.value().perturb.cpus, 1);
  EXPECT_EQ(read.value().perturb.cpu_hogs, 2);
  auto unknown = ParseScenario("p.json", base + R"({"targets": ["proxy"]}})", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("/perturb/targets"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("no target is named \"proxy\""), std::string::npos);
  auto out_of_range = ParseScenario("p.json", base + R"({"hog_duty_percent": 0}})", {});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.error().message.find("/perturb/hog_duty_percent"), std::string::npos);
  auto misspelt = ParseScenario("p.json", base + R"({"cpu": 1}})", {});
  ASSERT_FALSE(misspelt.ok());
  EXPECT_NE(misspelt.error().message.find("/perturb"), std::string::npos);
}

// What `shell_command` prints when started with `spec`'s settings.
std::string OutputOf(LaunchSpec spec, const std::string& shell_command) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("stampede-perturbed-" + std::to_string(getpid()) + ".out");
  spec.argv = {"/bin/sh", "-c", shell_command};
  spec.stdout_path = out;
  auto child = ChildProcess::Start(spec);
  if (!child.ok()) return "cannot start: " + child.error().message;
  if (!child.value()->WaitFor(std::chrono::seconds(10))) return "did not exit";
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(out);
  return text.str();
}

// The affinity is set between fork and exec: the program itself, and every thread it starts,
// runs on the chosen CPUs only.
TEST(PerturbationTest, AChildStartedWithCpusRunsOnThemOnly) {
  const auto cpu = ChooseCpus(1);
  ASSERT_EQ(cpu.size(), 1u);
  LaunchSpec spec;
  spec.cpus = cpu;
  EXPECT_EQ(OutputOf(spec, "grep Cpus_allowed_list /proc/self/status"),
            "Cpus_allowed_list:\t" + std::to_string(cpu[0]) + "\n");
}

// The 19th field of /proc/PID/stat is the nice value.
TEST(PerturbationTest, AChildStartedWithNiceRunsAtIt) {
  LaunchSpec spec;
  spec.nice = 7;
  EXPECT_EQ(OutputOf(spec, "cut -d' ' -f19 /proc/self/stat"), "7\n");
  spec.nice = 0;
  EXPECT_EQ(OutputOf(spec, "cut -d' ' -f19 /proc/self/stat"), "0\n");
}

}  // namespace
}  // namespace stampede
