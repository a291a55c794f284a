// Tests of http-client: the URI parser, the locked URI cache, and the built binary
// (HTTP_CLIENT_PATH) end to end against a small HTTP server run by the test on a free loopback
// port.
//
// The buggy mode (--bug unsafe-uri-cache) is not run here: a test that expects a crash would be
// flaky unless the crash were near certain (see targets/README.md for the measured rate).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http_get.h"
#include "uri.h"
#include "uri_cache.h"

namespace {

// --- URI parser ---------------------------------------------------------------------------

TEST(ParseUri, SplitsAFullUrl) {
  UriParse parse = ParseUri("http://127.0.0.1:8080/echo/x?seq=1&a=b#frag");
  ASSERT_TRUE(parse.uri) << parse.error;
  EXPECT_EQ(parse.uri->scheme, "http");
  EXPECT_EQ(parse.uri->host, "127.0.0.1");
  EXPECT_EQ(parse.uri->port, 8080);
  EXPECT_EQ(parse.uri->path, "/echo/x");
  EXPECT_EQ(parse.uri->query, "seq=1&a=b");
  EXPECT_EQ(parse.uri->RequestTarget(), "/echo/x?seq=1&a=b");
  EXPECT_EQ(parse.uri->HostHeader(), "127.0.0.1:8080");
  EXPECT_EQ(parse.uri->Origin(), "http://127.0.0.1:8080/");
}

TEST(ParseUri, DefaultsPortAndPath) {
  UriParse parse = ParseUri("HTTP://localhost");
  ASSERT_TRUE(parse.uri) << parse.error;
  EXPECT_EQ(parse.uri->scheme, "http");
  EXPECT_EQ(parse.uri->port, 80);
  EXPECT_EQ(parse.uri->path, "/");
  EXPECT_EQ(parse.uri->query, "");
  EXPECT_EQ(parse.uri->RequestTarget(), "/");
}

TEST(ParseUri, AcceptsAQueryWithoutPath) {
  UriParse parse = ParseUri("http://127.0.0.2:1?x=1");
  ASSERT_TRUE(parse.uri) << parse.error;
  EXPECT_EQ(parse.uri->RequestTarget(), "/?x=1");
}

TEST(ParseUri, AcceptsIpv6Loopback) {
  UriParse parse = ParseUri("http://[::1]:9000/a");
  ASSERT_TRUE(parse.uri) << parse.error;
  EXPECT_EQ(parse.uri->host, "::1");
  EXPECT_EQ(parse.uri->port, 9000);
  EXPECT_EQ(parse.uri->HostHeader(), "[::1]:9000");
}

// Expects `url` to be rejected with an error containing `why`.
void ExpectRejected(const std::string& url, const std::string& why) {
  UriParse parse = ParseUri(url);
  EXPECT_FALSE(parse.uri) << url;
  EXPECT_NE(parse.error.find(why), std::string::npos) << url << ": " << parse.error;
}

TEST(ParseUri, RejectsBadUrls) {
  ExpectRejected("127.0.0.1:80/", "no scheme");
  ExpectRejected("://127.0.0.1/", "no scheme");
  ExpectRejected("https://127.0.0.1/", "unsupported scheme 'https'");
  ExpectRejected("http://127.0.0.1:http/", "invalid port 'http'");
  ExpectRejected("http://127.0.0.1:0/", "invalid port '0'");
  ExpectRejected("http://127.0.0.1:65536/", "invalid port '65536'");
  ExpectRejected("http://127.0.0.1:-1/", "invalid port '-1'");
  ExpectRejected("http://127.0.0.1:/", "empty port");
  ExpectRejected("http:///path", "no host");
  ExpectRejected("http://user@127.0.0.1/", "user info");
  ExpectRejected("http://[::1/", "unterminated IPv6");
  ExpectRejected("http://127.0.0.1/a b", "invalid character");
  ExpectRejected("http://127.0.0.1/a\r\nX: y", "invalid character");
}

TEST(ParseUri, RejectsNonLoopbackHosts) {
  ExpectRejected("http://example.com/", "host 'example.com' is not loopback");
  ExpectRejected("http://10.0.0.1:80/", "is not loopback");
  ExpectRejected("http://[2001:db8::1]/", "is not loopback");
  ExpectRejected("http://128.0.0.1/", "is not loopback");
}

TEST(WithSeq, AddsTheSeqToTheQuery) {
  EXPECT_EQ(WithSeq("http://h/echo", 7), "http://h/echo?seq=7");
  EXPECT_EQ(WithSeq("http://h/echo?a=1", 7), "http://h/echo?a=1&seq=7");
  EXPECT_EQ(WithSeq("http://h/echo#top", 7), "http://h/echo?seq=7#top");
}

TEST(ParseStatusLine, ReadsTheCode) {
  EXPECT_EQ(ParseStatusLine("HTTP/1.1 200 OK\r\n\r\n"), 200);
  EXPECT_EQ(ParseStatusLine("HTTP/1.0 404 Not Found\r\n"), 404);
  EXPECT_EQ(ParseStatusLine("HTTP/1.1 204\r\n"), 204);
  EXPECT_EQ(ParseStatusLine("HTTP/1.1 20 OK\r\n"), 0);
  EXPECT_EQ(ParseStatusLine("ICY 200 OK\r\n"), 0);
  EXPECT_EQ(ParseStatusLine(""), 0);
}

// --- Locked URI cache ---------------------------------------------------------------------

TEST(UriCache, ReturnsTheSameParseOnAHit) {
  UriCache cache(UriCache::Locking::kMutex);
  auto first = cache.Lookup("http://127.0.0.1:1/a");
  auto second = cache.Lookup("http://127.0.0.1:1/a");
  EXPECT_EQ(first, second);
  ASSERT_TRUE(first->uri);
  EXPECT_EQ(first->uri->path, "/a");
}

TEST(UriCache, CachesFailedParses) {
  UriCache cache(UriCache::Locking::kMutex);
  auto parse = cache.Lookup("ftp://127.0.0.1/");
  EXPECT_FALSE(parse->uri);
  EXPECT_EQ(cache.Lookup("ftp://127.0.0.1/"), parse);
}

TEST(UriCache, EvictsTheLeastRecentlyUsedPastItsCapacity) {
  UriCache cache(UriCache::Locking::kMutex, 2);
  auto a = cache.Lookup("http://127.0.0.1:1/a");
  cache.Lookup("http://127.0.0.1:1/b");
  cache.Lookup("http://127.0.0.1:1/a");  // b is now the least recently used.
  cache.Lookup("http://127.0.0.1:1/c");
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Lookup("http://127.0.0.1:1/a"), a);  // Still cached: same object.
  EXPECT_EQ(a->uri->path, "/a");                       // Held parses outlive eviction too.
}

