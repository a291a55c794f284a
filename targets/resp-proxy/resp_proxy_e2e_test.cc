// End-to-end tests of resp-proxy: the built binary (RESP_PROXY_PATH) is started on a free
// loopback port in front of the built resp-server (RESP_SERVER_PATH), either straight or through
// a SlicingRelay run by the test, and driven with strict ping-pong: 10 connections each sending
// 200 `PING <token>` and checking that every reply is its token. --bug split-reply against the
// default, on both backends.
//
// Every process is owned by a TargetProcess (e2e_support.h), which kills it by its pid (SIGKILL)
// and reaps it if a test ends before it has exited; the children also get SIGKILL if the test
// process dies (PR_SET_PDEATHSIG). No test leaves a process or a thread behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "e2e_support.h"

namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using target_test::ExitedWith;
using target_test::RespClient;
using target_test::TargetProcess;

constexpr milliseconds kExitTimeout{5000};
constexpr int kConnections = 10;
constexpr int kRequests = 200;
constexpr size_t kMaxSlice = 7;      // The relay cuts the server's bytes into 1..kMaxSlice bytes,
constexpr microseconds kPause{200};  // with this pause after each piece.

// A relay between resp-proxy and resp-server, standing in for stampede's slicer fault proxy. It
// forwards what the proxy sends unchanged, and what the server sends in pieces of 1 to kMaxSlice
// bytes with a pause of kPause after each, so that every reply reaches the proxy in several
// receives. Two threads per connection (one per direction), blocking sockets; the destructor
// shuts every socket down and joins them.
class SlicingRelay {
 public:
  explicit SlicingRelay(int server_port) : server_port_(server_port) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        listen(listen_fd_, 64) == 0 &&
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
      acceptor_ = std::thread([this] { AcceptLoop(); });
    }
  }
  ~SlicingRelay() {
    shutdown(listen_fd_, SHUT_RDWR);  // Wakes accept().
    if (acceptor_.joinable()) acceptor_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : sockets_) shutdown(fd, SHUT_RDWR);  // Wakes recv() and send().
    for (std::thread& thread : forwarders_) thread.join();
    for (int fd : sockets_) close(fd);
    close(listen_fd_);
  }
  SlicingRelay(const SlicingRelay&) = delete;
  SlicingRelay& operator=(const SlicingRelay&) = delete;

  int port() const { return port_; }  // 0 if the relay could not listen.

 private:
  void AcceptLoop() {
    for (unsigned seed = 1;; ++seed) {
      int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;  // Shut down by the destructor.
      int one = 1;             // Each piece goes out at once (no Nagle), as the slicer's do.
      setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      int server = target_test::NewClientSocket();
      std::lock_guard<std::mutex> lock(mutex_);
      sockets_.push_back(client);
      sockets_.push_back(server);
      if (!target_test::ConnectToLoopback(server, server_port_)) {
        shutdown(client, SHUT_RDWR);
        continue;
      }
      forwarders_.emplace_back([client, server] { Forward(client, server, 0); });
      forwarders_.emplace_back([server, client, seed] { Forward(server, client, seed); });
    }
  }

  // Copies `from` to `to` until EOF or an error, then half-closes `to`. A non-zero `slice_seed`
  // slices what it copies (see the class comment).
  static void Forward(int from, int to, unsigned slice_seed) {
    std::minstd_rand random(slice_seed);
    char chunk[4096];
    ssize_t n;
    while ((n = recv(from, chunk, sizeof chunk, 0)) > 0) {
      std::string_view rest(chunk, static_cast<size_t>(n));
      while (!rest.empty()) {
        size_t piece = slice_seed == 0 ? rest.size() : 1 + random() % kMaxSlice;
        ssize_t sent = send(to, rest.data(), std::min(piece, rest.size()), MSG_NOSIGNAL);
        if (sent <= 0) return;
        rest.remove_prefix(static_cast<size_t>(sent));
        if (slice_seed != 0) std::this_thread::sleep_for(kPause);
      }
    }
    shutdown(to, SHUT_WR);
  }

  int server_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> sockets_;  // Every relayed socket; closed by the destructor.
  std::vector<std::thread> forwarders_;
};

