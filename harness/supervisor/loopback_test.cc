#include "supervisor/loopback.h"

#include <gtest/gtest.h>

#include <set>

namespace stampede {
namespace {

TEST(LoopbackTest, AllocatesDistinctFreePorts) {
  auto ports = AllocateLoopbackPorts(5);
  ASSERT_TRUE(ports.ok());
  std::set<int> distinct(ports.value().begin(), ports.value().end());
  EXPECT_EQ(distinct.size(), 5u);
  for (int port : ports.value()) {
    EXPECT_GT(port, 0);
    EXPECT_TRUE(LoopbackPortIsFree(port));
  }
}

TEST(LoopbackTest, AllocatedPortsLieOutsideTheEphemeralRange) {
  auto ephemeral = EphemeralPortRange();
  ASSERT_TRUE(PortsOutside(ephemeral).has_value()) << "this machine's range leaves no room";
  auto ports = AllocateLoopbackPorts(20);
  ASSERT_TRUE(ports.ok());
  for (int port : ports.value()) {
    EXPECT_TRUE(port < ephemeral.low || port > ephemeral.high) << port;
  }
}

TEST(LoopbackTest, PortsOutsidePrefersBelowThenAboveThenNothing) {
  auto below = PortsOutside({32768, 60999});
  ASSERT_TRUE(below.has_value());
  EXPECT_EQ(below->low, 10000);
  EXPECT_EQ(below->high, 32767);
  auto above = PortsOutside({1024, 50000});
  ASSERT_TRUE(above.has_value());
  EXPECT_EQ(above->low, 50001);
  EXPECT_EQ(above->high, 65535);
  EXPECT_FALSE(PortsOutside({1024, 65000}).has_value());
}

TEST(LoopbackTest, NothingListeningMeansNoConnectionAndNoStatus) {
  int port = AllocateLoopbackPorts(1).value().at(0);
  EXPECT_FALSE(TcpConnects(port, std::chrono::milliseconds(200)));
  auto status = HttpGetStatus(port, "/", std::chrono::milliseconds(200));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  auto connected = TryTcpConnect(port, std::chrono::milliseconds(200));
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().message, status.error().message);
}

}  // namespace
}  // namespace stampede
