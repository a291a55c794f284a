// End-to-end tests of http-server: the built binary (HTTP_SERVER_PATH) is started on a free
// loopback port (--port 0, port read from its "listening on HOST:PORT" line) and driven over real
// sockets, once per backend, then with --bug accept-once, --bug reload-race and --bug drain-busy
// against the default.
//
// Every server process is owned by a ServerProcess (e2e_support.h), which kills it by its pid
// (SIGKILL) and reaps it if a test ends before it has exited; the child also gets SIGKILL if the
// test process dies (PR_SET_PDEATHSIG). No test leaves a process behind.
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

namespace {

using std::chrono::milliseconds;
using target_test::Clock;
using target_test::ExitedWith;
using target_test::kThreadSanitizer;
using target_test::ShowsRace;

constexpr milliseconds kAnswerTimeout{5000};
constexpr milliseconds kExitTimeout{5000};

// One http-server child process (see e2e_support.h); its stderr holds the drain lines.
class ServerProcess : public target_test::TargetProcess {
 public:
  ServerProcess() : TargetProcess(HTTP_SERVER_PATH) {}
};

struct HttpResponse {
  int status = 0;
  std::string head;  // Status line and headers, up to and including the empty line.
  std::string body;

  std::string Raw() const { return head + body; }
  bool ClosesConnection() const { return head.find("\r\nConnection: close\r\n") != head.npos; }
};

// A blocking HTTP client socket on 127.0.0.1:port with deadline-bounded reads.
class Client : public target_test::LoopbackClient {
 public:
  using LoopbackClient::LoopbackClient;

  // The next response (headers and a Content-Length body), or nullopt if it has not fully
  // arrived within `timeout` or the connection ended first.
  std::optional<HttpResponse> Read(milliseconds timeout = kAnswerTimeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    HttpResponse response;
    response.head = buffer_.substr(0, head_end + 4);
    response.status = std::atoi(response.head.c_str() + std::strlen("HTTP/1.1 "));
    size_t length_at = response.head.find("Content-Length: ");
    size_t length = length_at == std::string::npos
                        ? 0
                        : std::strtoul(response.head.c_str() + length_at + 16, nullptr, 10);
    while (buffer_.size() < head_end + 4 + length) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(head_end + 4, length);
    buffer_.erase(0, head_end + 4 + length);
    return response;
  }
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

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

// --- --bug accept-once -------------------------------------------------------------------------

struct BurstCase {
  const char* backend;
  const char* bug;
  bool answered;  // Whether every fresh connection must be answered.
};

constexpr int kBurst = 20;
constexpr int kReloads = 10;
constexpr milliseconds kFreshTimeout{1000};

// A browser reload as the listening socket sees it: kBurst connections at once that send nothing
// and are kept open (in *kept_open), then a fresh connection sending GET /. Returns whether that
// one is answered within kFreshTimeout.
bool FreshConnectionAnsweredAfterABurst(int port, std::deque<Client>* kept_open) {
  // The sockets are made first, so that the connects follow each other as closely as they can.
  size_t first = kept_open->size();
  for (int i = 0; i < kBurst; ++i) kept_open->emplace_back();
  for (size_t i = first; i < kept_open->size(); ++i) {
    EXPECT_TRUE((*kept_open)[i].Connect(port)) << std::strerror(errno);
  }
  Client& fresh = kept_open->emplace_back(port);
  return fresh.Send(Get("/")) && fresh.Read(kFreshTimeout).has_value();
}

// Up to kReloads reloads, until a fresh connection is not answered. With --bug accept-once on
// epoll, a burst whose connections arrive faster than the server takes one notification leaves
// them queued in the kernel, and the fresh connection is never accepted: the test expects that
// to happen (almost always at the first reload, see README). Every other case must answer them
// all.
class AcceptBurst : public ::testing::TestWithParam<BurstCase> {};

TEST_P(AcceptBurst, FreshConnectionAfterABurst) {
  const BurstCase& burst_case = GetParam();
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", burst_case.backend, "--bug", burst_case.bug}, &error))
      << error;
  std::deque<Client> kept_open;
  int reload = 1;
  bool answered = true;
  for (; answered && reload <= kReloads; ++reload) {
    answered = FreshConnectionAnsweredAfterABurst(server.port(), &kept_open);
  }
  if (burst_case.answered) {
    EXPECT_TRUE(answered) << "reload " << reload - 1 << " not answered within 1 s";
  } else {
    EXPECT_FALSE(answered) << kReloads << " reloads all answered: every burst was drained";
    RecordProperty("unanswered_reload", reload - 1);
  }

  server.Signal(SIGTERM);  // Still stops cleanly, queued connections or not.
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0)) << server.Stderr();
}

