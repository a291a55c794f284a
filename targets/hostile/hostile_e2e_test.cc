// End-to-end tests of hostile: the built binary (HOSTILE_PATH) is started on a free loopback port
// (--port 0, port read from its "listening on HOST:PORT" line, or a port picked by the test for
// never-ready) and each mode is checked over real sockets: echo echoes, never-ready never
// listens, stderr-flood writes its bytes, garbage answers non-protocol bytes, accept-never-read
// accepts and stays silent, close-immediately closes, and the two daemons outlive the process
// that was started.
//
// Every started process is owned by a TargetProcess (e2e_support.h) or a Child below, which kill
// it by its pid (SIGKILL) and reap it if a test ends before it has exited. The daemons leave
// their parent's process group and session; each is found by its --pidfile and owned by a
// DaemonGuard, which SIGKILLs it by that pid, and runs with --lifetime-s so that even a crashed
// test leaves nothing behind for long.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "e2e_support.h"

namespace {

using std::chrono::milliseconds;
using target_test::Clock;
using target_test::ExitedWith;
using target_test::WaitReadable;

constexpr milliseconds kExitTimeout{3000};
constexpr milliseconds kReplyTimeout{2000};
constexpr milliseconds kSilence{300};  // How long "nothing happens" is watched.
const std::string kLifetime = "20";    // --lifetime-s of every daemon a test starts.

class HostileProcess : public target_test::TargetProcess {
 public:
  HostileProcess() : TargetProcess(HOSTILE_PATH) {}
};

// A child started without waiting for a readiness line (never-ready, bad usage), output to
// /dev/null; killed (SIGKILL) and reaped when the test ends first.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    args.insert(args.begin(), HOSTILE_PATH);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      int null_fd = open("/dev/null", O_WRONLY);
      dup2(null_fd, STDOUT_FILENO);
      dup2(null_fd, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal_number) const { kill(pid_, signal_number); }

  // Its wait status once it has exited within `timeout`, else nullopt.
  std::optional<int> WaitForExit(milliseconds timeout) {
    return target_test::WaitForChildExit(&pid_, timeout);
  }

 private:
  pid_t pid_ = -1;
};

