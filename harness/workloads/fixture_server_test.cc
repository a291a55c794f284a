#include "workloads/fixture_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "core/clock.h"
#include "workloads/test_server.h"

namespace stampede {
namespace {

using workload_test::TargetPath;

// A blocking loopback client for one connection (test code).
struct RawClient {
  explicit RawClient(int port) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  ~RawClient() { close(fd); }
  void Send(const std::string& bytes) {
    EXPECT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
  }
  // Reads until `count` answers ("HTTP/1.1 " starts) and their bodies are in, EOF, or 3 s.
  std::string ReadUntil(const std::string& needle, int count = 1) {
    std::string got;
    auto deadline = MonoClock::now() + std::chrono::seconds(3);
    while (MonoClock::now() < deadline) {
      std::size_t found = 0;
      for (auto at = got.find(needle); at != std::string::npos; at = got.find(needle, at + 1)) {
        ++found;
      }
      if (static_cast<int>(found) >= count) break;
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, 50) <= 0) continue;
      char buffer[4096];
      ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }
  int fd = -1;
};

std::unique_ptr<FixtureServer> Fixture(FixtureOptions options = {}) {
  auto server = FixtureServer::Start(options);
  EXPECT_TRUE(server.ok());
  return std::move(server.value());
}

TEST(FixtureServerTest, AnswersKeepAliveRequestsWithTheirSequenceInOrder) {
  auto fixture = Fixture();
  RawClient client(fixture->port());
  client.Send("GET /a?seq=7 HTTP/1.1\r\nHost: x\r\n\r\nGET /b?seq=8 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto got = client.ReadUntil("\r\n\r\n", 2);
  EXPECT_NE(got.find("X-Seq: 7\r\n"), std::string::npos) << got;
  EXPECT_LT(got.find("X-Seq: 7"), got.find("X-Seq: 8")) << "pipelined answers stay in order";
  client.Send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(client.ReadUntil("\r\n\r\n2\n").find("X-Seq: 2\r\n"), std::string::npos)
      << "without seq, the arrival index";
  auto seen = fixture->Requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].target, "/a?seq=7");
  EXPECT_EQ(seen[1].seq, "8");
  EXPECT_EQ(seen[2].index, 2);
  EXPECT_EQ(seen[2].connection, 1);
  EXPECT_EQ(seen[2].status, 200);
}

TEST(FixtureServerTest, AMalformedRequestIsRecordedAnswered400AndClosed) {
  auto fixture = Fixture();
  RawClient client(fixture->port());
  client.Send("\x16\x03\x01 hello\r\n\r\n");
  auto got = client.ReadUntil("400");
  EXPECT_NE(got.find("HTTP/1.1 400 Bad Request"), std::string::npos) << got;
  auto seen = fixture->Requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].status, 400);
  EXPECT_FALSE(seen[0].error.empty());
}

TEST(FixtureServerTest, FailsAndDelaysTheChosenFraction) {
  FixtureOptions options;
  options.fail_fraction = 1.0;
  options.fail_status = 502;
  options.delay_fraction = 1.0;
  options.delay_ms = 200;
  auto fixture = Fixture(options);
  RawClient client(fixture->port());
  auto started = MonoClock::now();
  client.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  auto got = client.ReadUntil("Bad Gateway\n");
  EXPECT_GE(MonoClock::now() - started, std::chrono::milliseconds(200));
  EXPECT_NE(got.find("HTTP/1.1 502"), std::string::npos) << got;
  EXPECT_TRUE(fixture->Requests().at(0).delayed);
}

TEST(FixtureServerTest, APartialFractionIsSeededAndRoughlyRight) {
  auto count_failed = [](std::uint64_t seed) {
    FixtureOptions options;
    options.fail_fraction = 0.3;
    options.seed = seed;
    auto fixture = Fixture(options);
    RawClient client(fixture->port());
    std::string pipeline;
    for (int i = 0; i < 200; ++i)
      pipeline += "GET /?seq=" + std::to_string(i) + " HTTP/1.1\r\n\r\n";
    client.Send(pipeline);
    client.ReadUntil("X-Seq: 199\r\n");
    std::vector<int> failed;
    for (const auto& seen : fixture->Requests()) {
      if (seen.status != 200) failed.push_back(static_cast<int>(seen.index));
    }
    return failed;
  };
  auto first = count_failed(11);
  EXPECT_EQ(first, count_failed(11)) << "the same seed fails the same requests";
  EXPECT_NE(first, count_failed(12));
  EXPECT_GT(first.size(), 40u);
  EXPECT_LT(first.size(), 80u);
}

TEST(FixtureServerTest, SeesEveryRequestOfAParallelClient) {
  auto fixture = Fixture();
  auto url = "http://127.0.0.1:" + std::to_string(fixture->port()) + "/echo";
  auto command = TargetPath("http-client") + " --url " + url + " --requests 100 2>/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0);
  auto seen = fixture->Requests();
  ASSERT_EQ(seen.size(), 100u);
  std::set<std::string> seqs;
  for (const auto& request : seen) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.status, 200);
    EXPECT_TRUE(request.error.empty()) << request.error;
    seqs.insert(request.seq);
  }
  EXPECT_EQ(seqs.size(), 100u);
  EXPECT_EQ(fixture->connections(), 100);
}

TEST(FixtureServerTest, StopsPromptlyWithConnectionsOpen) {
  auto fixture = Fixture();
  RawClient idle(fixture->port());
  RawClient partial(fixture->port());
  partial.Send("GET / HT");
  for (int i = 0; i < 100 && fixture->connections() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(fixture->connections(), 2);
  auto started = MonoClock::now();
  fixture->Stop();
  EXPECT_LT(MonoClock::now() - started, std::chrono::seconds(1));
  char byte;
  EXPECT_EQ(recv(idle.fd, &byte, 1, 0), 0) << "closed by the stop";
}

}  // namespace
}  // namespace stampede