INSTANTIATE_TEST_SUITE_P(
    AcceptOnce, AcceptBurst,
    ::testing::Values(BurstCase{"epoll", "accept-once", false}, BurstCase{"epoll", "none", true},
                      BurstCase{"poll", "none", true}, BurstCase{"uring", "none", true},
                      BurstCase{"threads", "none", true}, BurstCase{"poll", "accept-once", true},
                      BurstCase{"uring", "accept-once", true},
                      BurstCase{"threads", "accept-once", true}),
    [](const auto& case_info) {
      return std::string(case_info.param.backend) + "_" +
             (std::string_view(case_info.param.bug) == "none" ? "Default" : "AcceptOnce");
    });

// --- --bug reload-race -------------------------------------------------------------------------

constexpr int kReloadConnections = 20;
constexpr milliseconds kReloadEvery{20};

// kReloadConnections keep-alive connections, each sending GET /echo?seq=N and reading its answer
// as fast as it can until stopped or its connection fails. Counts the answers, and the ones
// whose body is not their seq.
class EchoFlood {
 public:
  explicit EchoFlood(int port) {
    for (int i = 0; i < kReloadConnections; ++i) threads_.emplace_back([this, port] { Run(port); });
  }
  ~EchoFlood() { Stop(); }

  void Stop() {
    stop_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }
  int answered() const { return answered_.load(); }
  int wrong() const { return wrong_.load(); }

 private:
  void Run(int port) {
    Client client(port);
    for (int seq = 0; !stop_.load(); ++seq) {
      if (!client.Send(Get("/echo?seq=" + std::to_string(seq)))) return;
      std::optional<HttpResponse> response = client.Read(milliseconds(2000));
      if (!response) return;
      if (response->status != 200 || response->body != std::to_string(seq)) ++wrong_;
      ++answered_;
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::atomic<int> wrong_{0};
  std::vector<std::thread> threads_;
};

// Sends SIGHUP every kReloadEvery (if `reload`) until `duration` has passed or the server has
// exited; returns its wait status if it has.
std::optional<int> FloodAndReload(ServerProcess& server, bool reload, milliseconds duration) {
  Clock::time_point deadline = Clock::now() + duration;
  while (Clock::now() < deadline) {
    if (reload) server.Signal(SIGHUP);
    if (std::optional<int> status = server.WaitForExit(kReloadEvery)) return status;
  }
  return std::nullopt;
}

// With --bug reload-race a SIGHUP retires the route table that concurrent requests are using:
// the server aborts, naming the retired table (within the first second in practice; README).
TEST(ReloadRace, ReloadsDuringRequestsAbort) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads", "--bug", "reload-race"}, &error)) << error;
  EchoFlood flood(server.port());
  std::optional<int> status = FloodAndReload(server, true, milliseconds(3000));
  flood.Stop();
  ASSERT_TRUE(status) << "still running after 3 s of reloads under load";
  EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGABRT) << "status " << *status;
  EXPECT_TRUE(
      ShowsRace(server.Stderr(), "http-server: route table used after a reload retired it\n"))
      << server.Stderr();
}

// The same load without SIGHUP: no table is ever retired, so the buggy server serves on.
TEST(ReloadRace, WithoutReloadsTheBugNeverShows) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads", "--bug", "reload-race"}, &error)) << error;
  EchoFlood flood(server.port());
  std::optional<int> status = FloodAndReload(server, false, milliseconds(1500));
  flood.Stop();
  ASSERT_FALSE(status) << server.Stderr();
  EXPECT_GT(flood.answered(), 0);
  EXPECT_EQ(flood.wrong(), 0);
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0)) << server.Stderr();
}

// The default publishes tables through a lock and frees one only when no request holds it:
// reloads under load are harmless, every answer is right, and each reload is logged.
TEST(ReloadRace, DefaultReloadsUnderLoadAreSafe) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads"}, &error)) << error;
  EchoFlood flood(server.port());
  std::optional<int> status = FloodAndReload(server, true, milliseconds(1500));
  flood.Stop();
  ASSERT_FALSE(status) << server.Stderr();
  EXPECT_GT(flood.answered(), 0);
  EXPECT_EQ(flood.wrong(), 0);
  EXPECT_NE(server.Stderr().find("http-server: routes reloaded (generation 2)\n"),
            std::string::npos);
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0)) << server.Stderr();
}

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

// --- --bug drain-busy --------------------------------------------------------------------------

constexpr int kPacedConnections = 3;
constexpr milliseconds kPace{100};

// kPacedConnections keep-alive connections, each sending GET / every kPace and reading its
// answer, until stopped, until its connection is closed, or (if `quit_when_told`) until Quiet().
// Records whether an answer without "Connection: close" came after MarkStop().
class PacedSenders {
 public:
  explicit PacedSenders(int port) {
    for (int i = 0; i < kPacedConnections; ++i) {
      threads_.emplace_back([this, port] { Run(port); });
    }
    // Every connection has been answered once, so it is open and served.
    while (answered_.load() < kPacedConnections) std::this_thread::sleep_for(milliseconds(5));
  }
  ~PacedSenders() { Stop(); }

