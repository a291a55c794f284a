#include "http_get.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxResponseBytes = 1 << 20;

std::string Errno(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Closes the fd when it goes out of scope.
class SocketFd {
 public:
  explicit SocketFd(int fd) : fd_(fd) {}
  ~SocketFd() {
    if (fd_ >= 0) close(fd_);
  }
  SocketFd(const SocketFd&) = delete;
  SocketFd& operator=(const SocketFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int MillisecondsUntil(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 1 << 30));
}

// Waits until `fd` has one of `events` or `deadline` passes. Returns "" when ready, else an error
// naming `step`.
std::string WaitFor(int fd, short events, Clock::time_point deadline, const char* step) {
  for (;;) {
    pollfd entry{fd, events, 0};
    int ready = poll(&entry, 1, MillisecondsUntil(deadline));
    if (ready > 0) return "";
    if (ready == 0) return std::string(step) + ": timed out";
    if (errno != EINTR) return Errno("poll");
  }
}

// Connects the non-blocking `fd` to `address` within the deadline, then makes it blocking.
std::string Connect(int fd, const LoopbackAddress& address, Clock::time_point deadline) {
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
    if (errno != EINPROGRESS) return Errno("connect");
    std::string error = WaitFor(fd, POLLOUT, deadline, "connect");
    if (!error.empty()) return error;
    int so_error = 0;
    socklen_t length = sizeof so_error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
    if (so_error != 0) return std::string("connect: ") + std::strerror(so_error);
  }
  return SetNonBlocking(fd, false) ? "" : Errno("fcntl");
}

std::string SendRequest(int fd, const Uri& uri, Clock::time_point deadline) {
  std::string request = "GET " + uri.RequestTarget() + " HTTP/1.1\r\nHost: " + uri.HostHeader() +
                        "\r\nConnection: close\r\n\r\n";
  std::string error = WaitFor(fd, POLLOUT, deadline, "send");
  if (!error.empty()) return error;
  return SendAll(fd, request) ? "" : Errno("send");
}

// Reads until the peer closes the connection (the response is complete with Connection: close).
std::string ReadToEnd(int fd, Clock::time_point deadline, std::string* response) {
  char chunk[16 * 1024];
  for (;;) {
    std::string error = WaitFor(fd, POLLIN, deadline, "read response");
    if (!error.empty()) return error;
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n == 0) return "";
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read response");
    response->append(chunk, static_cast<size_t>(n));
    if (response->size() > kMaxResponseBytes) return "read response: more than 1 MiB";
  }
}

}  // namespace

int ParseStatusLine(const std::string& response) {
  // "HTTP/1.1 200 ..." : the code is the three digits after the first space.
  if (!response.starts_with("HTTP/1.") || response.size() < 12 || response[8] != ' ') return 0;
  int code = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (response[i] < '0' || response[i] > '9') return 0;
    code = code * 10 + (response[i] - '0');
  }
  bool ends_there = response.size() == 12 || response[12] == ' ' || response[12] == '\r';
  return ends_there && code >= 100 ? code : 0;
}

GetResult HttpGet(const Uri& uri, Clock::time_point deadline) {
  SocketFd fd(socket(uri.address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return GetResult{0, Errno("socket")};
  std::string error = Connect(fd.get(), uri.address, deadline);
  if (error.empty()) error = SendRequest(fd.get(), uri, deadline);
  std::string response;
  if (error.empty()) error = ReadToEnd(fd.get(), deadline, &response);
  if (!error.empty()) return GetResult{0, error};
  int status = ParseStatusLine(response);
  if (status == 0) {
    std::string line = response.substr(0, std::min(response.find('\r'), size_t{80}));
    return GetResult{0, "malformed status line '" + line + "'"};
  }
  return GetResult{status, ""};
}
