#include "supervisor/port_release.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "supervisor/test_listener.h"

namespace stampede {
namespace {

using supervisor_test::TestListener;

TEST(PortListenersTest, NamesTheProcessAndDescriptorHoldingThePort) {
  TestListener listener;
  auto listeners = PortListeners(listener.port);
  ASSERT_EQ(listeners.size(), 1u) << listeners.dump();
  EXPECT_EQ(listeners[0]["local"], "127.0.0.1:" + std::to_string(listener.port));
  ASSERT_EQ(listeners[0]["holders"].size(), 1u) << listeners.dump();
  EXPECT_EQ(listeners[0]["holders"][0]["pid"], getpid());
  EXPECT_EQ(listeners[0]["holders"][0]["fd"], listener.fd);
}

TEST(WaitForPortReleaseTest, AClosedListenerReleasesThePort) {
  TestListener listener;
  listener.Close();
  EXPECT_TRUE(WaitForPortRelease(listener.port, std::chrono::milliseconds(100)).empty());
}

TEST(WaitForPortReleaseTest, AListenerThatStaysIsReportedAfterTheGrace) {
  TestListener listener;
  auto start = std::chrono::steady_clock::now();
  auto left = WaitForPortRelease(listener.port, std::chrono::milliseconds(100));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ(left.size(), 1u);
}

TEST(WaitForPortReleaseTest, AConnectedSocketOnThePortIsNotAListener) {
  TestListener listener;
  int client = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(listener.port));
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  int accepted = accept(listener.fd, nullptr, nullptr);
  listener.Close();
  EXPECT_TRUE(WaitForPortRelease(listener.port, std::chrono::milliseconds(100)).empty())
      << "an established connection does not stop the next server from binding";
  close(accepted);
  close(client);
}

}  // namespace
}  // namespace stampede
