// Support for the targets' end-to-end tests (header-only, test code only): a target binary run as
// a child process on a free loopback port, and a blocking loopback client socket with
// deadline-bounded reads.
//
// Every child process is owned by a TargetProcess, which kills it by its pid (SIGKILL) and reaps
// it if a test ends before it has exited; the child also gets SIGKILL if the test process dies
// (PR_SET_PDEATHSIG). A test that keeps its TargetProcess objects in scope leaves no process
// behind.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace target_test {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStartTimeout{5000};  // From the spawn to the readiness line.

// Whether these tests and the targets they start are built with ThreadSanitizer. A deliberate
// race of a bug mode is then reported by TSan, which aborts the target before the target's own
// check of the stale data can.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif

// Whether `stderr_text` shows a bug mode's race: the target's own `line`, or (under
// ThreadSanitizer) TSan's report of the data race.
inline bool ShowsRace(const std::string& stderr_text, const std::string& line) {
  if (stderr_text.find(line) != std::string::npos) return true;
  return kThreadSanitizer &&
         stderr_text.find("WARNING: ThreadSanitizer: data race") != std::string::npos;
}
constexpr milliseconds kReplyTimeout{5000};  // RespClient's default wait for a reply.

// Milliseconds left until `deadline` (at least 0), as poll() wants them.
inline int MillisecondsUntil(Clock::time_point deadline) {
  auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<int64_t>(left, 0));
}

// Waits until `fd` is readable or `deadline` passes; returns whether it is readable.
inline bool WaitReadable(int fd, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, POLLIN, 0};
    int ready = poll(&entry, 1, MillisecondsUntil(deadline));
    if (ready >= 0 || errno != EINTR) return ready > 0;
  }
}

// Waits at most `timeout` for child `*pid` to exit; returns its wait status and sets *pid to -1,
// or nullopt if it is still running.
inline std::optional<int> WaitForChildExit(pid_t* pid, milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      *pid = -1;
      return status;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

// Whether a wait status (from TargetProcess::WaitForExit) is a normal exit with `code`.
inline bool ExitedWith(std::optional<int> status, int code) {
  return status && WIFEXITED(*status) && WEXITSTATUS(*status) == code;
}

// One child process of a target binary (a server taking --port and printing "listening on
// HOST:PORT"). Its stdout is a pipe (for the readiness line), its stderr a temporary file.
class TargetProcess {
 public:
  // `path` is the binary, e.g. a *_PATH definition made by CMake.
  explicit TargetProcess(std::string path) : path_(std::move(path)) {}
  ~TargetProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    if (stderr_fd_ >= 0) close(stderr_fd_);
  }
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  // Starts `PATH --port 0 args...` and waits for its readiness line. Returns false with *error
  // set if it could not start or did not announce a port in time. Call at most once.
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

  // Waits at most `timeout` for the process to exit; returns its wait status, or nullopt if it
  // is still running.
  std::optional<int> WaitForExit(milliseconds timeout) { return WaitForChildExit(&pid_, timeout); }

  // Everything the process has written to stderr so far.
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
    char stderr_path[] = "/tmp/target_e2e_stderr.XXXXXX";
    stderr_fd_ = mkstemp(stderr_path);
    if (stderr_fd_ < 0 || pipe2(out, O_CLOEXEC) != 0) {
      *error = std::string("cannot set up the child's output: ") + std::strerror(errno);
      return false;
    }
    unlink(stderr_path);
    std::vector<std::string> full = {path_, "--port", "0"};
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
    if (getppid() != parent) _exit(127);  // The test process died before prctl().
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

  std::string path_;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
};

// A blocking, close-on-exec TCP socket with Nagle's algorithm off, not yet connected.
inline int NewClientSocket() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Connects `fd` to 127.0.0.1:port; returns whether it is connected. On loopback this returns
// once the kernel has completed the handshake, whether or not the server has accepted the
// connection yet.
inline bool ConnectToLoopback(int fd, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

// A blocking client socket on 127.0.0.1 with deadline-bounded reads into a buffer. Protocol
// clients derive from it and parse buffer() with their own Read().
class LoopbackClient {
 public:
  // An unconnected socket; see Connect().
  LoopbackClient() : fd_(NewClientSocket()) {}
  explicit LoopbackClient(int port) : LoopbackClient() { Connect(port); }
  ~LoopbackClient() {
    if (fd_ >= 0) close(fd_);
  }
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  // Connects to 127.0.0.1:port (see ConnectToLoopback).
  bool Connect(int port) {
    connected_ = ConnectToLoopback(fd_, port);
    return connected_;
  }
  bool connected() const { return connected_; }

  // "127.0.0.1:PORT" of this end, as the server sees its peer.
  std::string LocalAddress() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  }

  // Sends all of `data`; false if the connection failed first.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Whether the peer closes the connection (end of input, or a reset) within `timeout`, with
  // nothing more sent before.
  bool ClosedWithin(milliseconds timeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    char c;
    if (!WaitReadable(fd_, deadline)) return false;
    return recv(fd_, &c, 1, 0) <= 0;
  }

 protected:
  // Appends what one receive brings to buffer_; false on timeout, end of input or an error.
  bool ReadMore(Clock::time_point deadline) {
    char chunk[16384];
    if (!WaitReadable(fd_, deadline)) return false;
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  std::string buffer_;  // Received, not yet returned by the derived class's Read().

 private:
  int fd_;
  bool connected_ = false;
};

// A blocking RESP client on 127.0.0.1:port with deadline-bounded reads.
class RespClient : public LoopbackClient {
 public:
  using LoopbackClient::LoopbackClient;

  // The next reply, raw (a simple line, or a bulk string's header, data and CRLF), or nullopt.
  std::optional<std::string> Read(milliseconds timeout = kReplyTimeout) {
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
};

}  // namespace target_test
