#include "run/scenario_streams.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ScenarioStreamsTest, TheOneWorkloadIsAnUnnamedStreamAndAClientRunHasNone) {
  Scenario single;
  single.workload = PingPongSpec{};
  auto streams = ScenarioStreams(single);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].name, "");
  Scenario client;
  client.workload = ClientRunSpec{};
  EXPECT_TRUE(ScenarioStreams(client).empty());
  EXPECT_TRUE(AskedRates(client).empty());
}

TEST(ScenarioStreamsTest, NamedLoadsGiveTheirRatesAndWhichReconnect) {
  Scenario scenario;
  StreamSpec paced;
  paced.name = "paced";
  paced.workload = PingPongSpec{.rate = 500};
  StreamSpec reconnecting;
  reconnecting.name = "reconnecting";
  reconnecting.workload = PingPongSpec{.reconnect = true};
  scenario.loads = {paced, reconnecting};
  auto rates = AskedRates(scenario);
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_EQ(rates[0].first, "paced");
  EXPECT_EQ(rates[0].second, 500);
  EXPECT_EQ(ScenarioStreams(scenario).size(), 2u);
  EXPECT_EQ(ReconnectingStreams(scenario), std::set<std::string>{"reconnecting"});
}

}  // namespace
}  // namespace stampede
