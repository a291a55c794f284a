#include "faults/fault_proxy.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "supervisor/loopback.h"
#include "test_paths.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;
using workload_test::TestServer;

// What a client saw of one exchange through the proxy.
struct Seen {
  std::string bytes;
  int reads = 0;
  bool eof = false;
  int error = 0;  // errno of a failed recv (ECONNRESET)
  std::int64_t first_byte_ms = -1;
};

class FaultProxyTest : public ::testing::Test {
 protected:
  FaultProxyTest()
      : server_({std::string(STAMPEDE_BINARY_DIR) + "/targets/resp-server", "--port", "PORT"}) {}

  std::unique_ptr<FaultProxy> Proxy(std::vector<ToxicSpec> toxics, bool enabled = true) {
    FaultSpec spec{"f", "", std::move(toxics), enabled};
    auto upstream = ParseTcpEndpoint(server_.Address()).value();
    auto proxy = FaultProxy::Start(spec, AllocateLoopbackPorts(1).value().at(0), upstream, 1,
                                   [this](const std::string& what) {
                                     std::lock_guard lock(mutex_);
                                     events_.push_back(what);
                                   });
    EXPECT_TRUE(proxy.ok());
    return std::move(proxy.value());
  }

  // Sends `request` through the proxy and reads until `want` bytes, EOF, an error or `wait`.
  static Seen Exchange(const FaultProxy& proxy, const std::string& request, std::size_t want,
                       milliseconds wait = milliseconds(2000)) {
    Seen seen;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    auto endpoint = ParseTcpEndpoint("127.0.0.1:" + std::to_string(proxy.port())).value();
    EXPECT_EQ(connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length),
              0);
    const auto start = MonoClock::now();
    EXPECT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
    const auto deadline = start + wait;
    while (seen.bytes.size() < want && MonoClock::now() < deadline) {
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, 20) <= 0) continue;
      char buffer[4096];
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n < 0) seen.error = errno;
      if (n <= 0) {
        seen.eof = n == 0;
        break;
      }
      if (seen.first_byte_ms < 0) {
        seen.first_byte_ms =
            std::chrono::duration_cast<milliseconds>(MonoClock::now() - start).count();
      }
      seen.bytes.append(buffer, static_cast<std::size_t>(n));
      ++seen.reads;
    }
    close(fd);
    return seen;
  }

  static ToxicSpec Toxic(ToxicType type, ToxicStream stream = ToxicStream::kDownstream) {
    ToxicSpec toxic;
    toxic.type = type;
    toxic.stream = stream;
    return toxic;
  }

  std::vector<std::string> Events() {
    std::lock_guard lock(mutex_);
    return events_;
  }

  const std::string ping_ = "*1\r\n$4\r\nPING\r\n";
  TestServer server_;
  std::mutex mutex_;
  std::vector<std::string> events_;
};

TEST_F(FaultProxyTest, ForwardsBothWaysUntouchedWhenDisabled) {
  auto slicer = Toxic(ToxicType::kSlicer);
  slicer.average_size = 1;
  slicer.size_variation = 0;
  slicer.delay_us = 300000;  // enabled, the 7-byte reply would take 1.8 s
  auto proxy = Proxy({slicer}, false);
  auto seen = Exchange(*proxy, ping_, 7);
  EXPECT_EQ(seen.bytes, "+PONG\r\n");
  EXPECT_LT(seen.first_byte_ms, 1000);
  EXPECT_EQ(seen.reads, 1);
  proxy->Stop();
  EXPECT_EQ(proxy->Figures()["bytes_upstream"], 14);
  EXPECT_EQ(proxy->Figures()["bytes_downstream"], 7);
}

TEST_F(FaultProxyTest, TheSlicerDeliversARepliesInPieces) {
  auto slicer = Toxic(ToxicType::kSlicer);
  slicer.average_size = 1;
  slicer.size_variation = 0;
  slicer.delay_us = 20000;  // 20 ms apart: every piece is a read of its own
  auto proxy = Proxy({slicer});
  auto seen = Exchange(*proxy, ping_, 7);
  EXPECT_EQ(seen.bytes, "+PONG\r\n");
  EXPECT_GE(seen.reads, 5);
  proxy->SetEnabled(false);
  EXPECT_EQ(Exchange(*proxy, ping_, 7).bytes, "+PONG\r\n");
}

TEST_F(FaultProxyTest, LatencyDelaysEachChunk) {
  auto latency = Toxic(ToxicType::kLatency, ToxicStream::kUpstream);
  latency.latency_ms = 150;
  auto proxy = Proxy({latency});
  auto seen = Exchange(*proxy, ping_, 7);
  EXPECT_EQ(seen.bytes, "+PONG\r\n");
  EXPECT_GE(seen.first_byte_ms, 150);
}

TEST_F(FaultProxyTest, ABlackholeDropsWhatItReadsUntilSwitchedOff) {
  auto proxy = Proxy({Toxic(ToxicType::kBlackhole, ToxicStream::kUpstream)});
  auto seen = Exchange(*proxy, ping_, 7, milliseconds(300));
  EXPECT_EQ(seen.bytes, "");
  EXPECT_FALSE(seen.eof);
  EXPECT_EQ(proxy->Figures()["dropped_bytes"], 14);
  proxy->SetEnabled(false);
  EXPECT_EQ(Exchange(*proxy, ping_, 7).bytes, "+PONG\r\n");
}

TEST_F(FaultProxyTest, ResetPeerResetsTheConnectionAfterItsTimeout) {
  auto reset = Toxic(ToxicType::kResetPeer);
  reset.timeout_ms = 100;
  auto proxy = Proxy({reset});
  auto seen = Exchange(*proxy, "", 1);
  EXPECT_EQ(seen.error, ECONNRESET);
  EXPECT_EQ(proxy->Figures()["resets"], 1);
  ASSERT_EQ(Events().size(), 1u);
  EXPECT_EQ(Events()[0].rfind("fault f: reset connection 1 after ", 0), 0u) << Events()[0];
}

TEST_F(FaultProxyTest, LimitDataClosesAfterThatManyBytes) {
  auto limit = Toxic(ToxicType::kLimitData);
  limit.bytes = 3;
  auto proxy = Proxy({limit});
  auto seen = Exchange(*proxy, ping_, 7);
  EXPECT_EQ(seen.bytes, "+PO");
  EXPECT_TRUE(seen.eof || seen.error != 0);
  EXPECT_EQ(proxy->Figures()["limited"], 1);
}

TEST_F(FaultProxyTest, AnUpstreamThatRefusesIsRecorded) {
  const int closed = AllocateLoopbackPorts(1).value().at(0);
  FaultSpec spec{"f", "", {}, true};
  std::vector<std::string> events;
  auto proxy = FaultProxy::Start(spec, AllocateLoopbackPorts(1).value().at(0),
                                 ParseTcpEndpoint("127.0.0.1:" + std::to_string(closed)).value(), 1,
                                 [&](const std::string& what) { events.push_back(what); });
  ASSERT_TRUE(proxy.ok());
  auto seen = Exchange(*proxy.value(), ping_, 7);
  EXPECT_EQ(seen.bytes, "");
  proxy.value()->Stop();
  EXPECT_EQ(proxy.value()->Figures()["upstream_failures"], 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("refused a connection: Connection refused"), std::string::npos);
}

}  // namespace
}  // namespace stampede