// Kills (SIGKILL) a process the test did not start itself, a daemon, by its pid.
class DaemonGuard {
 public:
  explicit DaemonGuard(pid_t pid) : pid_(pid) {}
  ~DaemonGuard() { Kill(); }
  DaemonGuard(const DaemonGuard&) = delete;
  DaemonGuard& operator=(const DaemonGuard&) = delete;
  void Kill() {
    if (pid_ > 0) kill(pid_, SIGKILL);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

// A path for a pidfile, unique to this test process and `name`; removed when it goes.
class PidFile {
 public:
  explicit PidFile(const std::string& name)
      : path_(::testing::TempDir() + "hostile_e2e_" + std::to_string(getpid()) + "_" + name +
              ".pid") {
    std::filesystem::remove(path_);
  }
  ~PidFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

  // The pid written to it, or -1 if none is there (it is written before the readiness line).
  pid_t Read() const {
    std::ifstream in(path_);
    int pid = -1;
    in >> pid;
    return pid;
  }

 private:
  std::string path_;
};

// A free loopback port: bound to port 0, read, released.
int FreePort() {
  int fd = target_test::NewClientSocket();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// Whether something listens on 127.0.0.1:port (a connect completes).
bool Listening(int port) {
  int fd = target_test::NewClientSocket();
  bool connected = target_test::ConnectToLoopback(fd, port);
  close(fd);
  return connected;
}

// Waits up to `timeout` for Listening(port) to become `expected`; returns whether it did.
bool ListeningBecomes(int port, bool expected, milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (Listening(port) != expected) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// Fields of /proc/PID/stat after the command: [0] state, [1] ppid, [2] pgrp, [3] session.
std::vector<std::string> StatFields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t end = text.rfind(')');
  if (end == std::string::npos) return {};
  std::istringstream fields(text.substr(end + 2));
  std::vector<std::string> out;
  for (std::string field; out.size() < 4 && fields >> field;) out.push_back(field);
  return out;
}

// Open file descriptors of `pid`.
size_t OpenFds(pid_t pid) {
  std::error_code error;
  auto entries = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
  size_t count = 0;
  for (auto it = std::filesystem::begin(entries); !error && it != std::filesystem::end(entries);
       it.increment(error)) {
    ++count;
  }
  return count;
}

// A blocking client on 127.0.0.1 that reads lines, raw bytes, or watches for silence.
class Client {
 public:
  explicit Client(int port) : fd_(target_test::NewClientSocket()) {
    connected_ = target_test::ConnectToLoopback(fd_, port);
  }
  ~Client() { close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& data) {
    return send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  // The next line, line end included, or nullopt on timeout, end of input or an error.
  std::optional<std::string> ReadLine(milliseconds timeout = kReplyTimeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    size_t end;
    while ((end = buffer_.find('\n')) == std::string::npos) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    std::string line = buffer_.substr(0, end + 1);
    buffer_.erase(0, end + 1);
    return line;
  }

  // Whatever one receive brings (or what is buffered), or nullopt.
  std::optional<std::string> ReadSome(milliseconds timeout = kReplyTimeout) {
    if (buffer_.empty() && !ReadMore(Clock::now() + timeout)) return std::nullopt;
    return std::exchange(buffer_, std::string());
  }

  enum class Seen { kNothing, kData, kClosed };
  // What happens on the connection within `timeout`: nothing, bytes, or its end (EOF or reset).
  Seen Watch(milliseconds timeout) {
    if (!WaitReadable(fd_, Clock::now() + timeout)) return Seen::kNothing;
    char c;
    return recv(fd_, &c, 1, MSG_PEEK) > 0 ? Seen::kData : Seen::kClosed;
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

// Checks that the server on `port` echoes lines, CRLF and LF, pipelined ones included.
void ExpectEchoes(int port) {
  Client client(port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("PING\r\n"));
  EXPECT_EQ(client.ReadLine(), "PING\r\n");
  ASSERT_TRUE(client.Send("a:1\nb:2\nc:"));
  EXPECT_EQ(client.ReadLine(), "a:1\n");
  EXPECT_EQ(client.ReadLine(), "b:2\n");
  ASSERT_TRUE(client.Send("3\n"));
  EXPECT_EQ(client.ReadLine(), "c:3\n");
}

TEST(Hostile, EchoEchoesLinesAndExitsZeroOnSigterm) {
  HostileProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--mode", "echo", "--tag", "e2e"}, &error)) << error;
  ExpectEchoes(server.port());
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));
}

TEST(Hostile, BadUsageExitsTwo) {
  Child unknown_mode({"--port", "0", "--mode", "sometimes"});
  EXPECT_TRUE(ExitedWith(unknown_mode.WaitForExit(kExitTimeout), 2));
  Child no_port({"--mode", "echo"});
  EXPECT_TRUE(ExitedWith(no_port.WaitForExit(kExitTimeout), 2));
}

TEST(Hostile, NeverReadyRunsWithoutListeningAndExitsZeroOnSigterm) {
  int port = FreePort();
  PidFile pidfile("never-ready");
  Child child(
      {"--port", std::to_string(port), "--mode", "never-ready", "--pidfile", pidfile.path()});
  Clock::time_point deadline = Clock::now() + kExitTimeout;
  while (pidfile.Read() != child.pid() && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(pidfile.Read(), child.pid());  // Running, with its signals set up.
  std::this_thread::sleep_for(kSilence);
  EXPECT_FALSE(Listening(port));
  EXPECT_FALSE(child.WaitForExit(milliseconds(0)));
  child.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(child.WaitForExit(kExitTimeout), 0));
}

TEST(Hostile, StderrFloodWritesItsBytesOfLinesAndServes) {
  constexpr size_t kBytes = 1'000'000;
  HostileProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--mode", "stderr-flood", "--bytes", std::to_string(kBytes)}, &error))
      << error;
  ExpectEchoes(server.port());
  Clock::time_point deadline = Clock::now() + kExitTimeout;
  std::string text;
  while ((text = server.Stderr()).size() < kBytes && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(text.size(), kBytes);
  EXPECT_EQ(text.rfind("hostile: stderr-flood line 0000000000 ", 0), 0u);
  EXPECT_EQ(text[63], '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), static_cast<long>(kBytes / 64));
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));
}

TEST(Hostile, GarbageAnswersEveryReadWithNonProtocolBytes) {
  HostileProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--mode", "garbage"}, &error)) << error;
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send("PING\r\n"));
    std::optional<std::string> reply = client.ReadSome();
    ASSERT_TRUE(reply);
    EXPECT_GE(static_cast<unsigned char>((*reply)[0]), 0x80);  // Not a text line, not RESP.
    EXPECT_NE(*reply, "PING\r\n");
    // At most 4 KiB per read: let the rest of this answer arrive before the next request.
    while (client.Watch(milliseconds(50)) == Client::Seen::kData) {
      ASSERT_TRUE(client.ReadSome());
    }
  }
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));
}

