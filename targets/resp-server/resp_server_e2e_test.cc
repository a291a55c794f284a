// End-to-end tests of resp-server: the built binary (RESP_SERVER_PATH) is started on a free
// loopback port (--port 0, port read from its "listening on HOST:PORT" line) and driven over real
// sockets: the commands, the admin commands CLIENT LIST and INFO, and --bug stats-race against
// the default under connection churn.
//
// Every server process is owned by a ServerProcess, which kills it by its pid (SIGKILL) and reaps
// it if a test ends before it has exited; the child also gets SIGKILL if the test process dies
// (PR_SET_PDEATHSIG). No test leaves a process behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStartTimeout{5000};
constexpr milliseconds kAnswerTimeout{5000};
constexpr milliseconds kExitTimeout{5000};

int MillisecondsUntil(Clock::time_point deadline) {
  auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<int64_t>(left, 0));
}

// Waits until `fd` is readable or `deadline` passes; returns whether it is readable.
bool WaitReadable(int fd, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, POLLIN, 0};
    int ready = poll(&entry, 1, MillisecondsUntil(deadline));
    if (ready >= 0 || errno != EINTR) return ready > 0;
  }
}

// One resp-server child process. Its stdout is a pipe (for the readiness line), its stderr a
// temporary file.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    if (stderr_fd_ >= 0) close(stderr_fd_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `RESP_SERVER_PATH --port 0 args...` and waits for its readiness line.
  bool Start(const std::vector<std::string>& args, std::string* error) {
    if (!Spawn(args, error)) return false;
    std::optional<std::string> line = ReadLine(Clock::now() + kStartTimeout);
    if (!line || line->rfind("listening on ", 0) != 0) {
      *error = "no readiness line; stderr: " + Stderr();
      return false;
    }
    port_ = std::atoi(line->substr(line->rfind(':') + 1).c_str());
    return port_ > 0;
  }

  int port() const { return port_; }
  void Signal(int signal_number) const { kill(pid_, signal_number); }

  // Waits at most `timeout` for the process to exit; returns its wait status, or nullopt.
  std::optional<int> WaitForExit(milliseconds timeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      if (Clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(milliseconds(5));
    }
  }

  std::string Stderr() const {
    std::string text;
    char chunk[4096];
    ssize_t n;
    for (off_t at = 0; (n = pread(stderr_fd_, chunk, sizeof chunk, at)) > 0; at += n) {
      text.append(chunk, static_cast<size_t>(n));
    }
    return text;
  }

 private:
  bool Spawn(const std::vector<std::string>& args, std::string* error) {
    int out[2];
    char stderr_path[] = "/tmp/resp_server_e2e_stderr.XXXXXX";
    stderr_fd_ = mkstemp(stderr_path);
    if (stderr_fd_ < 0 || pipe2(out, O_CLOEXEC) != 0) {
      *error = std::string("cannot set up the child's output: ") + std::strerror(errno);
      return false;
    }
    unlink(stderr_path);
    std::vector<std::string> full = {RESP_SERVER_PATH, "--port", "0"};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : full) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) ExecChild(argv.data(), out[1], stderr_fd_, parent);
    close(out[1]);
    stdout_fd_ = out[0];
    if (pid_ < 0) *error = std::string("fork: ") + std::strerror(errno);
    return pid_ > 0;
  }

  // In the forked child: only async-signal-safe calls until exec.
  [[noreturn]] static void ExecChild(char** argv, int stdout_fd, int stderr_fd, pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(stdout_fd, STDOUT_FILENO);
    dup2(stderr_fd, STDERR_FILENO);
    execv(argv[0], argv);
    _exit(127);
  }

  std::optional<std::string> ReadLine(Clock::time_point deadline) {
    std::string line;
    char c;
    while (WaitReadable(stdout_fd_, deadline) && read(stdout_fd_, &c, 1) == 1) {
      if (c == '\n') return line;
      line += c;
    }
    return std::nullopt;
  }

  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
};