// The replies of a ping-pong run.
struct Tally {
  std::atomic<int> right{0};
  std::atomic<int> wrong{0};   // Well-formed replies that are not the request's token.
  std::atomic<int> failed{0};  // Connections that ended without a reply (closed, timed out).
  std::mutex mutex;
  std::string first_wrong;  // "expected X, got Y" for the first wrong reply.
};

// One connection's strict ping-pong: kRequests times, sends PING <unique token> as a RESP array
// and reads one reply, which must be the token as a bulk string.
void PingPong(int port, int connection, Tally* tally) {
  RespClient client(port);
  for (int request = 0; request < kRequests; ++request) {
    std::string token =
        std::to_string(getpid()) + ":" + std::to_string(connection) + ":" + std::to_string(request);
    std::string length = std::to_string(token.size());
    std::optional<std::string> reply =
        client.Call("*2\r\n$4\r\nPING\r\n$" + length + "\r\n" + token + "\r\n");
    if (!reply) {
      ++tally->failed;
      return;
    }
    std::string expected = "$" + length + "\r\n" + token + "\r\n";
    if (*reply == expected) {
      ++tally->right;
      continue;
    }
    std::lock_guard<std::mutex> lock(tally->mutex);
    if (tally->wrong++ == 0) tally->first_wrong = "expected " + expected + ", got " + *reply;
  }
}

// kConnections concurrent PingPong() connections to the proxy at `port`.
void RunPingPong(int port, Tally* tally) {
  std::vector<std::thread> connections;
  for (int connection = 0; connection < kConnections; ++connection) {
    connections.emplace_back([port, connection, tally] { PingPong(port, connection, tally); });
  }
  for (std::thread& thread : connections) thread.join();
}

struct SplitCase {
  const char* backend;
  const char* bug;
  bool sliced;         // Whether the proxy's upstream is the SlicingRelay (else resp-server).
  bool wrong_replies;  // Whether some reply must be wrong (else every reply must be right).
};

class SplitReply : public ::testing::TestWithParam<SplitCase> {};

// The proxy in front of resp-server (through the relay if sliced) under the ping-pong load: with
// --bug split-reply and sliced replies, some replies are wrong (in practice nearly all of them);
// straight to the server, or in the default mode, every reply is right. Either way every request
// gets a reply (no connection fails) and the proxy stops with exit code 0.
TEST_P(SplitReply, PingPongThroughTheProxy) {
  const SplitCase& split_case = GetParam();
  TargetProcess server(RESP_SERVER_PATH);
  std::string error;
  ASSERT_TRUE(server.Start({}, &error)) << error;
  std::optional<SlicingRelay> relay;
  int upstream_port = server.port();
  if (split_case.sliced) {
    relay.emplace(server.port());
    ASSERT_NE(relay->port(), 0) << "the relay could not listen";
    upstream_port = relay->port();
  }
  TargetProcess proxy(RESP_PROXY_PATH);
  ASSERT_TRUE(proxy.Start({"--upstream-port", std::to_string(upstream_port), "--backend",
                           split_case.backend, "--bug", split_case.bug},
                          &error))
      << error;

  Tally tally;
  RunPingPong(proxy.port(), &tally);
  EXPECT_EQ(tally.failed.load(), 0) << proxy.Stderr();
  if (split_case.wrong_replies) {
    EXPECT_GT(tally.wrong.load(), 0) << "every reply was right";
    RecordProperty("wrong_replies", tally.wrong.load());
  } else {
    EXPECT_EQ(tally.wrong.load(), 0) << tally.first_wrong;
    EXPECT_EQ(tally.right.load(), kConnections * kRequests);
  }
  proxy.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(proxy.WaitForExit(kExitTimeout), 0)) << proxy.Stderr();
}

INSTANTIATE_TEST_SUITE_P(Backends, SplitReply,
                         ::testing::Values(SplitCase{"uring", "split-reply", true, true},
                                           SplitCase{"uring", "split-reply", false, false},
                                           SplitCase{"uring", "none", true, false},
                                           SplitCase{"epoll", "split-reply", true, true},
                                           SplitCase{"epoll", "split-reply", false, false},
                                           SplitCase{"epoll", "none", true, false}),
                         [](const auto& case_info) {
                           const SplitCase& c = case_info.param;
                           return std::string(c.backend) +
                                  (std::string_view(c.bug) == "none" ? "_Default" : "_SplitReply") +
                                  (c.sliced ? "_Sliced" : "_Straight");
                         });

}  // namespace