TEST(UriCache, ConcurrentLookupsReturnEqualParses) {
  constexpr int kThreads = 16;
  constexpr int kRounds = 500;
  UriCache cache(UriCache::Locking::kMutex, 8);  // Small: lookups keep evicting.
  std::latch start(kThreads);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int round = 0; round < kRounds; ++round) {
        int port = 1 + (t * kRounds + round) % 24;  // 24 distinct keys shared by all threads.
        std::string url =
            "http://127.0.0.1:" + std::to_string(port) + "/p?q=" + std::to_string(port);
        auto parse = cache.Lookup(url);
        bool equal = parse->uri && parse->uri->port == port && parse->uri->path == "/p" &&
                     parse->uri->query == "q=" + std::to_string(port);
        if (!equal) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_LE(cache.size(), 8u);
}

// --- End to end ---------------------------------------------------------------------------

// A loopback listener on a free port.
int ListenOnFreePort(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return -1;
  }
  *port = ntohs(address.sin_port);
  return fd;
}

// A tiny HTTP server on its own thread: accepts connections one at a time, reads the request
// head, records its request line and answers "200 ok" with Connection: close.
class TestServer {
 public:
  TestServer() {
    fd_ = ListenOnFreePort(&port_);
    if (fd_ >= 0 && listen(fd_, SOMAXCONN) == 0) thread_ = std::thread([this] { Serve(); });
  }
  ~TestServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  bool running() const { return thread_.joinable(); }
  int port() const { return port_; }
  std::vector<std::string> request_lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return request_lines_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, 20) <= 0) continue;
      int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      Answer(client);
      close(client);
    }
  }

  void Answer(int client) {
    std::string head;
    char chunk[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      pollfd entry{client, POLLIN, 0};
      if (poll(&entry, 1, 5000) <= 0) return;
      ssize_t n = recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      head.append(chunk, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      request_lines_.push_back(head.substr(0, head.find("\r\n")));
    }
    std::string_view answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> request_lines_;  // Guarded by mutex_.
};

struct ClientRun {
  int wait_status = -1;
  std::string output;  // stdout and stderr, interleaved.
  bool Exited(int code) const { return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == code; }
};

// Runs HTTP_CLIENT_PATH with `args` to completion and collects its output.
ClientRun RunClient(const std::vector<std::string>& args) {
  std::vector<std::string> full = {HTTP_CLIENT_PATH};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : full) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int out[2];
  ClientRun run;
  if (pipe2(out, O_CLOEXEC) != 0) return run;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {  // Only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  char chunk[4096];
  ssize_t n;
  while ((n = read(out[0], chunk, sizeof chunk)) > 0)
    run.output.append(chunk, static_cast<size_t>(n));
  close(out[0]);
  if (pid > 0) waitpid(pid, &run.wait_status, 0);
  return run;
}

std::string UrlOn(int port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

TEST(HttpClient, ParallelRequestsAllSucceed) {
  TestServer server;
  ASSERT_TRUE(server.running());
  ClientRun run = RunClient({"--url", UrlOn(server.port(), "/echo"), "--requests", "50"});
  EXPECT_TRUE(run.Exited(0)) << run.output;
  EXPECT_NE(run.output.find("50 of 50 requests succeeded"), std::string::npos) << run.output;
  std::vector<std::string> lines = server.request_lines();
  ASSERT_EQ(lines.size(), 50u);
  std::set<std::string> distinct(lines.begin(), lines.end());
  EXPECT_EQ(distinct.size(), 50u);
  for (int seq = 0; seq < 50; ++seq) {
    EXPECT_EQ(distinct.count("GET /echo?seq=" + std::to_string(seq) + " HTTP/1.1"), 1u) << seq;
  }
}

TEST(HttpClient, AppendsSeqToAnExistingQuery) {
  TestServer server;
  ASSERT_TRUE(server.running());
  ClientRun run = RunClient({"--url=" + UrlOn(server.port(), "/x?a=1"), "--requests=2"});
  EXPECT_TRUE(run.Exited(0)) << run.output;
  std::vector<std::string> lines = server.request_lines();
  std::set<std::string> distinct(lines.begin(), lines.end());
  EXPECT_EQ(distinct,
            (std::set<std::string>{"GET /x?a=1&seq=0 HTTP/1.1", "GET /x?a=1&seq=1 HTTP/1.1"}));
}

TEST(HttpClient, ClosedPortFailsEveryRequest) {
  int port = 0;
  int bound = ListenOnFreePort(&port);  // Bound, never listening: connects are refused.
  ASSERT_GE(bound, 0);
  ClientRun run = RunClient({"--url", UrlOn(port, "/"), "--requests", "5"});
  close(bound);
  EXPECT_TRUE(run.Exited(1)) << run.output;
  for (int seq = 0; seq < 5; ++seq) {
    std::string line =
        "http-client: request " + std::to_string(seq) + ": connect: Connection refused";
    EXPECT_NE(run.output.find(line), std::string::npos) << run.output;
  }
  EXPECT_NE(run.output.find("http-client: 5 of 5 requests failed"), std::string::npos)
      << run.output;
}

TEST(HttpClient, BadUsageExits2) {
  EXPECT_TRUE(RunClient({}).Exited(2));
  EXPECT_TRUE(RunClient({"--url"}).Exited(2));
  EXPECT_TRUE(RunClient({"--url", "127.0.0.1:80/"}).Exited(2));
  EXPECT_TRUE(RunClient({"--url", "http://127.0.0.1:80/", "--requests", "0"}).Exited(2));
  EXPECT_TRUE(RunClient({"--url", "http://127.0.0.1:80/", "--timeout-ms", "x"}).Exited(2));
  EXPECT_TRUE(RunClient({"--url", "http://127.0.0.1:80/", "--bug", "other"}).Exited(2));
  EXPECT_TRUE(RunClient({"--url", "http://127.0.0.1:80/", "--frobnicate", "1"}).Exited(2));
  ClientRun remote = RunClient({"--url", "http://example.com/"});
  EXPECT_TRUE(remote.Exited(2));
  EXPECT_NE(remote.output.find("host 'example.com' is not loopback"), std::string::npos)
      << remote.output;
}

TEST(HttpClient, HelpExits0) {
  ClientRun run = RunClient({"--help"});
  EXPECT_TRUE(run.Exited(0));
  EXPECT_NE(run.output.find("usage: http-client --url"), std::string::npos) << run.output;
}

}  // namespace
