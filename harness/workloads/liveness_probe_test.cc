#include "workloads/liveness_probe.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "supervisor/test_listener.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using supervisor_test::TestListener;
using workload_test::TargetPath;
using workload_test::TestServer;

TcpEndpoint Endpoint(int port) {
  return ParseTcpEndpoint("127.0.0.1:" + std::to_string(port)).value();
}

TEST(LivenessProbeTest, AServingTargetAnswers) {
  TestServer server({TargetPath("http-server"), "--port", "PORT"});
  std::stop_source never;
  auto result = ProbeHttp(Endpoint(server.port()), "/", 2000, never.get_token());
  EXPECT_EQ(result.outcome, ProbeOutcome::kAnswered) << result.detail;
  EXPECT_EQ(result.detail, "200");
}

TEST(LivenessProbeTest, AnErrorStatusIsAnErrorNotAHang) {
  TestServer server({TargetPath("http-server"), "--port", "PORT"});
  std::stop_source never;
  auto result = ProbeHttp(Endpoint(server.port()), "/no-such-page", 2000, never.get_token());
  EXPECT_EQ(result.outcome, ProbeOutcome::kError);
  EXPECT_EQ(result.detail, "status 404");
}

TEST(LivenessProbeTest, ATargetThatNoLongerAcceptsIsATimeoutAfterTheRequest) {
  TestListener listener;  // listens, never accepts: the kernel completes the handshake alone
  std::stop_source never;
  auto result = ProbeHttp(Endpoint(listener.port), "/", 300, never.get_token());
  EXPECT_EQ(result.outcome, ProbeOutcome::kTimeout);
  EXPECT_EQ(result.stage, "response");
  EXPECT_EQ(result.detail, "no response within 300 ms");
  EXPECT_GE(result.elapsed_ms, 300);
}

TEST(LivenessProbeTest, AClosedListeningSocketIsARefusalNotAHang) {
  int port = 0;
  {
    TestListener listener;
    port = listener.port;
  }
  std::stop_source never;
  auto result = ProbeHttp(Endpoint(port), "/", 1000, never.get_token());
  EXPECT_EQ(result.outcome, ProbeOutcome::kError);
  EXPECT_EQ(result.detail, "connect: Connection refused");
}

TEST(LivenessProbeTest, GarbageIsAProtocolError) {
  TestListener listener;
  std::thread server([&] {
    int fd = accept(listener.fd, nullptr, nullptr);
    const char garbage[] = "SSH-2.0-OpenSSH\r\n";
    (void)!write(fd, garbage, sizeof garbage - 1);
    close(fd);
  });
  std::stop_source never;
  auto result = ProbeHttp(Endpoint(listener.port), "/", 2000, never.get_token());
  server.join();
  EXPECT_EQ(result.outcome, ProbeOutcome::kError);
  EXPECT_NE(result.detail.find("protocol error"), std::string::npos) << result.detail;
}

TEST(LivenessProbeTest, AStopEndsTheWaitEarly) {
  TestListener listener;
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  auto result = ProbeHttp(Endpoint(listener.port), "/", 10000, stop.get_token());
  EXPECT_EQ(result.outcome, ProbeOutcome::kStopped);
  EXPECT_LT(result.elapsed_ms, 5000);
}

}  // namespace
}  // namespace stampede