TEST(Hostile, AcceptNeverReadAcceptsAndStaysSilent) {
  HostileProcess server;
  PidFile pidfile("accept-never-read");
  std::string error;
  ASSERT_TRUE(server.Start({"--mode", "accept-never-read", "--pidfile", pidfile.path()}, &error))
      << error;
  pid_t pid = pidfile.Read();
  ASSERT_GT(pid, 0);
  size_t fds_before = OpenFds(pid);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    ASSERT_TRUE(clients.back()->connected());
    ASSERT_TRUE(clients.back()->Send("PING\r\n"));
  }
  Clock::time_point deadline = Clock::now() + kExitTimeout;
  while (OpenFds(pid) < fds_before + 3 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(OpenFds(pid), fds_before + 3);  // Accepted, and held.
  EXPECT_EQ(clients[0]->Watch(kSilence), Client::Seen::kNothing);
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));
  EXPECT_EQ(clients[1]->Watch(kReplyTimeout), Client::Seen::kClosed);
}

TEST(Hostile, CloseImmediatelyClosesEveryConnection) {
  HostileProcess server;
  std::string error;
  ASSERT_TRUE(server.Start({"--mode", "close-immediately"}, &error)) << error;
  for (int i = 0; i < 3; ++i) {
    Client client(server.port());
    ASSERT_TRUE(client.connected());
    EXPECT_EQ(client.Watch(kReplyTimeout), Client::Seen::kClosed);
  }
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));
}

TEST(Hostile, DaemonStartedProcessExitsZeroWhileTheDaemonServes) {
  HostileProcess started;
  PidFile pidfile("daemon");
  std::string error;
  ASSERT_TRUE(started.Start(
      {"--mode", "daemon", "--pidfile", pidfile.path(), "--lifetime-s", kLifetime}, &error))
      << error;
  pid_t daemon = pidfile.Read();  // Written before the readiness line.
  ASSERT_GT(daemon, 0);
  DaemonGuard guard(daemon);
  EXPECT_TRUE(ExitedWith(started.WaitForExit(kExitTimeout), 0));
  ExpectEchoes(started.port());

  // Another session (setsid), and no session leader (the second fork).
  std::vector<std::string> stat = StatFields(daemon);
  ASSERT_EQ(stat.size(), 4u);
  EXPECT_NE(std::atoi(stat[3].c_str()), getsid(0));
  EXPECT_NE(std::atoi(stat[3].c_str()), daemon);

  // SIGTERM and SIGHUP are ignored.
  kill(daemon, SIGTERM);
  kill(daemon, SIGHUP);
  std::this_thread::sleep_for(milliseconds(100));
  ExpectEchoes(started.port());

  guard.Kill();
  EXPECT_TRUE(ListeningBecomes(started.port(), false, kExitTimeout));
}

TEST(Hostile, DaemonKeepsSocketHoldsThePortAfterTheStop) {
  HostileProcess server;
  PidFile pidfile("daemon-keeps-socket");
  std::string error;
  ASSERT_TRUE(server.Start(
      {"--mode", "daemon-keeps-socket", "--pidfile", pidfile.path(), "--lifetime-s", kLifetime},
      &error))
      << error;
  pid_t daemon = pidfile.Read();
  ASSERT_GT(daemon, 0);
  DaemonGuard guard(daemon);
  ExpectEchoes(server.port());
  server.Signal(SIGTERM);
  EXPECT_TRUE(ExitedWith(server.WaitForExit(kExitTimeout), 0));

  // The daemon still holds the listening socket: connects complete, nothing answers.
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("PING\r\n"));
  EXPECT_EQ(client.Watch(kSilence), Client::Seen::kNothing);
  kill(daemon, SIGTERM);  // Ignored.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(Listening(server.port()));

  guard.Kill();
  EXPECT_TRUE(ListeningBecomes(server.port(), false, kExitTimeout));
}

}  // namespace