  void MarkStop() { stop_sent_ = true; }
  void Quiet() { quiet_ = true; }  // Stop sending; keep the connections open.
  void Stop() {
    done_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }
  int kept_alive_after_stop() const { return kept_alive_after_stop_.load(); }
  int closed() const { return closed_.load(); }

 private:
  void Run(int port) {
    Client client(port);
    while (!done_.load()) {
      if (!quiet_.load() && !SendOne(client)) {
        ++closed_;
        return;
      }
      std::this_thread::sleep_for(kPace);
    }
  }

  bool SendOne(Client& client) {
    bool after_stop = stop_sent_.load();
    if (!client.Send(Get("/"))) return false;
    std::optional<HttpResponse> response = client.Read(milliseconds(1000));
    if (!response) return false;
    ++answered_;
    if (after_stop && !response->ClosesConnection()) ++kept_alive_after_stop_;
    return !response->ClosesConnection();
  }

  std::atomic<bool> done_{false};
  std::atomic<bool> quiet_{false};
  std::atomic<bool> stop_sent_{false};
  std::atomic<int> answered_{0};
  std::atomic<int> kept_alive_after_stop_{0};
  std::atomic<int> closed_{0};
  std::vector<std::thread> threads_;
};

// How a graceful stop is asked for: SIGTERM, or GET /shutdown on a connection of its own.
enum class StopBy { kSigterm, kShutdownRoute };

void RequestStop(ServerProcess& server, StopBy by) {
  if (by == StopBy::kSigterm) return server.Signal(SIGTERM);
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/shutdown")));
  ASSERT_TRUE(client.Read());
}

class DrainBusy : public ::testing::TestWithParam<StopBy> {};

// With --bug drain-busy, a client that keeps sending every 100 ms on its keep-alive connection
// is served on as if nothing happened, and the stop never completes.
TEST_P(DrainBusy, PacedSendersHoldTheStopForever) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads", "--bug", "drain-busy"}, &error)) << error;
  PacedSenders senders(server.port());
  senders.MarkStop();
  RequestStop(server, GetParam());
  EXPECT_FALSE(server.WaitForExit(milliseconds(3000))) << "the stop completed: " << server.Stderr();
  senders.Stop();
  EXPECT_GT(senders.kept_alive_after_stop(), 0);
  EXPECT_EQ(senders.closed(), 0);
  EXPECT_NE(server.Stderr().find("wait for all connections to close ("), std::string::npos)
      << server.Stderr();
  // ~ServerProcess kills it (SIGKILL).
}

// With --bug drain-busy, idle keep-alive connections go quiet at once: the stop completes.
TEST_P(DrainBusy, IdleConnectionsLetTheStopComplete) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads", "--bug", "drain-busy"}, &error)) << error;
  std::deque<Client> idle;
  for (int i = 0; i < kPacedConnections; ++i) {
    Client& client = idle.emplace_back(server.port());
    ASSERT_TRUE(client.Send(Get("/")));
    ASSERT_TRUE(client.Read());
  }
  RequestStop(server, GetParam());
  EXPECT_TRUE(ExitedWith(server.WaitForExit(milliseconds(2000)), 0)) << server.Stderr();
}

// With --bug drain-busy, senders that fall silent once the stop began let it complete too.
TEST_P(DrainBusy, SendersThatStopSendingLetTheStopComplete) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads", "--bug", "drain-busy"}, &error)) << error;
  PacedSenders senders(server.port());
  RequestStop(server, GetParam());
  std::this_thread::sleep_for(milliseconds(250));
  senders.Quiet();
  EXPECT_TRUE(ExitedWith(server.WaitForExit(milliseconds(2000)), 0)) << server.Stderr();
}

// The default closes each paced connection at its next request (answered with Connection: close)
// or while it is idle, so the stop completes within a second although the clients keep sending.
TEST_P(DrainBusy, DefaultStopsDespitePacedSenders) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--backend", "threads"}, &error)) << error;
  PacedSenders senders(server.port());
  senders.MarkStop();
  RequestStop(server, GetParam());
  EXPECT_TRUE(ExitedWith(server.WaitForExit(milliseconds(2000)), 0)) << server.Stderr();
  senders.Stop();
  EXPECT_EQ(senders.kept_alive_after_stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(StopBy, DrainBusy,
                         ::testing::Values(StopBy::kSigterm, StopBy::kShutdownRoute),
                         [](const auto& case_info) {
                           return case_info.param == StopBy::kSigterm ? "Sigterm" : "ShutdownRoute";
                         });

}  // namespace
