#include "scenario/network_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stampede {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

Scenario MustParse(const json& text) {
  auto scenario = ParseScenario("s.json", text.dump(), {});
  EXPECT_TRUE(scenario.ok()) << scenario.error().message;
  return scenario.ok() ? std::move(scenario).value() : Scenario{};
}

json WithWorkload(const json& workload) {
  return {{"name", "t"},
          {"targets", json::array({{{"name", "s"}, {"command", {"prog"}}}})},
          {"workload", workload}};
}

const NetworkPolicy kLoopbackOnly{false};
const NetworkPolicy kAnywhere{true};

TEST(NetworkCheckTest, LoopbackAddressesPass) {
  for (const auto& workload :
       {json{{"type", "parallel-requests"}, {"url", "http://127.0.0.1:{s.port}/?seq={seq}"}},
        json{{"type", "pingpong"}, {"address", "localhost:{s.port}"}},
        json{{"type", "start-stop"}, {"cycles", 2}, {"address", "[::1]:{s.port}"}}}) {
    auto status = CheckScenarioAddresses(MustParse(WithWorkload(workload)), kLoopbackOnly);
    EXPECT_TRUE(status.ok()) << workload.dump() << ": " << status.error().message;
  }
}

TEST(NetworkCheckTest, ARemoteUrlIsRefusedUnlessAllowed) {
  auto scenario = MustParse(
      WithWorkload({{"type", "parallel-requests"}, {"url", "http://192.0.2.1:{s.port}/"}}));
  auto status = CheckScenarioAddresses(scenario, kLoopbackOnly);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(status.error().message,
              HasSubstr("refusing to send traffic to 192.0.2.1: stampede only targets loopback"));
  EXPECT_TRUE(CheckScenarioAddresses(scenario, kAnywhere).ok());
}

TEST(NetworkCheckTest, ARemoteAddressOfALoadAnActionOrAFaultIsNamed) {
  auto base = WithWorkload({{"type", "pingpong"}, {"address", "127.0.0.1:{s.port}"}});
  auto loads = base;
  loads.erase("workload");
  loads["loads"] =
      json::array({{{"name", "far"}, {"type", "pingpong"}, {"address", "192.0.2.3:{s.port}"}}});
  auto status = CheckScenarioAddresses(MustParse(loads), kLoopbackOnly);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("load \"far\": refusing to send traffic to "
                                                "192.0.2.3"));

  auto faults = base;
  faults["faults"] =
      json::array({{{"name", "f"}, {"upstream", "10.0.0.1:80"}, {"toxics", json::array()}}});
  status = CheckScenarioAddresses(MustParse(faults), kLoopbackOnly);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message,
              HasSubstr("fault \"f\": refusing to send traffic to 10.0.0.1"));

  auto actions = base;
  actions["actions"] =
      json::array({{{"type", "send"}, {"address", "10.0.0.2:6379"}, {"resp", {"PING"}}}});
  status = CheckScenarioAddresses(MustParse(actions), kLoopbackOnly);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("refusing to send traffic to 10.0.0.2"));
}

TEST(NetworkCheckTest, AStartStopLoadIsChecked) {
  auto scenario = MustParse(
      WithWorkload({{"type", "start-stop"}, {"cycles", 2}, {"address", "192.0.2.7:{s.port}"}}));
  auto status = CheckScenarioAddresses(scenario, kLoopbackOnly);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("refusing to send traffic to 192.0.2.7"));
}

TEST(NetworkCheckTest, ANonHttpUrlIsRefused) {
  auto scenario =
      MustParse(WithWorkload({{"type", "parallel-requests"}, {"url", "ftp://127.0.0.1/"}}));
  auto status = CheckScenarioAddresses(scenario, kAnywhere);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("only http:// URLs are supported"));
}

}  // namespace
}  // namespace stampede