// A blocking RESP client on 127.0.0.1:port with deadline-bounded reads.
class Client {
 public:
  explicit Client(int port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  // "127.0.0.1:PORT" of this end, as the server sees its peer.
  std::string LocalAddress() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // The next reply, raw (a simple line, or a bulk string's header, data and CRLF), or nullopt.
  std::optional<std::string> Read(milliseconds timeout = kAnswerTimeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    size_t line_end;
    while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    size_t size = line_end + 2;
    if (buffer_[0] == '$' && buffer_[1] != '-') {
      size += std::strtoul(buffer_.c_str() + 1, nullptr, 10) + 2;
      while (buffer_.size() < size) {
        if (!ReadMore(deadline)) return std::nullopt;
      }
    }
    std::string reply = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return reply;
  }

  // Sends `request` and returns its reply.
  std::optional<std::string> Call(std::string_view request) {
    if (!Send(request)) return std::nullopt;
    return Read();
  }

 private:
  bool ReadMore(Clock::time_point deadline) {
    char chunk[16384];
    if (!WaitReadable(fd_, deadline)) return false;
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

// The data of a bulk-string reply ("$N\r\nDATA\r\n").
std::string BulkData(const std::string& reply) {
  size_t start = reply.find("\r\n") + 2;
  return reply.substr(start, reply.size() - start - 2);
}

bool ExitedWith(std::optional<int> status, int code) {
  return status && WIFEXITED(*status) && WEXITSTATUS(*status) == code;
}

// --- Commands ----------------------------------------------------------------------------------

class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(server_.Start({}, &error)) << error;
  }

  ServerProcess server_;
};

TEST_F(Commands, PingSetGetEcho) {
  Client client(server_.port());
  EXPECT_EQ(client.Call("PING\r\n"), "+PONG\r\n");
  EXPECT_EQ(client.Call("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n"), "+OK\r\n");
  EXPECT_EQ(client.Call("GET k\r\n"), "$2\r\nv1\r\n");
  EXPECT_EQ(client.Call("GET nope\r\n"), "$-1\r\n");
  EXPECT_EQ(client.Call("ECHO hi\r\n"), "$2\r\nhi\r\n");
}

TEST_F(Commands, ClientListHasOneLinePerClientOrderedById) {
  Client first(server_.port());
  ASSERT_EQ(first.Call("PING\r\n"), "+PONG\r\n");
  Client second(server_.port());
  std::optional<std::string> reply = second.Call("CLIENT LIST\r\n");
  ASSERT_TRUE(reply);
  std::string list = BulkData(*reply);
  size_t first_at = list.find("addr=" + first.LocalAddress() + " ");
  size_t second_at = list.find("addr=" + second.LocalAddress() + " ");
  ASSERT_NE(first_at, std::string::npos) << list;
  ASSERT_NE(second_at, std::string::npos) << list;
  EXPECT_LT(first_at, second_at) << list;
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 2) << list;
  EXPECT_TRUE(list.starts_with("id=1 addr=")) << list;
  EXPECT_NE(list.find(" cmd=ping recv-q=0 send-q="), std::string::npos) << list;
  EXPECT_NE(list.find(" cmd=client|list recv-q="), std::string::npos) << list;
}

TEST_F(Commands, InfoClientsCountsTheConnections) {
  Client first(server_.port());
  Client second(server_.port());
  ASSERT_EQ(first.Call("PING\r\n"), "+PONG\r\n");
  std::string expected = "# Clients\r\nconnected_clients:2\r\n";
  EXPECT_EQ(second.Call("INFO clients\r\n"),
            "$" + std::to_string(expected.size()) + "\r\n" + expected + "\r\n");
  EXPECT_EQ(second.Call("INFO keyspace\r\n"), "$0\r\n\r\n");
  EXPECT_EQ(second.Call("CLIENT KILL x\r\n")->substr(0, 5), "-ERR ");
}

TEST_F(Commands, PipelinedAdminCommandsKeepTheOrder) {
  Client client(server_.port());
  ASSERT_TRUE(client.Send("PING a\r\nCLIENT LIST\r\nPING b\r\nINFO\r\nPING c\r\n"));
  EXPECT_EQ(client.Read(), "$1\r\na\r\n");
  std::optional<std::string> list = client.Read();
  ASSERT_TRUE(list);
  EXPECT_NE(list->find("cmd=client|list"), std::string::npos) << *list;
  EXPECT_EQ(client.Read(), "$1\r\nb\r\n");
  std::optional<std::string> info = client.Read();
  ASSERT_TRUE(info);
  EXPECT_NE(info->find("connected_clients:1\r\n"), std::string::npos) << *info;
  EXPECT_EQ(client.Read(), "$1\r\nc\r\n");
}

