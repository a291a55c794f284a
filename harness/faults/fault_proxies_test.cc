#include "faults/fault_proxies.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "supervisor/loopback.h"

namespace stampede {
namespace {

// The upstream is checked when the run starts the proxy, after its placeholders are filled in:
// an address off loopback is refused unless the user allowed remote targets.
TEST(FaultProxiesTest, AnUpstreamOffLoopbackIsRefusedUnlessRemoteIsAllowed) {
  const FaultSpec spec{"cut", "{host}:6379", {}, true};
  const PlaceholderValues values = {{"host", "10.1.2.3"}};
  {
    HistoryWriter writer;
    FaultProxies proxies(writer, MonotonicNanos());
    auto status = proxies.Start({spec}, AllocateLoopbackPorts(1).value(), values, {}, 1);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message.rfind("fault \"cut\": ", 0), 0u) << status.error().message;
    EXPECT_NE(status.error().message.find("10.1.2.3"), std::string::npos);
    EXPECT_NE(status.error().message.find("only targets loopback addresses"), std::string::npos)
        << status.error().message;
  }
  HistoryWriter writer;
  FaultProxies proxies(writer, MonotonicNanos());
  EXPECT_TRUE(
      proxies.Start({spec}, AllocateLoopbackPorts(1).value(), values, {.allow_remote = true}, 1)
          .ok())
      << "a proxy connects upstream only when a client comes";
  proxies.Stop();
}

}  // namespace
}  // namespace stampede
