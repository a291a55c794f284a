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

TEST(LoopbackTest, NothingListeningMeansNoConnectionAndNoStatus) {
  int port = AllocateLoopbackPorts(1).value().at(0);
  EXPECT_FALSE(TcpConnects(port, std::chrono::milliseconds(200)));
  EXPECT_FALSE(HttpGetStatus(port, "/", std::chrono::milliseconds(200)).has_value());
}

}  // namespace
}  // namespace stampede