TEST(CrossTalk, ASingleConnectionIsStillAnsweredCorrectly) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--bug", "cross-talk"}, &error)) << error;
  Client client(server.port());
  for (int i = 0; i < 20; ++i) {
    std::string token = std::to_string(i);
    EXPECT_EQ(client.Call("PING " + token + "\r\n"),
              "$" + std::to_string(token.size()) + "\r\n" + token + "\r\n");
  }
  EXPECT_EQ(client.Call("CLIENT LIST\r\n")->substr(0, 1), "$");
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0)) << server.Stderr();
}

// --- --bug stats-race --------------------------------------------------------------------------

constexpr int kChurners = 20;
constexpr milliseconds kListEvery{10};

// The load of the stats-race tests: kChurners threads, each either churning (connect, PING, read
// the reply, close, again) or keeping one connection and flooding PING; plus, if `list`, one
// side connection sending CLIENT LIST every kListEvery. Counts the failed replies.
class Load {
 public:
  Load(int port, bool churn, bool list) {
    for (int i = 0; i < kChurners; ++i) {
      threads_.emplace_back([this, port, churn] { churn ? Churn(port) : Flood(port); });
    }
    if (list) threads_.emplace_back([this, port] { List(port); });
  }
  ~Load() { Stop(); }

  void Stop() {
    stop_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }
  int pings() const { return pings_.load(); }
  int lists() const { return lists_.load(); }
  int failures() const { return failures_.load(); }

 private:
  void Churn(int port) {
    while (!stop_.load()) {
      Client client(port);
      if (!Count(client.connected() && client.Call("PING\r\n") == "+PONG\r\n", &pings_)) return;
    }
  }

  void Flood(int port) {
    Client client(port);
    while (!stop_.load()) {
      if (!Count(client.Call("PING\r\n") == "+PONG\r\n", &pings_)) return;
    }
  }

  void List(int port) {
    Client client(port);
    while (!stop_.load()) {
      std::optional<std::string> reply = client.Call("CLIENT LIST\r\n");
      if (!Count(reply && reply->starts_with("$") && reply->find("id=") != std::string::npos,
                 &lists_)) {
        return;
      }
      std::this_thread::sleep_for(kListEvery);
    }
  }

  // Counts a success in *counter, or a failure (unless stopping); returns `ok`.
  bool Count(bool ok, std::atomic<int>* counter) {
    if (ok) {
      ++*counter;
    } else if (!stop_.load()) {
      ++failures_;
    }
    return ok;
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> pings_{0};
  std::atomic<int> lists_{0};
  std::atomic<int> failures_{0};
  std::vector<std::thread> threads_;
};

struct StatsCase {
  const char* bug;
  bool churn;
  bool list;
};

class StatsRaceLoad : public ::testing::TestWithParam<StatsCase> {};

// With the bug, CLIENT LIST during churn walks a freed entry: SIGABRT, within 4.5 s (README: in
// practice well within the first second).
TEST(StatsRace, ClientListDuringChurnAborts) {
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--bug", "stats-race"}, &error)) << error;
  std::optional<int> status;
  {
    Load load(server.port(), true, true);
    status = server.WaitForExit(milliseconds(4500));
  }
  ASSERT_TRUE(status) << "still running after 4.5 s of CLIENT LIST during churn";
  EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGABRT) << "status " << *status;
  EXPECT_NE(server.Stderr().find("resp-server: client list walked a freed client entry\n"),
            std::string::npos)
      << server.Stderr();
}

// Every other combination survives 2 s of load with every reply right, and stops with 0.
TEST_P(StatsRaceLoad, Survives) {
  const StatsCase& stats_case = GetParam();
  ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--bug", stats_case.bug}, &error)) << error;
  Load load(server.port(), stats_case.churn, stats_case.list);
  EXPECT_FALSE(server.WaitForExit(milliseconds(2000))) << server.Stderr();
  load.Stop();
  EXPECT_GT(load.pings(), 0);
  EXPECT_EQ(load.failures(), 0);
  if (stats_case.list) {
    EXPECT_GT(load.lists(), 10);
  }
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0)) << server.Stderr();
}

INSTANTIATE_TEST_SUITE_P(Load, StatsRaceLoad,
                         ::testing::Values(StatsCase{"stats-race", true, false},
                                           StatsCase{"stats-race", false, true},
                                           StatsCase{"none", true, true}),
                         [](const auto& case_info) {
                           const StatsCase& c = case_info.param;
                           return std::string(std::string_view(c.bug) == "none" ? "Default"
                                                                                : "Bug") +
                                  (c.churn ? "_Churn" : "_SteadyFlood") +
                                  (c.list ? "_ClientList" : "_NoClientList");
                         });

}  // namespace
