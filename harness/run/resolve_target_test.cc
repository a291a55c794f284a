#include "run/resolve_target.h"

#include <gtest/gtest.h>

#include <set>

namespace stampede {
namespace {

TEST(ResolveTargetTest, ExpandsCommandAndEnvironmentWithItsOwnPort) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"{targets}/http-server", "--port", "{port}"};
  spec.env = {{"PEER", "127.0.0.1:{other.port}"}};
  spec.log_limit_mb = 8;
  auto target = ResolveTarget(spec, 4242, {{"targets", "/t"}, {"other.port", "5000"}});
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target.value().argv, (std::vector<std::string>{"/t/http-server", "--port", "4242"}));
  EXPECT_EQ(target.value().env.at("PEER"), "127.0.0.1:5000");
  EXPECT_EQ(target.value().port, 4242);
  EXPECT_EQ(target.value().log_cap_bytes, 8 << 20);
}

// A relative program path is the scenario folder's, as the file that names it is; a bare name
// is still looked up in PATH.
TEST(ResolveTargetTest, ARelativeProgramIsResolvedAgainstTheScenarioFolder) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"./bin/server", "--root", "{scenario_dir}/www"};
  auto target = ResolveTarget(spec, 1, {{"scenario_dir", "/s/cases"}});
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target.value().argv,
            (std::vector<std::string>{"/s/cases/./bin/server", "--root", "/s/cases/www"}));
  spec.command = {"redis-server"};
  EXPECT_EQ(ResolveTarget(spec, 1, {{"scenario_dir", "/s"}}).value().argv[0], "redis-server");
  spec.command = {"/usr/bin/env"};
  EXPECT_EQ(ResolveTarget(spec, 1, {{"scenario_dir", "/s"}}).value().argv[0], "/usr/bin/env");
}

TEST(ResolveTargetTest, ALineBufferedTargetGetsStdbufPreloadedOthersDoNot) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"memcached"};
  EXPECT_EQ(ResolveTarget(spec, 1, {}).value().env.count("_STDBUF_O"), 0u);
  spec.line_buffered = true;
  auto target = ResolveTarget(spec, 1, {});
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target.value().env.at("_STDBUF_O"), "L");
  EXPECT_NE(target.value().env.at("LD_PRELOAD").find("libstdbuf.so"), std::string::npos);
}

TEST(ResolveTargetTest, AnUnknownPlaceholderIsAnError) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"server", "{nope.port}"};
  EXPECT_FALSE(ResolveTarget(spec, 1, {}).ok());
}

TEST(ResolveTargetTest, EachTargetExtraPortAndFaultGetsAPortOfItsOwn) {
  Scenario scenario;
  scenario.targets.resize(2);
  scenario.targets[0].name = "a";
  scenario.targets[0].extra_ports = {"admin"};
  scenario.targets[1].name = "b";
  scenario.faults.resize(1);
  scenario.faults[0].name = "slow";
  PlaceholderValues values;
  auto ports = AllocateRunPorts(scenario, values);
  ASSERT_TRUE(ports.ok()) << ports.error().message;
  ASSERT_EQ(ports.value().targets.size(), 2u);
  ASSERT_EQ(ports.value().faults.size(), 1u);
  EXPECT_EQ(values["a.port"], std::to_string(ports.value().targets[0]));
  EXPECT_EQ(values["b.port"], std::to_string(ports.value().targets[1]));
  EXPECT_EQ(values["slow.port"], std::to_string(ports.value().faults[0]));
  const std::set<std::string> distinct = {values["a.port"], values["a.admin.port"],
                                          values["b.port"], values["slow.port"]};
  EXPECT_EQ(distinct.size(), 4u);
}

}  // namespace
}  // namespace stampede
