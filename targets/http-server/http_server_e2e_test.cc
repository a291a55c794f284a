// End-to-end tests of http-server's backends: the built binary (HTTP_SERVER_PATH) is started on a
// free loopback port (--port 0, port read from its "listening on HOST:PORT" line) and driven over
// real sockets, once per backend. Its --bug modes are in http_server_bug_modes_e2e_test.cc.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "e2e_support.h"
#include "http_e2e_client.h"

namespace {

using http_e2e::Client;
using http_e2e::Get;
using http_e2e::HttpResponse;
using http_e2e::kAnswerTimeout;
using http_e2e::kExitTimeout;
using http_e2e::ServerProcess;
using std::chrono::milliseconds;
using target_test::Clock;
using target_test::ExitedWith;

// --- Every backend answers alike ---------------------------------------------------------------

class Backend : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(server_.Start({"--backend", GetParam()}, &error)) << error;
  }

  ServerProcess server_;
};

TEST_P(Backend, GetRootAnswersHelloWithTheSameBytes) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send(Get("/")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Raw(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n");
}

TEST_P(Backend, KeepAliveServesManyRequestsOnOneConnection) {
  Client client(server_.port());
  for (int seq = 0; seq < 5; ++seq) {
    ASSERT_TRUE(client.Send(Get("/echo?seq=" + std::to_string(seq)))) << seq;
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response) << seq;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, std::to_string(seq));
    EXPECT_FALSE(response->ClosesConnection());
  }
}

TEST_P(Backend, PipelinedRequestsAreAnsweredInOrder) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send(Get("/slow?ms=200") + Get("/echo?seq=1") + Get("/echo?seq=2") +
                          Get("/nope") + Get("/")));
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response) << i;
    bodies.push_back(response->body);
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"slow\n", "1", "2", "not found\n", "hello\n"}));
}

TEST_P(Backend, SlowRequestDoesNotBlockAnotherConnection) {
  Client slow(server_.port());
  Client fast(server_.port());
  ASSERT_TRUE(slow.Send(Get("/slow?ms=3000")));
  Clock::time_point start = Clock::now();
  ASSERT_TRUE(fast.Send(Get("/")));
  std::optional<HttpResponse> answer = fast.Read(milliseconds(1000));
  ASSERT_TRUE(answer) << "GET / waited behind /slow";
  EXPECT_EQ(answer->body, "hello\n");
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  std::optional<HttpResponse> slow_answer = slow.Read();
  ASSERT_TRUE(slow_answer);
  EXPECT_EQ(slow_answer->body, "slow\n");
  EXPECT_GE(Clock::now() - start, milliseconds(2900));
}

TEST_P(Backend, GarbageGets400AndClose) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send("GARBAGE\r\n\r\n" + Get("/")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(response->ClosesConnection());
  EXPECT_TRUE(client.ClosedWithin(kAnswerTimeout));
}

TEST_P(Backend, EndlessHeaderGets431AndCloseAndTheServerStillAnswers) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nX: " + std::string(100 * 1024, 'a')));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.ClosedWithin(kAnswerTimeout));
  Client next(server_.port());
  ASSERT_TRUE(next.Send(Get("/")));
  ASSERT_TRUE(next.Read());
}

TEST_P(Backend, ShutdownRouteAnswersAndExitsZero) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send(Get("/shutdown")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "bye\n");
  EXPECT_TRUE(ExitedWith(server_.WaitForExit(kExitTimeout), 0)) << server_.Stderr();
}

// SIGTERM with one idle keep-alive connection and one /slow in flight: the idle one is closed at
// once, the slow one is answered (with Connection: close) and closed, the process exits 0.
TEST_P(Backend, SigtermClosesIdleConnectionsAndFinishesTheSlowRequest) {
  Client idle(server_.port());
  ASSERT_TRUE(idle.Send(Get("/")));
  ASSERT_TRUE(idle.Read());
  Client slow(server_.port());
  ASSERT_TRUE(slow.Send(Get("/slow?ms=1500")));
  std::this_thread::sleep_for(milliseconds(300));  // Let the server start on it.

  server_.Signal(SIGTERM);
  EXPECT_TRUE(idle.ClosedWithin(milliseconds(1000)));
  std::optional<HttpResponse> response = slow.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow\n");
  EXPECT_TRUE(response->ClosesConnection());
  EXPECT_TRUE(slow.ClosedWithin(kAnswerTimeout));
  EXPECT_TRUE(ExitedWith(server_.WaitForExit(kExitTimeout), 0)) << server_.Stderr();
  EXPECT_EQ(server_.Stderr(),
            "http-server: wait for all connections to close (2 open)\n"
            "http-server: all connections closed\n");
}

INSTANTIATE_TEST_SUITE_P(AllBackends, Backend,
                         ::testing::Values("epoll", "poll", "uring", "threads"),
                         [](const auto& case_info) { return std::string(case_info.param); });
// SIGHUP reloads the routes on every backend and never stops the server.
TEST_P(Backend, SighupReloadsRoutesAndKeepsServing) {
  Client client(server_.port());
  for (int generation = 2; generation <= 4; ++generation) {
    server_.Signal(SIGHUP);
    std::string line = "routes reloaded (generation " + std::to_string(generation) + ")";
    Clock::time_point deadline = Clock::now() + kAnswerTimeout;
    while (server_.Stderr().find(line) == std::string::npos && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    ASSERT_NE(server_.Stderr().find(line), std::string::npos) << server_.Stderr();
    ASSERT_TRUE(client.Send(Get("/echo?seq=" + std::to_string(generation))));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, std::to_string(generation));
  }
  EXPECT_FALSE(server_.WaitForExit(milliseconds(0)));
}

}  // namespace
